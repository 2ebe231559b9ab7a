"""The hooks of a direct dbt run on the SQL Server target (the warehouse lock and the run
audit: etl_run_claim, ensure_etl_objects, etl_run_open, close_etl_windows, etl_run_close),
verified statically through the stand-in connection (no SQL Server runs here).

Per module, one ``dbt parse --target sqlserver``, then real ``dbt run --target sqlserver``
invocations of one staging view (the hooks run whatever is selected) against a stand-in
warehouse whose audit.etl_run holds a direct run still 'running', and whose
audit.etl_load_window answers two windows of this invocation (one loaded, one failed):

* dbt not connected: the claim is dead, the run takes the lock, looks for dbt's sessions
  every pause, opens its audit row, gives the lock back, and at the end writes one
  audit.etl_run_entity row per window and closes its audit row;
* dbt connected: the run stops at on-run-start naming that run, gives the lock back, and
  sends nothing else;
* under the orchestrator (ETL_RUN_ID set): no lock and no run audit from the hooks.

Every batch the hooks send is checked as T-SQL by ``tsql_check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import sqlglot
from dbt.cli.main import dbtRunner
from sqlserver_standin import Answer, ExecutedSql, PopulatedWarehouse, standin_sqlserver
from test_sqlserver_compiles import SQLSERVER_ENV, _invoke_dbt, _report, _run_dbt
from tsql_check import tsql_problems

from orchestrator.lock import lock_statements

LOCK = lock_statements("sqlserver")
VIEW = "stg_oltp__regions"
CLAIM = ("claim-run", 0, "dbt:ops@etl-host", datetime(2026, 1, 16, 8, 30))
AUDIT_TABLES = [
    ("ctl", "etl_control"),
    ("audit", "etl_load_window"),
    ("audit", "etl_quarantine"),
    ("audit", "etl_run"),
    ("audit", "etl_run_entity"),
    ("audit", "connection_login_events"),
]
RUNS = '"DW_ECOMMERCE"."audit"."etl_run"'
ENTITIES = '"DW_ECOMMERCE"."audit"."etl_run_entity"'
_WINDOWS = re.compile(r"select entity_name, status, error_message from \S*etl_load_window", re.I)
_WRITE = re.compile(
    r"\s*(/\*.*?\*/)?\s*(insert|update|delete|merge|create|alter|if object_id|if col_length)\b",
    re.I | re.S,
)
_HOOK = "operation.ecommerce_dw.ecommerce_dw-on-run-"


@dataclass
class ClaimedWarehouse(PopulatedWarehouse):
    """A warehouse where a direct run is still 'running' (connected or not), and whose
    load windows of the current invocation are one loaded and one failed entity."""

    dbt_connected: bool = False

    def answer(self, sql: str) -> Answer | None:
        if LOCK["direct_runs"] in sql:
            columns = [("run_id", str), ("pid", int), ("started_by", str), ("started_at", datetime)]
            return columns, [CLAIM]
        if LOCK["dbt_sessions"] in sql:
            return [("sessions", int)], [(int(self.dbt_connected),)]
        if _WINDOWS.search(sql):
            columns = [("entity_name", str), ("status", str), ("error_message", str)]
            return columns, [("dim_regiao", "loaded", None), ("dim_vendedor", "failed", "boom")]
        return super().answer(sql)


@dataclass(frozen=True)
class HookRun:
    success: bool
    error: str
    executed: list[ExecutedSql]

    def hooks(self) -> list[str]:
        """The batches the project's on-run-start and on-run-end hooks sent, in order."""
        return [batch.sql for batch in self.executed if batch.node.startswith(_HOOK)]

    def sent(self, text: str) -> int:
        return sum(text in sql for sql in self.hooks())


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dbtRunner, Path]]:
    target_path = tmp_path_factory.mktemp("sqlserver_hooks")
    parsed = _run_dbt(["parse", "--target", "sqlserver"], target_path, SQLSERVER_ENV)
    assert parsed.success, f"dbt parse --target sqlserver failed:\n{parsed.exception}"
    yield dbtRunner(manifest=parsed.result), target_path


def _run(runner: tuple[dbtRunner, Path], connected: bool, *args: str, **env: str) -> HookRun:
    warehouse = ClaimedWarehouse(
        relations=dict.fromkeys(AUDIT_TABLES, "table"), dbt_connected=connected
    )
    dbt, target_path = runner
    with standin_sqlserver(warehouse) as server:
        success, error = _invoke_dbt(
            ["run", "--target", "sqlserver", "--select", VIEW, *args],
            target_path,
            {**SQLSERVER_ENV, **env},
            dbt,
        )
    return HookRun(success, error, list(server.executed))


@pytest.fixture(scope="module")
def dead_claim(runner: tuple[dbtRunner, Path]) -> HookRun:
    return _run(runner, connected=False)


