"""Connections to the warehouse of a dbt target, with the same ETL_* settings as profiles.yml."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from orchestrator.config import duckdb_source_path, duckdb_warehouse_path, spark_dir

log = logging.getLogger(__name__)

# DuckDB allows one writer process: a dashboard or monitor may hold the file for a moment.
DUCKDB_BUSY_RETRY_SECONDS = 15.0


def describe(target: str) -> str:
    """Where the warehouse of `target` is, for messages (no secret)."""
    if target == "duckdb":
        return f"duckdb file {duckdb_warehouse_path()}"
    if target == "spark":
        return f"spark warehouse {spark_dir()} (ETL_SPARK_DIR)"
    if target == "postgres":
        return (
            f"postgres {os.environ.get('ETL_PG_HOST', '127.0.0.1')}:"
            f"{os.environ.get('ETL_PG_PORT', '5432')}/{database_name(target)}"
        )
    return (
        f"sqlserver {os.environ.get('ETL_SQL_SERVER', 'localhost')}:"
        f"{os.environ.get('ETL_SQL_PORT', '1433')}/{database_name(target)}"
    )


def database_name(target: str) -> str:
    if target == "duckdb":
        return duckdb_warehouse_path().stem
    if target == "spark":
        return spark_dir().name
    if target == "postgres":
        return os.environ.get("ETL_PG_DATABASE", "dw_ecommerce")
    return os.environ.get("ETL_DW_DATABASE", "DW_ECOMMERCE")


def login_name(target: str) -> str:
    if target == "postgres":
        return os.environ.get("ETL_PG_USER", "postgres")
    if target == "sqlserver":
        return os.environ.get("ETL_SQL_USER", "etl_user")
    return ""


def host_address(target: str) -> str:
    if target == "postgres":
        host, port = (
            os.environ.get("ETL_PG_HOST", "127.0.0.1"),
            os.environ.get("ETL_PG_PORT", "5432"),
        )
        return f"{host}:{port}"
    if target == "sqlserver":
        host = os.environ.get("ETL_SQL_SERVER", "localhost")
        return f"{host}:{os.environ.get('ETL_SQL_PORT', '1433')}"
    return "local"


def _connect_duckdb(read_only: bool, retry_seconds: float) -> Any:
    import duckdb

    path = duckdb_warehouse_path()
    deadline = time.monotonic() + retry_seconds
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                raise
            log.info("warehouse file busy (another process holds it), retrying: %s", exc)
            time.sleep(0.5)


def sqlserver_connection_string(
    user: str | None = None, password: str | None = None, program: str = "ecommerce_dw orchestrator"
) -> str:
    """The ODBC connection string of the SQL Server warehouse (ETL_SQL_*), for `user`
    (default: the ETL login ETL_SQL_USER) and the program name the server records."""
    trust = os.environ.get("ETL_SQL_TRUST_CERT", "false").lower() in ("1", "true", "yes")
    parts = {
        "DRIVER": "{" + os.environ.get("ETL_SQL_DRIVER", "ODBC Driver 18 for SQL Server") + "}",
        "SERVER": f"{os.environ.get('ETL_SQL_SERVER', 'localhost')},"
        f"{os.environ.get('ETL_SQL_PORT', '1433')}",
        "DATABASE": database_name("sqlserver"),
        "UID": user if user is not None else login_name("sqlserver"),
        "PWD": password if password is not None else os.environ.get("ETL_SQL_PASSWORD", ""),
        "Encrypt": "yes",
        "TrustServerCertificate": "yes" if trust else "no",
        "APP": program,
    }
    return ";".join(f"{key}={value}" for key, value in parts.items())


def _connect_sqlserver() -> Any:
    import pyodbc

    return pyodbc.connect(sqlserver_connection_string(), timeout=5)


def open_connection(
    target: str, read_only: bool = False, retry_seconds: float = DUCKDB_BUSY_RETRY_SECONDS
) -> Any:
    """A new DB-API connection to the warehouse of `target`; the caller closes it."""
    if target == "duckdb":
        return _connect_duckdb(read_only, retry_seconds)
    if target == "postgres":
        import psycopg2

        return psycopg2.connect(
            host=os.environ.get("ETL_PG_HOST", "127.0.0.1"),
            port=int(os.environ.get("ETL_PG_PORT", "5432")),
            user=login_name("postgres"),
            password=os.environ.get("ETL_PG_PASSWORD", ""),
            dbname=database_name("postgres"),
            connect_timeout=5,
            application_name="ecommerce_dw orchestrator",
        )
    if target == "sqlserver":
        return _connect_sqlserver()
    if target == "spark":
        from orchestrator.spark import SparkConnection

        return SparkConnection()
    raise ValueError(f"unsupported warehouse target {target!r}")


@contextmanager
def connect_warehouse(target: str, read_only: bool = False) -> Iterator[Any]:
    """A DB-API connection to the warehouse of `target` (duckdb, postgres, sqlserver, spark)."""
    conn = open_connection(target, read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()


class Db:
    """A thin helper over a DB-API connection: one SQL text per statement with `?` markers,
    translated to the driver's paramstyle; values always travel as bind parameters."""

    def __init__(self, conn: Any, target: str) -> None:
        self.conn = conn
        self.target = target

    def _run(self, cur: Any, sql: str, params: Sequence[Any]) -> None:
        """SQL without parameters goes as it is (a `%` in it is not a marker)."""
        if not params:
            cur.execute(sql)
        elif self.target == "postgres":
            cur.execute(sql.replace("?", "%s"), tuple(params))
        else:
            cur.execute(sql, tuple(params))

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        cur = self.conn.cursor()
        try:
            self._run(cur, sql, params)
        finally:
            cur.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.cursor()
        try:
            self._run(cur, sql, params)
            return [tuple(row) for row in cur.fetchall()]
        finally:
            cur.close()

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()

    def table_exists(self, schema: str, table: str, catalog: str | None = None) -> bool:
        """Whether schema.table exists (in `catalog`: DuckDB's attached source, or the source
        database on SQL Server)."""
        if self.target == "duckdb":
            sql = (
                "select count(*) from information_schema.tables"
                " where table_schema = ? and table_name = ?"
            )
            params: list[Any] = [schema, table]
            if catalog:
                sql += " and table_catalog = ?"
                params.append(catalog)
            else:
                sql += " and table_catalog = current_database()"
            return bool(self.query(sql, params)[0][0])
        if self.target == "spark":  # no information_schema: the session's catalog
            return bool(self.conn.table_exists(schema, table))
        if self.target == "postgres":
            return bool(
                self.query(
                    "select count(*) from information_schema.tables"
                    " where table_schema = ? and table_name = ?",
                    [schema, table],
                )[0][0]
            )
        # SQL Server: the source lives in its own database (catalog ECOMMERCE_OLTP)
        name = f"{catalog}.{schema}.{table}" if catalog else f"{schema}.{table}"
        return bool(
            self.query(
                "select case when object_id(?, 'U') is null then 0 else 1 end",
                [name],
            )[0][0]
        )


def source_database_path() -> str:
    """The DuckDB source file (ECOMMERCE_OLTP), for the pre-flight."""
    return str(duckdb_source_path())
