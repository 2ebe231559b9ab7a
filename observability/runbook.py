"""Where the runbook explains each code the monitor and the alert runner emit.

docs/runbook.md has one `### <CODE>` heading per code: the SLA rules (ATRASO_WATERMARK,
SEM_EXECUCAO_RECENTE, FALHA_RECORRENTE), every category of the error taxonomy
(config_controle ... outros) and the quality findings (dominio_desconhecido,
updated_at_futuro). A link is `<base>#<code in lowercase>`, the anchor GitHub, GitLab and
most Markdown viewers give such a heading.

The base comes from ETL_RUNBOOK_BASE_URL (for example
https://git.example.com/dw/blob/main/docs/runbook.md, or the runbook published on an
intranet); by default it is the file's path in the repository, `docs/runbook.md`. The
monitor also shows the section itself, read from the file, so the default works offline.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from observability.sla import RULES
from observability.taxonomy import CATEGORIES

RUNBOOK_PATH = Path(__file__).resolve().parents[1] / "docs" / "runbook.md"
DEFAULT_BASE_URL = "docs/runbook.md"
BASE_URL_VARIABLE = "ETL_RUNBOOK_BASE_URL"

DOMINIO_DESCONHECIDO = "dominio_desconhecido"
UPDATED_AT_FUTURO = "updated_at_futuro"
QUALITY_FINDINGS = (DOMINIO_DESCONHECIDO, UPDATED_AT_FUTURO)

_HEADING = re.compile(r"^###\s+(.+?)\s*#*\s*$")


def codes() -> tuple[str, ...]:
    """Every code the monitor or the alert runner can link to the runbook."""
    return (*RULES, *CATEGORIES, *QUALITY_FINDINGS)


def anchor(code: str) -> str:
    return code.strip().lower()


def base_url() -> str:
    return os.environ.get(BASE_URL_VARIABLE, "").strip() or DEFAULT_BASE_URL


def url(code: str | None) -> str | None:
    """The runbook link of a code (None for no code)."""
    if not code or code != code:  # None, "", NaN
        return None
    return f"{base_url()}#{anchor(str(code))}"


@cache
def _sections(path: Path, mtime: float) -> dict[str, str]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADING.match(line)
        if match:
            current = sections.setdefault(anchor(match.group(1)), [])
            continue
        if line.startswith(("# ", "## ")):
            current = None  # a higher-level heading ends the section
        elif current is not None:
            current.append(line)
    return {code: "\n".join(lines).strip() for code, lines in sections.items()}


def sections(path: Path = RUNBOOK_PATH) -> dict[str, str]:
    """anchor -> Markdown text of each `###` section of the runbook (empty if it is missing)."""
    try:
        return _sections(path, path.stat().st_mtime)
    except OSError:
        return {}


def section(code: str, path: Path = RUNBOOK_PATH) -> str | None:
    """The runbook text of one code, None when the runbook has no section for it."""
    return sections(path).get(anchor(code))
