"""The runbook links and the import layers: every code the monitor or the alert runner can
emit has its section in docs/runbook.md, links follow ETL_RUNBOOK_BASE_URL, and the
shared layer (observability/) sits below both the orchestrator and the dashboards."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from observability import runbook, sla, taxonomy
from tests.dashboards.conftest import ROOT


def test_every_code_the_monitor_and_the_alerts_emit_has_a_runbook_heading() -> None:
    assert runbook.RUNBOOK_PATH == ROOT / "docs" / "runbook.md"
    assert runbook.RUNBOOK_PATH.exists(), "docs/runbook.md is missing"
    headings = set(runbook.sections())
    missing = [code for code in runbook.codes() if runbook.anchor(code) not in headings]
    assert not missing, f"docs/runbook.md has no '### <code>' heading for {missing}"


def test_the_codes_are_the_sla_rules_every_error_category_and_the_quality_findings() -> None:
    codes = runbook.codes()
    assert set(sla.RULES) <= set(codes)
    assert set(taxonomy.CATEGORIES) <= set(codes)
    assert {"dominio_desconhecido", "updated_at_futuro", "outros", "config_controle"} <= set(codes)


def test_links_use_the_lowercase_code_as_anchor_and_the_configured_base(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(runbook.BASE_URL_VARIABLE, raising=False)
    assert runbook.url("ATRASO_WATERMARK") == "docs/runbook.md#atraso_watermark"
    assert runbook.url(None) is None and runbook.url("") is None
    monkeypatch.setenv(runbook.BASE_URL_VARIABLE, "https://wiki.example/runbook.md")
    assert runbook.url("conversao") == "https://wiki.example/runbook.md#conversao"


def test_sections_are_read_by_heading_until_the_next_heading(tmp_path: Path) -> None:
    path = tmp_path / "runbook.md"
    path.write_text(
        "# Runbook\n\n## SLA\n\n### ATRASO_WATERMARK\n\nOlhe o watermark.\n\n"
        "### conversao\nCorrija o tipo.\n\n## Outros\ntexto fora\n",
        encoding="utf-8",
    )
    assert runbook.section("ATRASO_WATERMARK", path) == "Olhe o watermark."
    assert runbook.section("CONVERSAO", path) == "Corrija o tipo."
    assert runbook.section("timeout", path) is None


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("orchestrator", {"dashboards", "streamlit"}),
        ("observability", {"dashboards", "orchestrator", "streamlit"}),
    ],
)
def test_imports_flow_one_way_through_the_observability_layer(
    package: str, forbidden: set[str]
) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & forbidden)
        for path in sorted((ROOT / package).rglob("*.py"))
        if _imports(path) & forbidden
    }
    assert not offenders, offenders