def test_direct_run_past_a_dead_claim_locks_audits_and_sends_valid_tsql(
    dead_claim: HookRun,
) -> None:
    assert dead_claim.success, dead_claim.error
    expected = {
        "lock taken": (LOCK["take"], 1),
        "direct runs read": (LOCK["direct_runs"], 1),
        "dbt's sessions looked for at every poll": (LOCK["dbt_sessions"], LOCK["polls"]),
        "a pause between polls": (LOCK["pause"], LOCK["polls"] - 1),
        "run opened": (f"insert into {RUNS} (run_id", 1),
        "lock given back": (LOCK["release"], 1),
        "one entity row per window": (f"insert into {ENTITIES} (run_id", 2),
        "run closed, partial": (f"update {RUNS} set status = 'partial'", 1),
    }
    counts = {kind: dead_claim.sent(text) for kind, (text, _) in expected.items()}
    assert counts == {kind: count for kind, (_, count) in expected.items()}
    problems = [
        problem
        for sql in dict.fromkeys(dead_claim.hooks())
        for problem in tsql_problems(sql, "direct run hook")
    ]
    assert not problems, _report(problems)


def test_audit_tables_are_created_with_sqlserver_types(dead_claim: HookRun) -> None:
    run_table = next(sql for sql in dead_claim.hooks() if f"create table {RUNS} (" in sql)
    assert "is_dry_run bit not null" in run_table.lower()
    assert "started_at datetime2(6) not null" in run_table.lower()
    assert "full_checks bit not null default cast(0 as bit)" in run_table.lower()


def test_an_older_run_table_gets_full_checks_with_tsql_add_when_it_lacks_it(
    dead_claim: HookRun,
) -> None:
    (added,) = [sql for sql in dead_claim.hooks() if "col_length(" in sql.lower()]
    statement = " ".join(re.sub(r"^\s*/\*.*?\*/", "", added, flags=re.S).split())
    # no `add column if not exists` in T-SQL: looked up first, and `add <column>`
    assert (
        statement.lower()
        == (
            "if col_length('audit.etl_run', 'full_checks') is null"
            f" alter table {RUNS} add full_checks bit not null default cast(0 as bit)"
        ).lower()
    )
    hooks = dead_claim.hooks()
    create = next(i for i, sql in enumerate(hooks) if f"create table {RUNS} (" in sql)
    opened = next(i for i, sql in enumerate(hooks) if f"insert into {RUNS} (run_id" in sql)
    assert create < hooks.index(added) < opened


def _opened_run(run: HookRun) -> dict[str, str]:
    """Column -> T-SQL value of the audit.etl_run row the run opened."""
    (sql,) = [sql for sql in run.hooks() if f"insert into {RUNS} (run_id" in sql]
    insert = sqlglot.parse_one(sql, read="tsql")
    columns = [column.name for column in insert.this.expressions]
    values = insert.expression.expressions[0].expressions
    return {column: value.sql("tsql") for column, value in zip(columns, values, strict=True)}


def test_direct_run_records_a_full_check_as_a_bit(
    runner: tuple[dbtRunner, Path], dead_claim: HookRun
) -> None:
    incremental = _opened_run(dead_claim)
    assert (incremental["full_refresh"], incremental["full_checks"]) == (
        "CAST(0 AS BIT)",
        "CAST(0 AS BIT)",
    )

    refreshed = _run(runner, False, "--full-refresh")

    assert refreshed.success, refreshed.error
    row = _opened_run(refreshed)
    assert (row["full_refresh"], row["full_checks"]) == ("CAST(1 AS BIT)", "CAST(1 AS BIT)")
    problems = [
        problem
        for sql in dict.fromkeys(refreshed.hooks())
        for problem in tsql_problems(sql, "direct run hook")
    ]
    assert not problems, _report(problems)


def test_direct_run_stops_at_on_run_start_while_a_connected_run_holds_the_warehouse(
    runner: tuple[dbtRunner, Path],
) -> None:
    held = _run(runner, connected=True)

    assert not held.success
    assert (
        "another run holds the warehouse: run claim-run (dbt:ops@etl-host, started"
        " 2026-01-16 08:30:00); nothing was run"
    ) in held.error
    hooks = held.hooks()
    assert LOCK["release"] in hooks[-1], "the lock given back last"
    assert held.sent(LOCK["take"]) == held.sent(LOCK["release"]) == 1
    writes = [sql for sql in hooks if _WRITE.match(sql)]
    assert writes == []
    assert not [batch for batch in held.executed if batch.node.startswith("model.")]


def test_orchestrated_run_leaves_lock_and_run_audit_to_the_orchestrator(
    runner: tuple[dbtRunner, Path],
) -> None:
    orchestrated = _run(runner, connected=True, ETL_RUN_ID="20260116T000000-abcdef")

    assert orchestrated.success, orchestrated.error
    for statement in ("take", "release", "direct_runs", "dbt_sessions"):
        assert orchestrated.sent(LOCK[statement]) == 0, statement
    for write in (f"insert into {RUNS} ", f"insert into {ENTITIES} ", f"update {RUNS} "):
        assert orchestrated.sent(write) == 0, write
