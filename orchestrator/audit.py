"""Writing the run audit: audit.etl_run, audit.etl_run_entity (and reading what dbt wrote
in audit.etl_load_window and ctl.etl_control).

The DDL exists in three dialects (duckdb, postgres, sqlserver) and is created
idempotently. Table and column names are constants of this module (the allow-list);
every value travels as a bind parameter. Each audit table is defined once, in a dbt macro
(etl_run_columns, etl_run_entity_columns, connection_login_events_columns): dbt's
on-run-start creates the tables too (direct dbt runs write the run audit, and the
reporting view over the connection events builds before any orchestrator run); this
module renders those macro files with its own type map. A column added to a table after
its first version (ADDED_COLUMNS) is added to an older table here and by dbt's
ensure_etl_objects alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from orchestrator.shared_macros import render
from orchestrator.warehouse import Db

log = logging.getLogger(__name__)

RUN_STATUSES = ("running", "success", "partial", "failed")
ENTITY_STATUSES = ("success", "failed", "skipped", "inactive", "dry_run")
MESSAGE_LIMIT = 3900

# type names of each dialect, and `false`: its false literal (dbt's bool_literal)
_TYPES = {
    "duckdb": {
        "ts": "timestamp",
        "bool": "boolean",
        "text": "varchar(4000)",
        "str": "varchar",
        "false": "false",
    },
    "postgres": {
        "ts": "timestamp",
        "bool": "boolean",
        "text": "varchar(4000)",
        "str": "varchar",
        "false": "false",
    },
    "sqlserver": {
        "ts": "datetime2(6)",
        "bool": "bit",
        "text": "nvarchar(4000)",
        "str": "nvarchar",
        "false": "cast(0 as bit)",
    },
}

# The tables, each defined once in a dbt macro of the same name plus "_columns"
# (macros/control/): dbt's on-run-start creates them too.
AUDIT_TABLES = ("etl_run", "etl_run_entity", "connection_login_events")

# Columns added to a table after its first version: (table, column, type, default), type
# and default as keys of _TYPES. The table's macro defines them like its other columns
# (last, not null with the default); an older table gets them here and in dbt's
# ensure_etl_objects, its rows taking the default.
ADDED_COLUMNS = (("etl_run", "full_checks", "bool", "false"),)


def connection_login_events_columns(dialect: str) -> str:
    """The column list of audit.connection_login_events in `dialect`."""
    return render("connection_login_events_columns", _TYPES[dialect])


def ddl_statements(dialect: str) -> list[str]:
    """The statements that create schema `audit` and the orchestrator's audit tables if
    they are missing, in the dialect of the target."""
    types = _TYPES[dialect]
    statements: list[str] = []
    if dialect == "sqlserver":
        statements.append("if schema_id('audit') is null exec('create schema audit')")
    else:
        statements.append("create schema if not exists audit")
    for table in AUDIT_TABLES:
        body = render(f"{table}_columns", types)
        if dialect == "sqlserver":
            statements.append(
                f"if object_id('audit.{table}', 'U') is null create table audit.{table} ({body}\n)"
            )
        else:
            statements.append(f"create table if not exists audit.{table} ({body}\n)")
    for table, column, kind, default in ADDED_COLUMNS:
        statements += _add_column(dialect, table, column, types[kind], types[default])
    return statements


def _add_column(dialect: str, table: str, column: str, kind: str, default: str) -> list[str]:
    """The statements that add audit.<table>.<column> (`kind`, not null, `default`) when
    it is missing, and change nothing when it is there."""
    if dialect == "sqlserver":  # no add column if not exists
        return [
            f"if col_length('audit.{table}', '{column}') is null"
            f" alter table audit.{table} add {column} {kind} not null default {default}"
        ]
    if dialect == "duckdb":  # adds no column with a constraint: the default, then not null
        return [
            f"alter table audit.{table} add column if not exists {column} {kind} default {default}",
            f"alter table audit.{table} alter column {column} set not null",
        ]
    # PostgreSQL: looked up first, since alter table locks the table (readers included)
    # even when the column is there
    return [
        "do $$ begin if not exists (select 1 from information_schema.columns"
        f" where table_schema = 'audit' and table_name = '{table}'"
        f" and column_name = '{column}') then alter table audit.{table}"
        f" add column {column} {kind} not null default {default}; end if; end $$"
    ]


@dataclass
class Window:
    """One row of audit.etl_load_window (what dbt planned and loaded for an entity)."""

    entity: str
    status: str
    load_kind: str
    extracted: int | None
    upserted: int | None
    soft_deleted: int | None
    quarantined: int | None
    batches: int | None
    backlog_after: int | None
    wm_from_ts: datetime | None
    wm_from_id: int | None
    wm_to_ts: datetime | None
    wm_to_id: int | None
    planned_at: datetime | None
    finished_at: datetime | None
    error_message: str | None


_WINDOW_COLUMNS = (
    "entity_name, status, load_kind, extracted_count, upserted_count, soft_deleted_count,"
    " quarantined_count, batches, backlog_after_count, watermark_from_updated_at,"
    " watermark_from_id, watermark_to_updated_at, watermark_to_id, planned_at, finished_at,"
    " error_message"
)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _window(row: tuple[Any, ...]) -> Window:
    return Window(
        entity=row[0],
        status=row[1],
        load_kind=row[2],
        extracted=_int(row[3]),
        upserted=_int(row[4]),
        soft_deleted=_int(row[5]),
        quarantined=_int(row[6]),
        batches=_int(row[7]),
        backlog_after=_int(row[8]),
        wm_from_ts=row[9],
        wm_from_id=_int(row[10]),
        wm_to_ts=row[11],
        wm_to_id=_int(row[12]),
        planned_at=row[13],
        finished_at=row[14],
        error_message=row[15],
    )


@dataclass
class EntityOutcome:
    """One audit.etl_run_entity row."""

    entity: str
    status: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    load_kind: str | None = None
    extracted: int | None = None
    upserted: int | None = None
    soft_deleted: int | None = None
    quarantined: int | None = None
    batches: int | None = None
    backlog_after: int | None = None
    wm_from_ts: datetime | None = None
    wm_from_id: int | None = None
    wm_to_ts: datetime | None = None
    wm_to_id: int | None = None
    tests_passed: int = 0
    tests_warned: int = 0
    tests_failed: int = 0
    error_message: str | None = None
    error_category: str | None = None
    error_action: str | None = None
    is_dry_run: bool = False

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return max((self.finished_at - self.started_at).total_seconds(), 0.0)

    @property
    def succeeded(self) -> bool:
        return self.status in ("success", "dry_run")

    @property
    def counts_as_failure(self) -> bool:
        return self.status in ("failed", "skipped")


@dataclass
class RunRecord:
    """The audit.etl_run row opened before dbt starts."""

    run_id: str
    entities_requested: str
    started_by: str
    started_at: datetime
    is_dry_run: bool
    target: str
    pid: int
    full_refresh: bool
    full_checks: bool  # tests the whole warehouse: --full-checks or --full-refresh
    batch_size: int | None
    cutoff_minutes: int | None
    max_batches: int | None
    outcomes: list[EntityOutcome] = field(default_factory=list)


def _clip(message: str | None) -> str | None:
    return None if message is None else message[:MESSAGE_LIMIT]


class AuditWriter:
    """Reads and writes the control and audit tables through one connection."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def ensure_objects(self) -> None:
        for statement in ddl_statements(self.db.target):
            self.db.execute(statement)
        self.db.commit()

    # --- reading what dbt keeps -------------------------------------------------------

    def windows_exist(self) -> bool:
        return self.db.table_exists("audit", "etl_load_window")

    def control_exists(self) -> bool:
        return self.db.table_exists("ctl", "etl_control")

    def windows(self, invocation_id: str) -> dict[str, Window]:
        if not invocation_id or not self.windows_exist():
            return {}
        rows = self.db.query(
            f"select {_WINDOW_COLUMNS} from audit.etl_load_window where invocation_id = ?",
            [invocation_id],
        )
        return {row[0]: _window(row) for row in rows}

    def windows_of_run(self, run_id: str) -> dict[str, Window]:
        if not self.windows_exist():
            return {}
        rows = self.db.query(
            f"select {_WINDOW_COLUMNS} from audit.etl_load_window where run_id = ?"
            " order by planned_at",
            [run_id],
        )
        return {row[0]: _window(row) for row in rows}

    def inactive_entities(self) -> set[str]:
        if not self.control_exists():
            return set()
        rows = self.db.query("select entity_name, is_active from ctl.etl_control")
        return {row[0] for row in rows if row[1] in (False, 0, "0", "false")}

    def running_runs(self, except_run_id: str = "") -> list[tuple[Any, ...]]:
        """(run_id, pid, started_by, started_at) of runs still 'running', newest first."""
        return self.db.query(
            "select run_id, pid, started_by, started_at from audit.etl_run"
            " where status = 'running' and run_id <> ? order by started_at desc",
            [except_run_id],
        )

    # --- writing the run --------------------------------------------------------------

    def open_run(self, run: RunRecord) -> None:
        self.db.execute(
            "insert into audit.etl_run (run_id, entities_requested, started_by, started_at,"
            " status, is_dry_run, target, pid, full_refresh, full_checks, batch_size_override,"
            " cutoff_minutes_override, max_batches_override)"
            " values (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run.run_id,
                run.entities_requested,
                run.started_by,
                run.started_at,
                run.is_dry_run,
                run.target,
                run.pid,
                run.full_refresh,
                run.full_checks,
                run.batch_size,
                run.cutoff_minutes,
                run.max_batches,
            ],
        )
        self.db.commit()

    def close_run(
        self,
        run_id: str,
        status: str,
        finished_at: datetime,
        succeeded: int,
        failed: int,
        error_message: str | None,
        invocation_id: str | None,
    ) -> None:
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r}")
        self.db.execute(
            "update audit.etl_run set status = ?, finished_at = ?, entities_succeeded = ?,"
            " entities_failed = ?, error_message = ?, dbt_invocation_id = ? where run_id = ?",
            [status, finished_at, succeeded, failed, _clip(error_message), invocation_id, run_id],
        )
        self.db.commit()

    def write_entities(
        self, run_id: str, outcomes: list[EntityOutcome], invocation_id: str | None
    ) -> None:
        for outcome in outcomes:
            if outcome.status not in ENTITY_STATUSES:
                raise ValueError(f"unknown entity status {outcome.status!r}")
            self.db.execute(
                "delete from audit.etl_run_entity where run_id = ? and entity_name = ?",
                [run_id, outcome.entity],
            )
            self.db.execute(
                "insert into audit.etl_run_entity (run_id, entity_name, started_at, finished_at,"
                " status, load_kind, extracted_count, upserted_count, soft_deleted_count,"
                " quarantined_count, batches, backlog_after_count, watermark_from_updated_at,"
                " watermark_from_id, watermark_to_updated_at, watermark_to_id, tests_passed,"
                " tests_warned, tests_failed, error_message, error_category, error_action,"
                " is_dry_run, dbt_invocation_id)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    outcome.entity,
                    outcome.started_at,
                    outcome.finished_at,
                    outcome.status,
                    outcome.load_kind,
                    outcome.extracted,
                    outcome.upserted,
                    outcome.soft_deleted,
                    outcome.quarantined,
                    outcome.batches,
                    outcome.backlog_after,
                    outcome.wm_from_ts,
                    outcome.wm_from_id,
                    outcome.wm_to_ts,
                    outcome.wm_to_id,
                    outcome.tests_passed,
                    outcome.tests_warned,
                    outcome.tests_failed,
                    _clip(outcome.error_message),
                    outcome.error_category,
                    outcome.error_action,
                    outcome.is_dry_run,
                    invocation_id,
                ],
            )
        self.db.commit()

    def mark_control(self, entity: str, status: str, run_id: str, now: datetime) -> None:
        """last_status/last_run_id of an entity dbt never got to (skipped, failed before
        compiling); the macros keep these for the entities they loaded."""
        if not self.control_exists():
            return
        self.db.execute(
            "update ctl.etl_control set last_status = ?, last_run_id = ?, updated_at = ?"
            " where entity_name = ?",
            [status, run_id, now, entity],
        )
        self.db.commit()

    def fail_planned_windows(self, run_id: str, message: str, now: datetime) -> None:
        if not self.windows_exist():
            return
        self.db.execute(
            "update audit.etl_load_window set status = 'failed', finished_at = ?,"
            " error_message = ? where run_id = ? and status = 'planned'",
            [now, _clip(message), run_id],
        )
        self.db.commit()

    def run_entities_written(self, run_id: str) -> set[str]:
        rows = self.db.query(
            "select entity_name from audit.etl_run_entity where run_id = ?", [run_id]
        )
        return {row[0] for row in rows}

    def run_row(self, run_id: str) -> tuple[Any, ...] | None:
        rows = self.db.query(
            "select run_id, status, entities_requested, error_message, is_dry_run,"
            " entities_succeeded, entities_failed from audit.etl_run where run_id = ?",
            [run_id],
        )
        return rows[0] if rows else None
