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

The read session over a connection (`Session`: `?` markers, catalog, the attached source)
is observability/reader.py's, which the alert runner shares.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboards.common.settings import PROGRAM_NAME, Settings
from observability.reader import (
    Session,
    WarehouseBusy,
    WarehouseUnavailable,
    oltp_database,
    utcnow,
)
from orchestrator.lock import FileLock, LockInfo, pid_alive

log = logging.getLogger(__name__)

BUSY_RETRY_SECONDS = 1.5

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

    user, password = settings.credentials_for()  # the app's own login, when configured
    try:
        conn = psycopg2.connect(
            host=settings.pg_host,
            port=settings.pg_port,
            user=user,
            password=password,
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
        login_name=settings.credentials_for()[0],
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
    # SQL Server: a short-lived connection per session, as the app's login (read intent)
    conn = _open_sqlserver(settings)
    try:
        yield Session(conn, settings)
    finally:
        with contextlib.suppress(Exception):
            conn.close()


def _open_sqlserver(settings: Settings) -> Any:
    import pyodbc

    from orchestrator.warehouse import sqlserver_connection_string

    user, password = settings.credentials_for()
    try:
        return pyodbc.connect(
            sqlserver_connection_string(user, password, PROGRAM_NAME)
            + ";ApplicationIntent=ReadOnly",
            timeout=5,
        )
    except pyodbc.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        raise WarehouseUnavailable(f"SQL Server {settings.label}: {message}") from None


@dataclass(frozen=True)
class SourceCheck:
    ok: bool
    detail: str


def check_source(settings: Settings) -> SourceCheck:
    """Whether the OLTP source answers: DuckDB opens its file read-only (the running load
    reads it read-only too); PostgreSQL looks for schema core in the warehouse database,
    SQL Server in the source database (ETL_OLTP_DATABASE)."""
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
            count = len(sess.source_tables())
    except (WarehouseBusy, WarehouseUnavailable) as exc:
        return SourceCheck(False, str(exc))
    where = f"{oltp_database()}.core" if settings.target == "sqlserver" else "schema core"
    return SourceCheck(bool(count), f"{where} ({count} tabelas)")
