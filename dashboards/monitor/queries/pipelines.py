"""The pipeline matrix as the monitor shows it: observability.pipeline_status with the
entities of the run in progress (live progress file, open audit runs) as RODANDO, the SLA
alerts over it, and the live progress of a run (read from the progress file, without
touching the warehouse the load holds)."""

from __future__ import annotations

import socket
from datetime import datetime
from typing import Any

import pandas as pd

from dashboards.common.cache import loader
from dashboards.common.connections import live_progress, run_lock, session
from dashboards.common.settings import Settings
from observability import pipeline_status, runbook, sla
from observability.pipeline_status import MATRIX_COLUMNS, RODANDO
from observability.reader import Session, utcnow
from orchestrator.lock import pid_alive

RUNNING_RUNS_SQL = """
select run_id, entities_requested, started_by, started_at, pid, is_dry_run
from audit.etl_run
where status = 'running'
order by started_at desc
"""

RUN_WINDOWS_DONE_SQL = """
select entity_name
from audit.etl_load_window
where run_id = ? and status in ('loaded', 'failed', 'skipped', 'inactive', 'dry_run')
"""


def _progress_entities(progress: dict[str, Any] | None) -> set[str]:
    """Entities a progress record still has pending or running."""
    if progress is None:
        return set()
    return {
        name
        for name, state in (progress.get("entities") or {}).items()
        if isinstance(state, dict) and state.get("state") in ("pending", "running")
    }


def running_entities(sess: Session, settings: Settings) -> set[str]:
    """Entities of the runs in progress that have not finished yet: the live progress file
    and every audit run still open whose process is alive."""
    running = _progress_entities(live_progress(settings))
    if "audit.etl_run" not in sess.tables():
        return running
    here = socket.gethostname()
    for run in sess.df(RUNNING_RUNS_SQL).itertuples():
        host = str(run.started_by).split("@", 1)[-1]
        if host == here and not pid_alive(int(run.pid or 0)):
            continue  # died: the next run closes it
        done = {row[0] for row in sess.rows(RUN_WINDOWS_DONE_SQL, [run.run_id])}
        requested = str(run.entities_requested)
        if requested == "all":
            names = set(sess.df("select entity_name from ctl.etl_control")["entity_name"])
        else:
            names = {name.strip() for name in requested.split(",") if name.strip()}
        running |= names - done
    return running


def pipeline_matrix(settings: Settings, now: datetime | None = None) -> pd.DataFrame:
    """One row per entity of ctl.etl_control (observability.pipeline_status)."""
    with session(settings) as sess:
        if "ctl.etl_control" not in sess.tables():
            return pd.DataFrame(columns=MATRIX_COLUMNS)
        return pipeline_status.pipeline_matrix(sess, now, running_entities(sess, settings))


load_pipeline_matrix = loader(MATRIX_COLUMNS)(pipeline_matrix)


def apply_live_progress(matrix: pd.DataFrame, progress: dict[str, Any] | None) -> pd.DataFrame:
    """Entities of the run in progress shown as RODANDO over (possibly stale) data."""
    running = _progress_entities(progress)
    if not running or matrix.empty:
        return matrix
    frame = matrix.copy()
    frame.loc[frame["entity"].isin(running), "status"] = RODANDO
    return frame


ALERT_COLUMNS = ["entity", "rule", "severity", "value", "threshold", "message", "runbook"]


def sla_alerts(matrix: pd.DataFrame, now: datetime | None = None) -> pd.DataFrame:
    """The SLA alerts of the matrix (the shared rules, observability/sla.py), each with its
    runbook link."""
    items = sla.from_records(matrix.to_dict("records"))
    alerts = sla.evaluate(items, now or utcnow())
    return pd.DataFrame(
        [
            (a.entity, a.rule, a.severity, a.value, a.threshold, a.message, runbook.url(a.rule))
            for a in alerts
        ],
        columns=ALERT_COLUMNS,
    )


def sla_compliance(matrix: pd.DataFrame, alerts: pd.DataFrame) -> float | None:
    items = sla.from_records(matrix.to_dict("records"))
    active = {item.entity for item in items if item.is_active}
    if not active:
        return None
    alerted = set(alerts["entity"]) & active
    return round(100.0 * (len(active) - len(alerted)) / len(active), 1)


# --- the run in progress ----------------------------------------------------------------

RUNNING_COLUMNS = [
    "run_id",
    "entity",
    "estado",
    "batch",
    "batches",
    "linhas",
    "extraidos",
    "inicio",
    "decorrido_s",
]


def running_now(settings: Settings) -> pd.DataFrame:
    """What runs now, from the orchestrator's live progress file (no database access: it
    works while the load holds the DuckDB file)."""
    progress = live_progress(settings)
    if progress is None:
        return pd.DataFrame(columns=RUNNING_COLUMNS)
    return progress_frame(progress)


def progress_frame(progress: dict[str, Any]) -> pd.DataFrame:
    now = utcnow()
    rows: list[tuple[Any, ...]] = []
    for name, state in (progress.get("entities") or {}).items():
        if not isinstance(state, dict):
            continue
        started = state.get("started_at")
        elapsed = state.get("elapsed_seconds")
        if elapsed is None and started and state.get("state") == "running":
            try:
                elapsed = round((now - datetime.fromisoformat(started)).total_seconds(), 1)
            except ValueError:
                elapsed = None
        rows.append(
            (
                progress.get("run_id"),
                name,
                state.get("state"),
                state.get("batch"),
                state.get("batches"),
                state.get("rows"),
                state.get("extracted"),
                started,
                elapsed,
            )
        )
    return pd.DataFrame(rows, columns=RUNNING_COLUMNS)


def run_in_progress(settings: Settings) -> dict[str, Any] | None:
    """The live run: its progress record, or the lock holder when no record is there."""
    progress = live_progress(settings)
    if progress is not None:
        return progress
    holder = run_lock(settings)
    if holder is None:
        return None
    return {
        "run_id": holder.run_id,
        "pid": holder.pid,
        "started_at": holder.started_at,
        "status": "running",
        "entities": {},
    }
