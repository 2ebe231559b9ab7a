"""Connection audit: every connection the orchestrator opens (or fails to open) becomes a row
of audit.connection_login_events.

A failed attempt cannot be written to a warehouse that is unreachable: it goes to a
JSON-lines fallback file under data/ and is moved into the table by the next run that
connects. On SQL Server the orchestrator also installs and calls
audit.usp_snapshot_connections (orchestrator/sql/connection_audit.sql), a snapshot of
sys.dm_exec_sessions x sys.dm_exec_connections at run start, end and failure, and the
30-day retention cleanup.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
import os
import socket
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from orchestrator.warehouse import Db, database_name, host_address, login_name

log = logging.getLogger(__name__)

PROGRAM_NAME = "ecommerce_dw orchestrator"
SQL_DIR = Path(__file__).resolve().parent / "sql"
SQLSERVER_SCRIPT = SQL_DIR / "connection_audit.sql"
FALLBACK_NAME = "connection_login_events.jsonl"
RETENTION_DAYS = 30

# The columns of audit.connection_login_events this module writes (the monitor reads them).
COLUMNS = (
    "event_time",
    "login_name",
    "host_name",
    "program_name",
    "database_name",
    "status",
    "client_address",
    "error_message",
    "run_id",
    "source",
    "event_kind",
)


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class ConnectionEvent:
    event_time: datetime
    login_name: str
    host_name: str
    program_name: str
    database_name: str
    status: str  # success | failed
    client_address: str | None
    error_message: str | None
    run_id: str | None
    source: str = "orchestrator"
    event_kind: str = "connect"

    def to_json(self) -> str:
        data = asdict(self)
        data["event_time"] = self.event_time.isoformat()
        return json.dumps(data)

    @classmethod
    def from_json(cls, line: str) -> ConnectionEvent:
        data = json.loads(line)
        data["event_time"] = datetime.fromisoformat(data["event_time"])
        return cls(**{key: data.get(key) for key in COLUMNS})


def _os_login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def new_event(target: str, run_id: str | None, status: str, error: str | None) -> ConnectionEvent:
    return ConnectionEvent(
        event_time=_utcnow(),
        login_name=login_name(target) or _os_login(),
        host_name=socket.gethostname(),
        program_name=PROGRAM_NAME,
        database_name=database_name(target),
        status=status,
        client_address=host_address(target) if target != "duckdb" else "local",
        error_message=None if error is None else error[:3900],
        run_id=run_id,
    )


class ConnectionAudit:
    """Collects the run's connection events and writes them when the warehouse is there."""

    def __init__(self, target: str, run_id: str, fallback_dir: Path) -> None:
        self.target = target
        self.run_id = run_id
        self.fallback = fallback_dir / FALLBACK_NAME
        self.pending: list[ConnectionEvent] = []

    def failed(self, error: str) -> None:
        """A connection attempt that failed: kept on disk until a run can write it."""
        event = new_event(self.target, self.run_id, "failed", error)
        try:
            self.fallback.parent.mkdir(parents=True, exist_ok=True)
            with self.fallback.open("a", encoding="utf-8") as handle:
                handle.write(event.to_json() + "\n")
        except OSError as exc:
            log.warning("could not record the failed connection in %s: %s", self.fallback, exc)

    def connected(self, db: Db) -> None:
        """A successful connection; the client address as the engine sees it."""
        event = new_event(self.target, self.run_id, "success", None)
        with contextlib.suppress(Exception):
            if self.target == "postgres":
                row = db.query("select inet_client_addr(), current_user")[0]
                event.client_address = "local socket" if row[0] is None else str(row[0])
                event.login_name = str(row[1])
            elif self.target == "sqlserver":
                row = db.query(
                    "select client_net_address, suser_sname() from sys.dm_exec_connections"
                    " where session_id = @@spid"
                )[0]
                event.client_address, event.login_name = str(row[0]), str(row[1])
        self.pending.append(event)

    def flush(self, db: Db) -> None:
        """Write pending events and those left in the fallback file by earlier runs."""
        events = list(self.pending)
        from_file: list[ConnectionEvent] = []
        if self.fallback.exists():
            with contextlib.suppress(OSError, ValueError, TypeError):
                from_file = [
                    ConnectionEvent.from_json(line)
                    for line in self.fallback.read_text(encoding="utf-8").splitlines()
                    if line.strip()
                ]
        markers = ", ".join("?" for _ in COLUMNS)
        for event in [*from_file, *events]:
            db.execute(
                f"insert into audit.connection_login_events ({', '.join(COLUMNS)})"
                f" values ({markers})",
                [getattr(event, column) for column in COLUMNS],
            )
        db.commit()
        self.pending.clear()
        if from_file:
            with contextlib.suppress(FileNotFoundError):
                self.fallback.unlink()

    # --- SQL Server session snapshots ---------------------------------------------------

    def install_sqlserver_procedures(self, db: Db) -> None:
        for batch in sqlserver_batches():
            db.execute(batch)
        db.commit()

    def snapshot(self, db: Db, moment: str) -> None:
        """SQL Server only: snapshot the sessions (moment: start | end | failure) and apply
        the retention; other engines record the orchestrator's own connections only."""
        if self.target != "sqlserver":
            return
        try:
            db.execute(
                "exec audit.usp_snapshot_connections @run_id = ?, @moment = ?",
                [self.run_id, moment],
            )
            if moment != "start":
                db.execute(
                    "exec audit.usp_cleanup_connection_events @retention_days = ?",
                    [RETENTION_DAYS],
                )
            db.commit()
        except Exception as exc:  # the snapshot must not fail the load
            log.warning("connection snapshot (%s) failed: %s", moment, exc)


def sqlserver_batches(path: Path = SQLSERVER_SCRIPT) -> list[str]:
    """The T-SQL batches of the connection audit script (split on GO lines)."""
    batches: list[str] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip().upper() == "GO":
            batches.append("\n".join(current))
            current = []
        else:
            current.append(line)
    batches.append("\n".join(current))
    return [
        batch.strip()
        for batch in batches
        if any(line.strip() and not line.strip().startswith("--") for line in batch.splitlines())
    ]


def fallback_events(fallback_dir: Path) -> list[dict[str, Any]]:
    """The failed-connection events waiting on disk (for tests and the monitor)."""
    path = fallback_dir / FALLBACK_NAME
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def fallback_dir_for(data_dir: Path) -> Path:
    """Fallback location: ETL_CONNECTION_AUDIT_DIR, else data/."""
    return Path(os.environ.get("ETL_CONNECTION_AUDIT_DIR", str(data_dir)))
