"""The SQL Server target, verified statically: no SQL Server can run on this machine.

One real ``dbt compile --target sqlserver`` per session (dbt-core, dbt-sqlserver, our
profile, macros, models and hooks, all real), with only the database connection
replaced by the stand-in of ``sqlserver_standin`` (``pyodbc.connect``; it answers as an
empty warehouse). Every compiled model and every SQL batch dbt sent to the connection
(dbt-sqlserver's own and our hooks' and macros' ``run_query``) is then checked as T-SQL
by ``tsql_check``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner, dbtRunnerResult
from sqlserver_standin import ExecutedSql, standin_sqlserver
from tsql_check import Problem, tsql_problems

ROOT = Path(__file__).resolve().parents[2]

# The connection's environment: only the password, which has no default.
SQLSERVER_ENV = {
    "DBT_PROFILES_DIR": str(ROOT),
    "ETL_SQL_PASSWORD": "stand-in-password",
}


@dataclass(frozen=True)
class SqlserverCompile:
    success: bool
    error: str
    target_path: Path
    manifest: dict
    executed: list[ExecutedSql]

    def model_nodes(self) -> dict[str, dict]:
        return {
            unique_id: node
            for unique_id, node in self.manifest.get("nodes", {}).items()
            if node["resource_type"] == "model"
        }

    def compiled_model_files(self) -> dict[str, Path]:
        """Model name -> its compiled SQL file under target/compiled."""
        files = {}
        for node in self.model_nodes().values():
            path = self.target_path / "compiled" / node["package_name"] / node["original_file_path"]
            if path.is_file():
                files[node["name"]] = path
        return files


def _invoke_dbt(
    args: list[str], target_path: Path, env: dict[str, str], runner: dbtRunner | None = None
) -> tuple[bool, str]:
    result = _run_dbt(args, target_path, env, runner)
    messages = [str(result.exception)] if result.exception else []
    for node_result in getattr(result.result, "results", None) or []:
        if str(node_result.status) in {"error", "fail"}:
            messages.append(f"{node_result.node.name}: {node_result.message}")
    return result.success, "\n".join(messages)


def _run_dbt(
    args: list[str], target_path: Path, env: dict[str, str], runner: dbtRunner | None = None
) -> dbtRunnerResult:
    """One dbt command in this process; `runner` may carry a manifest already parsed."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        patch.delenv("DBT_TARGET_PATH", raising=False)
        return (runner or dbtRunner()).invoke(
            [
                *args,
                "--project-dir",
                str(ROOT),
                "--target-path",
                str(target_path),
                "--log-path",
                str(target_path / "logs"),
                "--quiet",
            ]
        )


@pytest.fixture(scope="module")
def sqlserver_compile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlserverCompile]:
    target_path = tmp_path_factory.mktemp("sqlserver_target")
    with standin_sqlserver() as server:
        success, error = _invoke_dbt(
            ["compile", "--target", "sqlserver"], target_path, SQLSERVER_ENV
        )
    manifest_file = target_path / "manifest.json"
    manifest = json.loads(manifest_file.read_text()) if manifest_file.is_file() else {}
    yield SqlserverCompile(success, error, target_path, manifest, list(server.executed))


def _report(problems: list[Problem]) -> str:
    return f"{len(problems)} T-SQL problem(s):\n\n" + "\n\n".join(str(p) for p in problems)


def test_sqlserver_compile_succeeds_for_every_model(sqlserver_compile: SqlserverCompile) -> None:
    assert sqlserver_compile.success, (
        f"dbt compile --target sqlserver failed:\n{sqlserver_compile.error}"
    )
    models = {node["name"] for node in sqlserver_compile.model_nodes().values()}
    compiled = set(sqlserver_compile.compiled_model_files())
    assert models, "the manifest lists no models"
    assert compiled == models, f"models not compiled: {sorted(models - compiled)}"


def test_compiled_models_are_valid_tsql(sqlserver_compile: SqlserverCompile) -> None:
    files = sqlserver_compile.compiled_model_files()
    assert files, "nothing was compiled"
    problems = [
        problem
        for name, path in sorted(files.items())
        for problem in tsql_problems(path.read_text(), f"model {name}")
    ]
    assert not problems, _report(problems)


def test_sql_sent_to_sqlserver_during_compile_is_valid_tsql(
    sqlserver_compile: SqlserverCompile,
) -> None:
    executed = sqlserver_compile.executed
    # the hooks ran against the connection: ensure_etl_objects creates the control tables
    assert any("etl_control" in batch.sql for batch in executed), (
        "on-run-start (ensure_etl_objects) sent nothing to the connection"
    )
    problems = []
    for sql in dict.fromkeys(batch.sql for batch in executed):  # each batch once, in order
        node = next(batch.node for batch in executed if batch.sql == sql) or "dbt-sqlserver"
        problems.extend(tsql_problems(sql, f"{node}: SQL sent to the connection"))
    assert not problems, _report(problems)


def test_sqlserver_profile_renders_without_optional_settings(tmp_path: Path) -> None:
    """profiles.yml promises working defaults for every ETL_* variable but the password."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ETL_SQL_TRUST_CERT", raising=False)
        success, error = _invoke_dbt(["parse", "--target", "sqlserver"], tmp_path, SQLSERVER_ENV)
    assert success, f"the sqlserver profile does not render with ETL_SQL_TRUST_CERT unset:\n{error}"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select cast(order_id as int) as id, x::int as y from t", "'::' cast"),
        ("select top 1 a from t limit 1", "no LIMIT"),
        ("select first_name || ' ' || last_name as name from t", "'||'"),
        ("select a // b as q from t", "cannot parse"),
        ("select case when a > 0 then true else false end as f from t", "boolean literal"),
        ("select a > 0 as is_positive from t", "predicate selected as a value"),
        ("select extract(year from d) as y from t", "EXTRACT"),
        ("create table if not exists a.b (x int)", "IF NOT EXISTS"),
        ("EXEC('create view v as select 1 as x limit 1')", "inside EXEC"),
    ],
)
def test_tsql_check_reports_other_dialects_constructs(sql: str, expected: str) -> None:
    problems = tsql_problems(f"/* compiled */\n{sql}\n", "negative control")
    assert any(expected in f"{p.origin} {p.message}" for p in problems), problems
    assert all(p.origin.startswith("negative control") for p in problems)


@pytest.mark.parametrize(
    "sql",
    [
        "select top 10 cast(a as bit) as f, datepart(year, d) as y, a + b from t with (nolock)",
        "if object_id('ctl.etl_control', 'U') is null"
        " create table [db].[ctl].[etl_control] (x int)",
        "USE [DW]; declare @schema_id int = schema_id('dim'); select name from sys.tables",
        "BEGIN TRY\n IF NOT EXISTS (SELECT * FROM sys.schemas WHERE name = 'ctl')\n BEGIN\n"
        "  EXEC('CREATE SCHEMA \"ctl\"')\n END\nEND TRY\nBEGIN CATCH\n THROW;\nEND CATCH\n"
        "IF @lock >= 0\n EXEC sp_releaseapplock @Resource = 'x', @LockOwner = 'Session'",
    ],
)
def test_tsql_check_accepts_valid_tsql(sql: str) -> None:
    assert tsql_problems(sql, "positive control") == []
