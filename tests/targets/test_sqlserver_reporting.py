"""The 19 reporting views (the original's VW_*) on the SQL Server target, verified
statically: one real ``dbt compile --target sqlserver --select path:models/marts/reporting``
per module against the stand-in connection of ``sqlserver_standin`` (an empty
warehouse), as ``test_sqlserver_compiles`` does for the whole project. Each view's
compiled SQL, and the CREATE VIEW dbt-sqlserver wraps around it, must pass
``tsql_check``; "now" must be SQL Server's UTC clock when etl_now is not pinned; and the
on-run-start hook (``dbt run-operation ensure_etl_objects``: compile runs no hooks) must
create audit.connection_login_events, which the audit view reads, with the
orchestrator's SQL Server DDL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlserver_standin import ExecutedSql, standin_sqlserver
from test_sqlserver_compiles import SQLSERVER_ENV, _invoke_dbt, _report
from tsql_check import tsql_problems

from orchestrator.audit import connection_login_events_columns

# view -> schema, as the original has them (CONTRACT.md "Warehouse views users query")
REPORTING_VIEWS = {
    "vw_dash_vendas_r1": "fact",
    "vw_dash_metas_r1": "fact",
    "vw_dash_descontos_r1": "fact",
    "vw_vendas_completa": "fact",
    "vw_metas_completa": "fact",
    "vw_descontos_completa": "fact",
    "vw_clientes_ativos": "dim",
    "vw_catalogo_produtos": "dim",
    "vw_calendario_completo": "dim",
    "vw_produtos_ativos": "dim",
    "vw_hierarquia_geografica": "dim",
    "vw_descontos_ativos": "dim",
    "vw_vendedores_ativos": "dim",
    "vw_hierarquia_vendedores": "dim",
    "vw_analise_equipe_vendedores": "dim",
    "vw_equipes_ativas": "dim",
    "vw_ranking_equipes_meta": "dim",
    "vw_analise_regional_equipes": "dim",
    "vw_connection_login_events_recent": "audit",
}
# the views whose meaning depends on "now" (the original's GETDATE())
USES_NOW = {
    "vw_dash_metas_r1",
    "vw_clientes_ativos",
    "vw_descontos_ativos",
    "vw_vendedores_ativos",
    "vw_equipes_ativas",
    "vw_connection_login_events_recent",
}


@dataclass(frozen=True)
class ReportingCompile:
    success: bool
    error: str
    manifest: dict
    compiled: dict[str, str]  # view -> compiled SQL
    hook_success: bool
    hook_executed: list[ExecutedSql]


@pytest.fixture(scope="module")
def reporting_compile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportingCompile]:
    target_path = tmp_path_factory.mktemp("sqlserver_reporting")
    with standin_sqlserver():
        success, error = _invoke_dbt(
            ["compile", "--target", "sqlserver", "--select", "path:models/marts/reporting"],
            target_path,
            SQLSERVER_ENV,
        )
    with standin_sqlserver() as server:
        hook_success, hook_error = _invoke_dbt(
            ["run-operation", "ensure_etl_objects", "--target", "sqlserver"],
            target_path,
            SQLSERVER_ENV,
        )
    manifest_file = target_path / "manifest.json"
    manifest = json.loads(manifest_file.read_text()) if manifest_file.is_file() else {}
    compiled = {}
    for node in manifest.get("nodes", {}).values():
        path = target_path / "compiled" / node["package_name"] / node["original_file_path"]
        if node["resource_type"] == "model" and path.is_file():
            compiled[node["name"]] = path.read_text()
    yield ReportingCompile(
        success, error + hook_error, manifest, compiled, hook_success, list(server.executed)
    )


def _nodes(manifest: dict) -> dict[str, dict]:
    return {
        node["name"]: node
        for node in manifest.get("nodes", {}).values()
        if node["resource_type"] == "model" and "/reporting/" in node["original_file_path"]
    }


def test_every_reporting_view_compiles_for_sqlserver_in_the_original_schema(
    reporting_compile: ReportingCompile,
) -> None:
    assert reporting_compile.success, f"dbt compile failed:\n{reporting_compile.error}"
    nodes = _nodes(reporting_compile.manifest)
    assert {name: node["schema"] for name, node in nodes.items()} == REPORTING_VIEWS
    assert all(node["config"]["materialized"] == "view" for node in nodes.values())
    assert set(reporting_compile.compiled) >= set(REPORTING_VIEWS)


def test_compiled_reporting_views_are_valid_tsql(reporting_compile: ReportingCompile) -> None:
    problems = []
    for name, schema in sorted(REPORTING_VIEWS.items()):
        sql = reporting_compile.compiled[name]
        problems += tsql_problems(sql, f"view {name}")
        # the statement dbt-sqlserver runs (inside EXEC): a CTE is allowed in a view body
        problems += tsql_problems(
            f"create or alter view [{schema}].[{name}] as {sql}", f"create view {name}"
        )
    assert not problems, _report(problems)


def test_now_is_sqlserver_utc_clock_at_query_time_when_not_pinned(
    reporting_compile: ReportingCompile,
) -> None:
    for name in sorted(REPORTING_VIEWS):
        sql = reporting_compile.compiled[name].lower()
        assert "getdate()" not in sql and "current_timestamp" not in sql, name
        assert ("sysutcdatetime()" in sql) == (name in USES_NOW), name


def test_on_run_start_creates_connection_login_events_with_the_orchestrator_ddl(
    reporting_compile: ReportingCompile,
) -> None:
    def squash(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip().lower()

    assert reporting_compile.hook_success, reporting_compile.error
    batches = [
        batch.sql
        for batch in reporting_compile.hook_executed
        if "connection_login_events" in batch.sql
    ]
    assert batches, "ensure_etl_objects sent no DDL for audit.connection_login_events"
    ddl = batches[0]
    assert squash(connection_login_events_columns("sqlserver")) in squash(ddl)
    assert "object_id('audit.connection_login_events', 'u') is null" in squash(ddl)
    assert tsql_problems(ddl, "connection_login_events ddl") == []


def test_the_test_holds_every_view_of_the_reporting_folder() -> None:
    folder = Path(__file__).resolve().parents[2] / "models" / "marts" / "reporting"
    assert {path.stem for path in folder.glob("*.sql")} == set(REPORTING_VIEWS)
