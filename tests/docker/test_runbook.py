"""docs/runbook.md, which the monitor and the alert messages link to: one `### <code>`
heading per SLA rule, per error category and per quality finding, each section with what
the code means, what to check and what to do, and at least one exact command or query; the
section text reaches the monitor whole (no line that its reader takes for a heading)."""

from __future__ import annotations

import re

from observability import runbook, sla, taxonomy

TEXT = runbook.RUNBOOK_PATH.read_text(encoding="utf-8")
PARTS = ("**O que significa.**", "**O que verificar.**", "**O que fazer.**")


def test_one_heading_per_code_and_no_other() -> None:
    headings = re.findall(r"^### (\S+)\s*$", TEXT, flags=re.MULTILINE)
    assert len(headings) == len(set(headings))
    assert set(headings) == {*sla.RULES, *taxonomy.CATEGORIES, *runbook.QUALITY_FINDINGS}
    # the exact spelling the links use: SLA rules upper case, the rest lower case
    assert {h for h in headings if h.isupper()} == set(sla.RULES)


def test_every_section_says_what_it_means_what_to_check_and_what_to_do() -> None:
    sections = runbook.sections()
    for code in runbook.codes():
        text = sections[runbook.anchor(code)]
        positions = [text.find(part) for part in PARTS]
        assert -1 not in positions and positions == sorted(positions), code
        assert "`" in text.split(PARTS[1], 1)[1], f"{code}: no command or query to check with"


def test_sections_reach_the_monitor_whole() -> None:
    """The monitor's reader ends a section at a line starting with '# ' or '## ': inside
    a section (code blocks included) no line may start so."""
    inside = False
    for line in TEXT.splitlines():
        if line.startswith("### "):
            inside = True
        elif line.startswith(("# ", "## ")):
            inside = False
        elif inside:
            assert not line.lstrip().startswith("# "), line
