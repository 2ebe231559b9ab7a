"""Runs e controle: the control table, recent runs and the per-entity detail of a run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd

from dashboards.common.cache import loader
from dashboards.common.connections import session
from dashboards.common.settings import Settings
from observability.pipeline_status import CONTROL_SQL, seconds_between
from observability.reader import utcnow

RECENT_RUNS_SQL = """
select run_id, status, started_at, finished_at, entities_requested, entities_succeeded,
    entities_failed, started_by, target, is_dry_run, full_refresh, error_message
from audit.etl_run
where started_at >= ?
order by started_at desc
"""

RUN_ENTITIES_SQL = """
select entity_run.entity_name, entity_run.status, entity_run.load_kind,
    entity_run.started_at, entity_run.finished_at, entity_run.extracted_count,
    entity_run.upserted_count, entity_run.soft_deleted_count, entity_run.quarantined_count,
    entity_run.batches, entity_run.backlog_after_count, entity_run.watermark_from_updated_at,
    entity_run.watermark_from_id, entity_run.watermark_to_updated_at,
    entity_run.watermark_to_id, entity_run.tests_passed, entity_run.tests_warned,
    entity_run.tests_failed, entity_run.error_category, entity_run.error_message,
    entity_run.error_action
from audit.etl_run_entity as entity_run
where entity_run.run_id = ?
order by entity_run.started_at, entity_run.entity_name
"""

RUN_WINDOWS_SQL = """
select entity_name, status, load_kind, planned_at as started_at, finished_at,
    extracted_count, upserted_count, soft_deleted_count, quarantined_count, batches,
    backlog_after_count, watermark_from_updated_at, watermark_from_id,
    watermark_to_updated_at, watermark_to_id, error_message
from audit.etl_load_window
where run_id = ?
order by planned_at
"""

CONTROL_COLUMNS = [
    "entity_name",
    "source_table",
    "target_table",
    "source_pk_column",
    "watermark_updated_at",
    "watermark_id",
    "cutoff_minutes",
    "batch_size",
    "is_active",
    "sla_minutes",
    "last_run_id",
    "last_status",
    "last_success_at",
    "created_at",
    "updated_at",
]


def control_table(settings: Settings) -> pd.DataFrame:
    with session(settings) as sess:
        if "ctl.etl_control" not in sess.tables():
            return pd.DataFrame(columns=CONTROL_COLUMNS)
        return sess.df(CONTROL_SQL)


load_control = loader(CONTROL_COLUMNS)(control_table)

RECENT_RUN_COLUMNS = [
    "run_id",
    "status",
    "started_at",
    "finished_at",
    "duracao_s",
    "entities_requested",
    "entities_succeeded",
    "entities_failed",
    "started_by",
    "target",
    "is_dry_run",
    "full_refresh",
    "error_message",
]


def recent_runs(
    settings: Settings, days: int = 7, statuses: tuple[str, ...] = (), limit: int = 200
) -> pd.DataFrame:
    since = utcnow() - timedelta(days=days)
    with session(settings) as sess:
        if "audit.etl_run" not in sess.tables():
            return pd.DataFrame(columns=RECENT_RUN_COLUMNS)
        sql = RECENT_RUNS_SQL
        params: list[Any] = [since]
        if statuses:
            sql = sql.replace(
                "where started_at >= ?",
                "where started_at >= ? and status in (" + ", ".join("?" for _ in statuses) + ")",
            )
            params += list(statuses)
        frame = sess.df(sql, params, limit=limit)
    frame["duracao_s"] = [
        seconds_between(start, end)
        for start, end in zip(frame["started_at"], frame["finished_at"], strict=True)
    ]
    return frame[RECENT_RUN_COLUMNS]


load_recent_runs = loader(RECENT_RUN_COLUMNS)(recent_runs)

RUN_ENTITY_COLUMNS = [
    "entity_name",
    "status",
    "load_kind",
    "started_at",
    "finished_at",
    "duracao_s",
    "extracted_count",
    "upserted_count",
    "soft_deleted_count",
    "quarantined_count",
    "batches",
    "backlog_after_count",
    "watermark_from_updated_at",
    "watermark_from_id",
    "watermark_to_updated_at",
    "watermark_to_id",
    "tests_passed",
    "tests_warned",
    "tests_failed",
    "error_category",
    "error_message",
    "error_action",
]


def run_entities(settings: Settings, run_id: str) -> pd.DataFrame:
    """Per-entity detail of one run (audit.etl_run_entity; dbt's windows while the run is
    still open or when dbt ran without the orchestrator)."""
    with session(settings) as sess:
        tables = sess.tables()
        frame = pd.DataFrame()
        if "audit.etl_run_entity" in tables:
            frame = sess.df(RUN_ENTITIES_SQL, [run_id])
        if frame.empty and "audit.etl_load_window" in tables:
            frame = sess.df(RUN_WINDOWS_SQL, [run_id])
    if frame.empty:
        return pd.DataFrame(columns=RUN_ENTITY_COLUMNS)
    frame["duracao_s"] = [
        seconds_between(start, end)
        for start, end in zip(frame["started_at"], frame["finished_at"], strict=True)
    ]
    return frame.reindex(columns=RUN_ENTITY_COLUMNS)


load_run_entities = loader(RUN_ENTITY_COLUMNS)(run_entities)
