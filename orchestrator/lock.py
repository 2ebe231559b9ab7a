"""One run at a time per warehouse.

- DuckDB: an exclusive lock file next to the warehouse file, created with
  O_CREAT | O_EXCL (atomic on local file systems), holding JSON
  {run_id, pid, host, started_at}. A lock whose holder pid is no longer alive on this
  host is stale: it is removed and its holder reported, so the caller can close that
  run's audit rows.
- PostgreSQL: `pg_try_advisory_lock` on a connection held for the whole run (the server
  releases it if the process dies); the holder's details come from audit.etl_run rows
  still 'running'.
- SQL Server: `sp_getapplock` with a session owner, the same idea.

The server lock is defined once, in the dbt macro etl_warehouse_lock, because a direct dbt
run takes it too (the hook etl_run_claim). dbt closes the hooks' session when on-run-start
ends, so such a run cannot keep the lock: its 'running' row holds the warehouse instead,
while dbt is connected to the database.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from orchestrator.errors import LockHeldError
from orchestrator.shared_macros import render
from orchestrator.warehouse import Db

log = logging.getLogger(__name__)


@cache
def lock_statements(dialect: str) -> dict[str, Any]:
    """The warehouse lock of `dialect`: its statements, key and resource (the macro
    etl_warehouse_lock)."""
    return dict(json.loads(render("etl_warehouse_lock", dialect)))


# Advisory lock key of every run on PostgreSQL (the same constant for every run).
PG_LOCK_KEY: int = lock_statements("postgres")["key"]
# An unreadable lock file (the holder died between creating and writing it) this old is stale.
UNREADABLE_LOCK_GRACE_SECONDS = 30.0


@dataclass(frozen=True)
class LockInfo:
    """Who holds (or held) the warehouse."""

    run_id: str
    pid: int
    host: str
    started_at: str

    def describe(self) -> str:
        who = f"pid {self.pid} on {self.host}" if self.pid else self.host
        return f"run {self.run_id} ({who}, started {self.started_at})"


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def held_message(holder: LockInfo) -> str:
    return f"another run holds the warehouse: {holder.describe()}"


class FileLock:
    """The DuckDB warehouse lock: `<warehouse>.lock` created exclusively."""

    def __init__(self, path: Path, me: LockInfo) -> None:
        self.path = path
        self.me = me
        self.held = False

    def acquire(self) -> LockInfo | None:
        """Take the lock. Returns the holder of a stale lock that was removed (None if
        the lock was free); raises LockHeldError if a live run holds it."""
        stale: LockInfo | None = None
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self.read_holder()
                if holder is None:
                    continue  # removed in the meantime
                if not self._is_stale(holder):
                    raise LockHeldError(held_message(holder)) from None
                log.warning("removing stale lock of %s", holder.describe())
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                stale = holder
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(asdict(self.me), handle)
            self.held = True
            return stale
        raise LockHeldError(f"could not take the lock file {self.path}")

    def read_holder(self) -> LockInfo | None:
        try:
            text = self.path.read_text(encoding="utf-8")
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
            return LockInfo(
                run_id=str(data["run_id"]),
                pid=int(data["pid"]),
                host=str(data["host"]),
                started_at=str(data["started_at"]),
            )
        except (ValueError, KeyError, TypeError):
            # created but never written: the holder died right after creating it
            old = time.time() - mtime > UNREADABLE_LOCK_GRACE_SECONDS
            return LockInfo("?", 0 if old else os.getpid(), socket.gethostname(), "?")

    @staticmethod
    def _is_stale(holder: LockInfo) -> bool:
        return holder.host == socket.gethostname() and not pid_alive(holder.pid)

    def release(self) -> None:
        if self.held:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self.held = False


class ServerLock:
    """The PostgreSQL / SQL Server lock, held by one dedicated connection for the run."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self.sql = lock_statements(db.target)
        self.held = False

    def acquire(self) -> LockInfo | None:
        """Take the lock: None when taken, else who holds the warehouse: the lock's holder,
        or a direct dbt run still connected (then the lock is given back)."""
        self.held = bool(self.db.query(self.sql["take"])[0][0])
        self.db.commit()
        if not self.held:
            return holder_from_audit(self._running("holders"))
        direct_runs = self._running("direct_runs")
        if direct_runs and self._dbt_connected():
            self.release()
            return holder_from_audit(direct_runs)
        return None

    def _running(self, statement: str) -> list[tuple[Any, ...]]:
        if not self.db.table_exists("audit", "etl_run"):
            return []
        rows = self.db.query(self.sql[statement])
        self.db.commit()
        return rows

    def _dbt_connected(self) -> bool:
        """Whether dbt has a session open on the database, looked for a few times: dbt
        reconnects for every node, so a live run can be between two connections."""
        for poll in range(self.sql["polls"]):
            if poll:
                self.db.execute(self.sql["pause"])
            if self.db.query(self.sql["dbt_sessions"])[0][0]:
                return True
        return False

    def release(self) -> None:
        if not self.held:
            return
        with contextlib.suppress(Exception):
            self.db.execute(self.sql["release"])
            self.db.commit()
        self.held = False


def holder_from_audit(rows: list[tuple[Any, ...]]) -> LockInfo:
    """The holder of a server lock, from its audit.etl_run row (run_id, pid, started_by,
    started_at), or an anonymous holder when it has not written it yet. A direct dbt run
    has no pid: its started_by ('dbt:<user>@<host>') names it."""
    if not rows:
        return LockInfo("(unknown: no running row in audit.etl_run yet)", 0, "?", "?")
    run_id, pid, who, started = rows[0]
    host = (str(who).split("@", 1)[-1] if pid else str(who)) if who else "?"
    return LockInfo(str(run_id), int(pid or 0), host, str(started))
