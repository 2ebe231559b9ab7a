"""The orchestrator's own SQL for SQL Server passes the static T-SQL check (sqlglot,
read="tsql"), since no SQL Server runs here; DuckDB and PostgreSQL run it for real
in the other tests."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from orchestrator.audit import ddl_statements
from orchestrator.connection_audit import sqlserver_batches
from tests.targets.tsql_check import tsql_problems


def test_audit_ddl_parses_as_tsql() -> None:
    for statement in ddl_statements("sqlserver"):
        assert tsql_problems(statement, "audit ddl") == []


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
