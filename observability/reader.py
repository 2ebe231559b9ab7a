"""A read session over one open DB-API connection of any of the three warehouses.

The dialect details every reader needs live here once: `?` markers (translated for
psycopg2), the warehouse's tables and views, the OLTP source (DuckDB attaches its file
read-only as catalog `ecommerce_oltp`, as the dbt profile does), top-N through fetchmany
(no LIMIT / TOP in the SQL). Identifiers that come from data (ctl.etl_control) are checked
by `identifier` before they reach SQL text; values always travel as bind parameters.

Opening the connection is the caller's: the dashboards open short-lived read-only ones
(dashboards/common/connections.py), the alert runner the orchestrator's.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

log = logging.getLogger(__name__)

OLTP_CATALOG = "ecommerce_oltp"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class WarehouseBusy(Exception):
    """A load holds the DuckDB warehouse file: try again after the run."""


class WarehouseUnavailable(Exception):
    """The warehouse cannot be reached (no file, server down, bad credentials)."""


class Location(Protocol):
    """Which warehouse a session reads: its dbt target and (DuckDB) the source file."""

    @property
    def target(self) -> str: ...

    @property
    def oltp_duckdb_path(self) -> Path: ...


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def identifier(name: str) -> str:
    """A SQL identifier from the control table, checked before it reaches SQL text."""
    if not _IDENTIFIER.match(name or ""):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def split_table(qualified: str) -> tuple[str, str]:
    """'core.customers' -> ('core', 'customers'), both checked identifiers."""
    schema, _, table = qualified.rpartition(".")
    return identifier(schema or "main"), identifier(table)


def oltp_database() -> str:
    """SQL Server: the source database (ETL_OLTP_DATABASE), a checked identifier."""
    return identifier(os.environ.get("ETL_OLTP_DATABASE", "ECOMMERCE_OLTP"))


def true_literal(target: str) -> str:
    """The SQL literal of boolean true (SQL Server stores flags as bit)."""
    return "1" if target == "sqlserver" else "true"


class Session:
    """Queries over one open DB-API connection; `?` markers, values as bind parameters."""

    def __init__(self, conn: Any, settings: Location) -> None:
        self.conn = conn
        self.settings = settings
        self._source_attached = False
        self._tables: set[str] | None = None

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.settings.target == "postgres" else sql

    def df(self, sql: str, params: Sequence[Any] = (), limit: int | None = None) -> pd.DataFrame:
        """The rows of a query as a DataFrame (the first `limit` rows when given: the
        portable way to take a top-N, no LIMIT/TOP in the SQL)."""
        cur = self.conn.cursor()
        try:
            cur.execute(self._sql(sql), tuple(params))
            rows = cur.fetchall() if limit is None else cur.fetchmany(limit)
            columns = [column[0] for column in cur.description]
        finally:
            cur.close()
        return pd.DataFrame([tuple(row) for row in rows], columns=columns)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.cursor()
        try:
            cur.execute(self._sql(sql), tuple(params))
            return [tuple(row) for row in cur.fetchall()]
        finally:
            cur.close()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    # --- catalog ----------------------------------------------------------------------

    def tables(self) -> set[str]:
        """schema.table of every table and view of the warehouse (read once per session:
        sessions are short)."""
        if self._tables is None:
            sql = "select table_schema, table_name from information_schema.tables"
            if self.settings.target == "duckdb":
                sql += " where table_catalog = current_database()"
            self._tables = {f"{schema}.{table}".lower() for schema, table in self.rows(sql)}
        return set(self._tables)

    def attach_source(self) -> bool:
        """DuckDB: attach the OLTP source file read-only as catalog ecommerce_oltp (what
        the dbt profile does). False when the file is missing or busy."""
        if self.settings.target != "duckdb":
            return True
        if self._source_attached:
            return True
        path = self.settings.oltp_duckdb_path
        if not path.exists():
            return False
        try:
            self.conn.execute(f"attach '{_quote(str(path))}' as {OLTP_CATALOG} (read_only)")
        except Exception as exc:  # busy source (a generator writing), unreadable file
            log.info("cannot attach source %s: %s", path, exc)
            return False
        self._source_attached = True
        return True

    def source_tables(self) -> set[str]:
        """schema.table of the OLTP source (empty when it cannot be read)."""
        if not self.attach_source():
            return set()
        sql = "select table_schema, table_name from information_schema.tables"
        if self.settings.target == "duckdb":
            sql += f" where table_catalog = '{OLTP_CATALOG}'"
        elif self.settings.target == "sqlserver":
            # the source is its own database on SQL Server
            sql = (
                f"select table_schema, table_name from {oltp_database()}.information_schema.tables"
                " where table_schema = 'core'"
            )
        else:
            sql += " where table_schema = 'core'"
        return {f"{schema}.{table}".lower() for schema, table in self.rows(sql)}

    def source_columns(self, qualified: str) -> list[str]:
        """The columns of a source table ('core.customers'), in table order."""
        schema, table = split_table(qualified)
        columns = "information_schema.columns"
        where = "table_schema = ? and table_name = ?"
        if self.settings.target == "duckdb":
            if not self.attach_source():
                return []
            where += f" and table_catalog = '{OLTP_CATALOG}'"
        elif self.settings.target == "sqlserver":
            columns = f"{oltp_database()}.information_schema.columns"
        rows = self.rows(
            f"select column_name from {columns} where {where} order by ordinal_position",
            [schema, table],
        )
        return [identifier(str(row[0])) for row in rows]

    def source_relation(self, qualified: str) -> str:
        """The SQL name of a source table ('core.customers') from the warehouse session."""
        schema, table = split_table(qualified)
        if self.settings.target == "duckdb":
            return f"{OLTP_CATALOG}.{schema}.{table}"
        if self.settings.target == "sqlserver":
            return f"{oltp_database()}.{schema}.{table}"
        return f"{schema}.{table}"


def _quote(text: str) -> str:
    return text.replace("'", "''")
