"""The orchestrator's own SQL for SQL Server passes the static T-SQL check (sqlglot,
read="tsql"), since no SQL Server runs here; DuckDB and PostgreSQL run it for real
in the other tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from orchestrator.audit import ddl_statements
from orchestrator.connection_audit import sqlserver_batches
from tests.targets.tsql_check import tsql_problems

RUN_COLUMNS_SQL = (
    "select column_name, data_type, is_nullable, column_default from information_schema.columns"
    " where table_schema = 'audit' and table_name = 'etl_run' order by ordinal_position"
)
# a run recorded before audit.etl_run had full_checks
OLDER_RUN = (
    "insert into audit.etl_run (run_id, entities_requested, started_by, started_at, status,"
    " is_dry_run, target, pid, full_refresh) values ('older-run', 'all', 'ops@etl-host',"
    " '2026-01-15 08:00:00', 'success', false, 'duckdb', 1, false)"
)


def test_audit_ddl_parses_as_tsql() -> None:
    for statement in ddl_statements("sqlserver"):
        assert tsql_problems(statement, "audit ddl") == []


def test_sqlserver_adds_full_checks_only_when_missing_with_tsql_add() -> None:
    statements = ddl_statements("sqlserver")
    create = next(s for s in statements if s.startswith("if object_id('audit.etl_run', 'U')"))
    assert "full_checks bit not null default cast(0 as bit)" in create
    (add,) = [s for s in statements if "col_length" in s]
    tree = sqlglot.parse_one(add, read="tsql", error_level=sqlglot.ErrorLevel.RAISE)
    assert isinstance(tree, exp.IfBlock)
    assert tree.this.sql("tsql") == "COL_LENGTH('audit.etl_run', 'full_checks') IS NULL"
    alter = tree.find(exp.Alter)
    assert alter is not None and alter.this.sql("tsql") == "audit.etl_run"
    (column,) = alter.args["actions"]
    assert isinstance(column, exp.ColumnDef) and column.name == "full_checks"
    assert column.args["kind"].sql("tsql") == "BIT"
    constraints = [constraint.kind for constraint in column.args["constraints"]]
    assert [type(kind) for kind in constraints] == [
        exp.NotNullColumnConstraint,
        exp.DefaultColumnConstraint,
    ]
    assert constraints[1].this.sql("tsql") == "CAST(0 AS BIT)"  # NOT NULL: old rows get 0
    # T-SQL is `alter table ... add <column>`: the static check lets `add column` through
    assert " add column " not in add.lower()


@pytest.fixture(params=["duckdb", "postgres"])
def audit_engine(request: pytest.FixtureRequest) -> Iterator[tuple[str, Any]]:
    """(dialect, an autocommit DB-API cursor) on an empty warehouse of each engine."""
    if request.param == "duckdb":
        with duckdb.connect(":memory:") as conn:
            yield "duckdb", conn
        return
    import psycopg2

    from tests.conftest import PG_HOST, PG_PASSWORD, PG_PORT, PG_USER

    database = request.getfixturevalue("pg_database")
    conn = psycopg2.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, password=PG_PASSWORD, dbname=database
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            yield "postgres", cur
    finally:
        conn.close()


def test_audit_ddl_adds_full_checks_to_an_older_run_table_as_a_new_one_has_it(
    audit_engine: tuple[str, Any],
) -> None:
    dialect, cur = audit_engine

    def columns() -> list[tuple[Any, ...]]:
        cur.execute(RUN_COLUMNS_SQL)
        return [tuple(row) for row in cur.fetchall()]

    for statement in ddl_statements(dialect):
        cur.execute(statement)
    new_table = columns()
    name, data_type, nullable, _default = new_table[-1]
    assert (name, data_type.lower(), nullable) == ("full_checks", "boolean", "NO")
    # the warehouse as it was before the column: the same table without it, with a run
    cur.execute("alter table audit.etl_run drop column full_checks")
    cur.execute(OLDER_RUN)

    for _ in range(2):  # idempotent
        for statement in ddl_statements(dialect):
            cur.execute(statement)

    assert columns() == new_table
    cur.execute("select run_id, full_checks from audit.etl_run")
    assert [tuple(row) for row in cur.fetchall()] == [("older-run", False)]


def test_connection_audit_procedures_parse_as_tsql_statement_by_statement() -> None:
    batches = sqlserver_batches()
    assert len(batches) == 2
    for batch in batches:
        tree = sqlglot.parse_one(batch, read="tsql", error_level=sqlglot.ErrorLevel.RAISE)
        assert isinstance(tree, exp.Create) and tree.kind == "PROCEDURE"
        # the body is parsed too, not kept as an opaque command
        assert not list(tree.find_all(exp.Command))
        # and the body statements pass the project's static T-SQL check one by one
        # (its statement splitter does not model a procedure's begin ... end wrapper)
        body = batch.split("\nbegin\n", 1)[1].rsplit("\nend", 1)[0]
        assert tsql_problems(body, "connection_audit.sql body") == []
    snapshot, cleanup = batches
    assert "sys.dm_exec_sessions" in snapshot and "sys.dm_exec_connections" in snapshot
    insert = next(sqlglot.parse_one(snapshot, read="tsql").find_all(exp.Insert))
    assert insert.this.this.name == "connection_login_events"
    assert next(sqlglot.parse_one(cleanup, read="tsql").find_all(exp.Delete))


@pytest.mark.parametrize("dialect", ["duckdb"])
def test_audit_ddl_is_idempotent_on_a_real_engine(dialect: str) -> None:
    with duckdb.connect(":memory:") as conn:
        for _ in range(2):
            for statement in ddl_statements(dialect):
                conn.execute(statement)
        tables = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'audit'"
            " order by table_name"
        ).fetchall()
    assert tables == [("connection_login_events",), ("etl_run",), ("etl_run_entity",)]


class _RecordingCursor:
    """A DB-API cursor that records what it is given and answers one row (0)."""

    def __init__(self, log: list[tuple[str, tuple]]) -> None:
        self.log = log

    def execute(self, sql: str, params: tuple = ()) -> None:
        self.log.append((sql, params))

    def fetchall(self) -> list[tuple[int]]:
        return [(0,)]

    def close(self) -> None:
        pass


class _RecordingConnection:
    def __init__(self) -> None:
        self.log: list[tuple[str, tuple]] = []

    def cursor(self) -> _RecordingCursor:
        return _RecordingCursor(self.log)


def test_sqlserver_source_table_check_looks_in_the_source_database() -> None:
    from orchestrator.warehouse import Db

    conn = _RecordingConnection()
    db = Db(conn, "sqlserver")
    db.table_exists("core", "customers", "ECOMMERCE_OLTP")
    db.table_exists("audit", "etl_run")
    (source_sql, source_params), (_, own_params) = conn.log
    assert source_params == ("ECOMMERCE_OLTP.core.customers",)
    assert own_params == ("audit.etl_run",)
    assert tsql_problems(source_sql.replace("?", "N'ECOMMERCE_OLTP.core.customers'"), "x") == []
