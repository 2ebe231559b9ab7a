"""Reading the warehouse from a dashboard, without ever getting in a load's way.

- DuckDB allows one writer process or several readers, never both. A dashboard opens a
  short-lived READ-ONLY connection per batch of queries and closes it at once. While the
  orchestrator holds its run lock (`<warehouse>.lock`, a live pid) the dashboard does not
  touch the file at all: it raises `WarehouseBusy` and the caller shows the last data it
  could read plus the live progress file. A lock error from DuckDB itself (a plain
  `dbt build` holds the file) is retried briefly, then also becomes `WarehouseBusy`.
- PostgreSQL: one cached connection per process (st.cache_resource), autocommit, reopened
  when the server dropped it. Its opening is recorded in audit.connection_login_events
  (the monitor's own connections, SPEC section 4). On DuckDB the dashboards are read-only
  and record nothing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.common.settings import PROGRAM_NAME, Settings
from orchestrator.lock import FileLock, LockInfo, pid_alive

log = logging.getLogger(__name__)

BUSY_RETRY_SECONDS = 1.5
OLTP_CATALOG = "ecommerce_oltp"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class WarehouseBusy(Exception):
    """A load holds the DuckDB warehouse file: try again after the run."""


class WarehouseUnavailable(Exception):
    """The warehouse cannot be reached (no file, server down, bad credentials)."""


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


# --- the run in progress ----------------------------------------------------------------


def run_lock(settings: Settings) -> LockInfo | None:
    """The live orchestrator run holding the DuckDB warehouse, if any."""
    if settings.target != "duckdb" or not settings.lock_path.exists():
        return None
    holder = FileLock(settings.lock_path, LockInfo("", 0, "", "")).read_holder()
    if holder is None or not pid_alive(holder.pid):
        return None
    return holder


def read_progress(settings: Settings) -> dict[str, Any] | None:
    """The orchestrator's live progress record (None when absent or unreadable)."""
    try:
        data = json.loads(settings.progress_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def live_progress(settings: Settings) -> dict[str, Any] | None:
    """The progress record of a run that is running now (its process alive)."""
    progress = read_progress(settings)
    if progress is None or progress.get("status") != "running":
        return None
    pid = progress.get("pid")
    if not isinstance(pid, int) or not pid_alive(pid):
        return None
    return progress


# --- sessions ---------------------------------------------------------------------------


class Session:
    """Queries over one open DB-API connection; `?` markers, values as bind parameters."""

    def __init__(self, conn: Any, settings: Settings) -> None:
        self.conn = conn
        self.settings = settings
        self._source_attached = False

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
        """schema.table of every table and view of the warehouse."""
        sql = "select table_schema, table_name from information_schema.tables"
        if self.settings.target == "duckdb":
            sql += " where table_catalog = current_database()"
        return {f"{schema}.{table}".lower() for schema, table in self.rows(sql)}

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
        else:
            sql += " where table_schema = 'core'"
        return {f"{schema}.{table}".lower() for schema, table in self.rows(sql)}

    def source_relation(self, qualified: str) -> str:
        """The SQL name of a source table ('core.customers') from the warehouse session."""
        schema, table = split_table(qualified)
        if self.settings.target == "duckdb":
            return f"{OLTP_CATALOG}.{schema}.{table}"
        if self.settings.target == "sqlserver":
            return f"ECOMMERCE_OLTP.{schema}.{table}"
        return f"{schema}.{table}"


def _quote(text: str) -> str:
    return text.replace("'", "''")


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text


def _open_duckdb(settings: Settings) -> Any:
    import duckdb

    if run_lock(settings) is not None:
        raise WarehouseBusy("uma carga do orquestrador esta em andamento")
    if not settings.duckdb_path.exists():
        raise WarehouseUnavailable(f"arquivo do DW nao existe: {settings.duckdb_path}")
    deadline = time.monotonic() + BUSY_RETRY_SECONDS
    while True:
        try:
            return duckdb.connect(str(settings.duckdb_path), read_only=True)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise WarehouseUnavailable(str(exc).splitlines()[0]) from None
            if time.monotonic() >= deadline or run_lock(settings) is not None:
                raise WarehouseBusy("arquivo do DW em uso por uma carga (dbt)") from None
            time.sleep(0.25)


def _open_postgres(settings: Settings) -> Any:
    import psycopg2

    try:
        conn = psycopg2.connect(
            host=settings.pg_host,
            port=settings.pg_port,
            user=settings.pg_user,
            password=settings.pg_password,
            dbname=settings.pg_database,
            connect_timeout=5,
            application_name=PROGRAM_NAME,
        )
    except psycopg2.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        _record_failed_connection(settings, message)
        raise WarehouseUnavailable(message) from None
    conn.autocommit = True
    _record_connection(conn, settings)
    return conn


def _record_connection(conn: Any, settings: Settings) -> None:
    """The monitor's own connection, in audit.connection_login_events (PostgreSQL only:
    the monitor can write there; on DuckDB it is strictly read-only and records nothing)."""
    import socket

    try:
        cur = conn.cursor()
        cur.execute(
            "insert into audit.connection_login_events (event_time, login_name, host_name,"
            " program_name, database_name, status, client_address, source, event_kind)"
            " select %s, current_user, %s, %s, current_database(), 'success',"
            " coalesce(host(inet_client_addr()), 'local socket'), 'monitor', 'connect'",
            (utcnow(), socket.gethostname(), PROGRAM_NAME),
        )
        cur.close()
    except Exception as exc:  # no audit table yet, or no grant: never block the monitor
        log.info("monitor connection not recorded: %s", exc)


def _record_failed_connection(settings: Settings, message: str) -> None:
    """A failed attempt cannot reach the warehouse: it waits in the orchestrator's
    fallback file, which the next run moves into audit.connection_login_events."""
    import os
    import socket

    from orchestrator.connection_audit import ConnectionEvent, fallback_dir_for

    event = ConnectionEvent(
        event_time=utcnow(),
        login_name=settings.pg_user,
        host_name=socket.gethostname(),
        program_name=PROGRAM_NAME,
        database_name=settings.pg_database,
        status="failed",
        client_address=f"{settings.pg_host}:{settings.pg_port}",
        error_message=message[:3900],
        run_id=None,
        source="monitor",
    )
    path = fallback_dir_for(settings.data_dir) / "connection_login_events.jsonl"
    with contextlib.suppress(OSError):
        os.makedirs(path.parent, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(event.to_json() + "\n")


def _pg_alive(conn: Any) -> bool:
    return getattr(conn, "closed", 1) == 0


@st.cache_resource(show_spinner=False, validate=_pg_alive)
def _pg_connection(settings: Settings) -> Any:
    return _open_postgres(settings)


_PG_LOCK = threading.Lock()


@contextmanager
def session(settings: Settings) -> Iterator[Session]:
    """A read session on the warehouse: raises WarehouseBusy / WarehouseUnavailable."""
    if settings.target == "duckdb":
        conn = _open_duckdb(settings)
        try:
            yield Session(conn, settings)
        finally:
            conn.close()
        return
    if settings.target == "postgres":
        import psycopg2

        conn = _pg_connection(settings)
        try:
            with _PG_LOCK:
                yield Session(conn, settings)
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
            with contextlib.suppress(Exception):
                conn.close()
            _pg_connection.clear()
            raise WarehouseUnavailable(str(exc).strip().splitlines()[0]) from None
        return
    raise WarehouseUnavailable(
        "SQL Server nao e acessivel nesta maquina: use o stack docker/ (SPEC secao 8)"
    )


@dataclass(frozen=True)
class SourceCheck:
    ok: bool
    detail: str


def check_source(settings: Settings) -> SourceCheck:
    """Whether the OLTP source answers: DuckDB opens its file read-only (the running load
    reads it read-only too); PostgreSQL looks for schema core in the warehouse database."""
    if settings.target == "duckdb":
        import duckdb

        path = settings.oltp_duckdb_path
        if not path.exists():
            return SourceCheck(False, f"arquivo da origem nao existe: {path}")
        try:
            with duckdb.connect(str(path), read_only=True) as conn:
                count = conn.execute(
                    "select count(*) from information_schema.tables where table_schema = 'core'"
                ).fetchone()[0]
        except duckdb.Error as exc:
            return SourceCheck(False, f"origem ilegivel: {str(exc).splitlines()[0]}")
        return SourceCheck(count > 0, f"{path} ({count} tabelas em core)")
    try:
        with session(settings) as sess:
            count = sess.scalar(
                "select count(*) from information_schema.tables where table_schema = 'core'"
            )
    except (WarehouseBusy, WarehouseUnavailable) as exc:
        return SourceCheck(False, str(exc))
    return SourceCheck(bool(count), f"schema core ({count} tabelas)")
