"""Live progress of a run, from dbt's JSON log events as they stream.

Events understood:
- node start / finish of an entity model or snapshot (LogStartLine, LogModelResult,
  LogSnapshotResult, SkippingDetails...): the entity started, finished with a status;
- "ETL_PROGRESS {json}" messages the load macros log per batch:
  {"entity", "batch", "batches", "rows", "extracted"}.

Two outputs:
- the console: on a TTY a compact block redrawn in place (entity, batch i/n, rows,
  elapsed); otherwise (CI, pipes) one plain line per event;
- a JSON progress file next to the warehouse (`<warehouse>.progress.json`), written
  atomically (temp file + os.replace), that the monitor reads while dbt holds the DuckDB
  file: run_id, pid, started_at, status, current entity, per-entity state, updated_at.

Callbacks stay cheap: no database access, the file is rewritten only when an entity's
state changes (and at most every `min_interval` seconds for batch ticks).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from orchestrator.results import ENTITY_RESOURCE_TYPES

log = logging.getLogger(__name__)

PROGRESS_PREFIX = "ETL_PROGRESS "
_START_EVENTS = {"LogStartLine", "NodeStart"}
_FINISH_EVENTS = {
    "LogModelResult",
    "LogSnapshotResult",
    "NodeFinished",
    "SkippingDetails",
    "LogSkipResult",
}


def _now_iso() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


@dataclass
class EntityProgress:
    entity: str
    state: str = "pending"  # pending | running | success | error | skipped | inactive
    batch: int | None = None
    batches: int | None = None
    rows: int | None = None
    extracted: int | None = None
    started_at: str | None = None
    finished_at: str | None = None
    started_monotonic: float | None = field(default=None, repr=False)
    elapsed_seconds: float | None = None


@dataclass(frozen=True)
class ProgressUpdate:
    """What one dbt event meant for an entity (None fields: unchanged)."""

    entity: str
    kind: str  # started | finished | batch
    status: str | None = None
    batch: int | None = None
    batches: int | None = None
    rows: int | None = None
    extracted: int | None = None


def interpret(event: dict[str, Any], entities: set[str]) -> ProgressUpdate | None:
    """The entity progress carried by one dbt JSON log event, if any."""
    info = event.get("info", {})
    data = event.get("data", {})
    message = data.get("msg") if isinstance(data.get("msg"), str) else info.get("msg", "")
    if isinstance(message, str) and message.startswith(PROGRESS_PREFIX):
        try:
            payload = json.loads(message[len(PROGRESS_PREFIX) :])
        except ValueError:
            return None
        entity = payload.get("entity")
        if entity not in entities:
            return None
        return ProgressUpdate(
            entity=entity,
            kind="batch",
            batch=_int(payload.get("batch")),
            batches=_int(payload.get("batches")),
            rows=_int(payload.get("rows")),
            extracted=_int(payload.get("extracted")),
        )
    node = data.get("node_info") or {}
    if node.get("resource_type") not in ENTITY_RESOURCE_TYPES:
        return None
    if node.get("node_name") not in entities:
        return None
    name = info.get("name", "")
    if name in _START_EVENTS:
        return ProgressUpdate(entity=node["node_name"], kind="started")
    if name in _FINISH_EVENTS:
        status = node.get("node_status") or str(data.get("status", "")).lower()
        if name in ("SkippingDetails", "LogSkipResult"):
            status = "skipped"
        return ProgressUpdate(entity=node["node_name"], kind="finished", status=status)
    return None


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


class ProgressTracker:
    """Keeps per-entity state of the run and renders it."""

    def __init__(
        self,
        run_id: str,
        entities: list[str],
        progress_file: Path | None,
        stream: TextIO | None = None,
        interactive: bool | None = None,
        min_interval: float = 0.5,
    ) -> None:
        self.run_id = run_id
        self.progress_file = progress_file
        self.stream = stream if stream is not None else sys.stdout
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.min_interval = min_interval
        self.started_at = _now_iso()
        self.started_monotonic = time.monotonic()
        self.status = "running"
        self.current: str | None = None
        self.dbt_pid: int | None = None
        self.entities: dict[str, EntityProgress] = {name: EntityProgress(name) for name in entities}
        self._last_write = 0.0
        self._drawn_lines = 0

    # --- events ---------------------------------------------------------------------

    def handle_event(self, event: dict[str, Any]) -> None:
        update = interpret(event, set(self.entities))
        if update is not None:
            self.apply(update)

    def apply(self, update: ProgressUpdate) -> None:
        state = self.entities[update.entity]
        now = time.monotonic()
        if update.kind == "started":
            state.state = "running"
            state.started_at = _now_iso()
            state.started_monotonic = now
            self.current = update.entity
        elif update.kind == "finished":
            state.state = update.status or "success"
            state.finished_at = _now_iso()
            if state.started_monotonic is not None:
                state.elapsed_seconds = round(now - state.started_monotonic, 1)
            if self.current == update.entity:
                self.current = None
        else:
            state.state = "running"
            self.current = update.entity
            state.batch = update.batch if update.batch is not None else state.batch
            state.batches = update.batches if update.batches is not None else state.batches
            state.rows = update.rows if update.rows is not None else state.rows
            state.extracted = update.extracted if update.extracted is not None else state.extracted
        self._render(update)
        self.write(force=update.kind != "batch")

    def mark(self, entity: str, state: str) -> None:
        """Set an entity's state outside dbt (inactive, dry_run...)."""
        if entity in self.entities:
            self.entities[entity].state = state

    # --- console ----------------------------------------------------------------------

    def _elapsed(self, state: EntityProgress) -> str:
        if state.elapsed_seconds is not None:
            return f"{state.elapsed_seconds:.1f}s"
        if state.started_monotonic is not None:
            return f"{time.monotonic() - state.started_monotonic:.1f}s"
        return "-"

    def _line(self, state: EntityProgress) -> str:
        batch = f"batch {state.batch}/{state.batches}" if state.batch is not None else ""
        rows = f"{state.rows} rows" if state.rows is not None else ""
        return f"{state.entity:<16} {state.state:<8} {batch:<14} {rows:<14} {self._elapsed(state)}"

    def _render(self, update: ProgressUpdate) -> None:
        if self.interactive:
            if self._drawn_lines:
                self.stream.write(f"\x1b[{self._drawn_lines}F")
            lines = [self._line(state) for state in self.entities.values()]
            for line in lines:
                self.stream.write("\x1b[2K" + line + "\n")
            self._drawn_lines = len(lines)
        else:
            state = self.entities[update.entity]
            if update.kind == "started":
                text = f"[{update.entity}] started"
            elif update.kind == "finished":
                text = f"[{update.entity}] {state.state} in {self._elapsed(state)}"
            else:
                text = f"[{update.entity}] batch {state.batch}/{state.batches} rows {state.rows}"
                if state.extracted is not None:
                    text += f" (extracted {state.extracted})"
            self.stream.write(text + "\n")
        self.stream.flush()

    # --- progress file ----------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "pid": os.getpid(),
            "dbt_pid": self.dbt_pid,
            "started_at": self.started_at,
            "status": self.status,
            "current_entity": self.current,
            "entities": {
                name: {k: v for k, v in asdict(state).items() if k != "started_monotonic"}
                for name, state in self.entities.items()
            },
            "updated_at": _now_iso(),
        }

    def write(self, force: bool = True) -> None:
        if self.progress_file is None:
            return
        now = time.monotonic()
        if not force and now - self._last_write < self.min_interval:
            return
        self._last_write = now
        temp = self.progress_file.with_name(self.progress_file.name + f".{os.getpid()}.tmp")
        try:
            temp.write_text(json.dumps(self.snapshot(), default=str), encoding="utf-8")
            os.replace(temp, self.progress_file)
        except OSError as exc:  # the progress file is a convenience, never a failure
            log.warning("could not write progress file %s: %s", self.progress_file, exc)

    def finish(self, status: str) -> None:
        """Mark the run finished in the progress file (the monitor then reads the audit)."""
        self.status = status
        self.current = None
        self.write(force=True)

    def remove(self) -> None:
        if self.progress_file is not None:
            with contextlib.suppress(FileNotFoundError):
                self.progress_file.unlink()
