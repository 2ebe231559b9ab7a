"""Resumo operacional: run KPIs of the last 24 h, the last full check, the Gantt timeline,
runs by status and volumes by entity (14 days), recent failures with their category,
reason, action and runbook link."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from dashboards.common.cache import loader
from dashboards.common.connections import session
from dashboards.common.settings import Settings
from dashboards.monitor.queries.pipelines import sla_compliance
from observability import runbook, taxonomy
from observability.pipeline_status import (
    FALHA,
    OK,
    PENDENTE_ESTRUTURA,
    RODANDO,
    SEM_EXECUCAO,
    seconds_between,
)
from observability.reader import utcnow

RUN_KPIS_SQL = """
select
    count(*) as runs_24h,
    sum(case when status = 'success' then 1 else 0 end) as success_24h,
    sum(case when status in ('partial', 'failed') then 1 else 0 end) as failed_24h,
    sum(case when status = 'running' then 1 else 0 end) as running_24h
from audit.etl_run
where started_at >= ? and is_dry_run = ?
"""

LAST_RUN_SQL = """
select run_id, status, started_at, finished_at, entities_requested, error_message
from audit.etl_run
where is_dry_run = ?
order by started_at desc
"""

# a full check tests the whole warehouse (--full-checks or --full-refresh); an incremental
# run tests only the rows it loaded
LAST_FULL_CHECK_SQL = """
select run_id, status, started_at, finished_at, entities_requested
from audit.etl_run
where full_checks = ? and is_dry_run = ? and status <> 'running' and finished_at is not null
order by finished_at desc
"""

# audit.etl_run of a warehouse no run has touched since full_checks was added lacks it
FULL_CHECKS_COLUMN_SQL = """
select count(*)
from information_schema.columns
where table_schema = 'audit' and table_name = 'etl_run' and column_name = 'full_checks'
"""

ENTITY_PERFORMANCE_SQL = """
select entity_name, started_at, finished_at, extracted_count, upserted_count
from audit.etl_run_entity
where started_at >= ? and is_dry_run = ? and status = 'success'
"""

TIMELINE_RUNS_SQL = """
select run_id, status, started_at, finished_at, entities_requested
from audit.etl_run
where started_at >= ?
order by started_at desc
"""

TIMELINE_ENTITIES_SQL = """
select entity_run.run_id, entity_run.entity_name, entity_run.status, entity_run.started_at,
    entity_run.finished_at, entity_run.upserted_count
from audit.etl_run_entity as entity_run
where entity_run.started_at >= ?
    and entity_run.status in ('success', 'failed', 'skipped', 'dry_run')
"""

RUNS_BY_STATUS_SQL = """
select cast(started_at as date) as dia, status, count(*) as execucoes
from audit.etl_run
where started_at >= ?
group by cast(started_at as date), status
order by dia
"""

VOLUME_BY_ENTITY_SQL = """
select entity_name,
    sum(coalesce(extracted_count, 0)) as extraidos,
    sum(coalesce(upserted_count, 0)) as upserted
from audit.etl_run_entity
where started_at >= ? and is_dry_run = ?
group by entity_name
order by entity_name
"""

RECENT_FAILURES_SQL = """
select entity_run.finished_at, entity_run.run_id, entity_run.entity_name, entity_run.status,
    entity_run.error_category, entity_run.error_message, entity_run.error_action
from audit.etl_run_entity as entity_run
where entity_run.status in ('failed', 'skipped')
order by entity_run.finished_at desc
"""

RUN_KPI_COLUMNS = [
    "runs_24h",
    "success_24h",
    "failed_24h",
    "running_24h",
    "success_rate_24h",
    "last_run_id",
    "last_run_status",
    "last_run_started_at",
    "mean_duration_seconds_24h",
    "mean_throughput_rows_s_24h",
]


def run_kpis(settings: Settings, now: datetime | None = None) -> pd.DataFrame:
    """One row: runs of the last 24 h (success rate, failures), the last run, mean entity
    duration and throughput of the successful loads of the last 24 h."""
    now = now or utcnow()
    since = now - timedelta(hours=24)
    with session(settings) as sess:
        tables = sess.tables()
        if "audit.etl_run" not in tables:
            return pd.DataFrame(columns=RUN_KPI_COLUMNS)
        counts = sess.rows(RUN_KPIS_SQL, [since, False])[0]
        last = sess.df(LAST_RUN_SQL, [False], limit=1)
        perf = sess.df(ENTITY_PERFORMANCE_SQL, [since, False])
    runs, success, failed, running = (int(value or 0) for value in counts)
    finished = success + failed
    durations = [seconds_between(row.started_at, row.finished_at) for row in perf.itertuples()]
    rates = [
        float(row.upserted_count) / seconds
        for row, seconds in zip(perf.itertuples(), durations, strict=True)
        if seconds and not pd.isna(row.upserted_count)
    ]
    valid = [value for value in durations if value is not None]
    record = {
        "runs_24h": runs,
        "success_24h": success,
        "failed_24h": failed,
        "running_24h": running,
        "success_rate_24h": round(100.0 * success / finished, 1) if finished else None,
        "last_run_id": last["run_id"].iloc[0] if not last.empty else None,
        "last_run_status": last["status"].iloc[0] if not last.empty else None,
        "last_run_started_at": last["started_at"].iloc[0] if not last.empty else None,
        "mean_duration_seconds_24h": sum(valid) / len(valid) if valid else None,
        "mean_throughput_rows_s_24h": sum(rates) / len(rates) if rates else None,
    }
    return pd.DataFrame([record], columns=RUN_KPI_COLUMNS)


load_run_kpis = loader(RUN_KPI_COLUMNS)(run_kpis)


def kpi_cards(matrix: pd.DataFrame, runs: pd.DataFrame, alerts: pd.DataFrame) -> dict[str, Any]:
    """The values of the Resumo cards (pure: from the loaders' frames)."""
    active = matrix[matrix["is_active"].astype(bool)] if not matrix.empty else matrix
    run = runs.iloc[0].to_dict() if not runs.empty else {}
    source_sum = pd.to_numeric(active.get("source_total"), errors="coerce").sum()
    target_sum = pd.to_numeric(active.get("target_total"), errors="coerce").sum()
    statuses = active["status"].value_counts().to_dict() if not active.empty else {}
    return {
        "entidades_ativas": len(active),
        "taxa_sucesso_24h": run.get("success_rate_24h"),
        "falhas_24h": run.get("failed_24h", 0),
        "execucoes_24h": run.get("runs_24h", 0),
        "ultimo_status": run.get("last_run_status"),
        "ultimo_run_id": run.get("last_run_id"),
        "cobertura_geral": round(100.0 * target_sum / source_sum, 2) if source_sum else None,
        "pendentes": int(
            pd.to_numeric(active.get("source_pending_since_watermark"), errors="coerce").sum()
        )
        if not active.empty
        else 0,
        "latencia_media_s": run.get("mean_duration_seconds_24h"),
        "throughput_medio": run.get("mean_throughput_rows_s_24h"),
        "pipelines_ok": int(statuses.get(OK, 0)),
        "pipelines_falha": int(statuses.get(FALHA, 0)),
        "pipelines_rodando": int(statuses.get(RODANDO, 0)),
        "pipelines_pendente_estrutura": int(statuses.get(PENDENTE_ESTRUTURA, 0)),
        "pipelines_sem_execucao": int(statuses.get(SEM_EXECUCAO, 0)),
        "conformidade_sla": sla_compliance(matrix, alerts) if not matrix.empty else None,
    }


FULL_CHECK_COLUMNS = ["run_id", "status", "started_at", "finished_at", "entities_requested"]


def last_full_check(settings: Settings) -> pd.DataFrame:
    """The newest finished full check (a run with audit.etl_run.full_checks, not a dry
    run), one row; no rows when there has been none."""
    with session(settings) as sess:
        if "audit.etl_run" not in sess.tables():
            return pd.DataFrame(columns=FULL_CHECK_COLUMNS)
        sql = FULL_CHECKS_COLUMN_SQL
        if settings.target == "duckdb":
            sql += " and table_catalog = current_database()"
        if not sess.scalar(sql):
            return pd.DataFrame(columns=FULL_CHECK_COLUMNS)
        frame = sess.df(LAST_FULL_CHECK_SQL, [True, False], limit=1)
    return frame[FULL_CHECK_COLUMNS]


load_last_full_check = loader(FULL_CHECK_COLUMNS)(last_full_check)


def full_check_card(check: pd.DataFrame, now: datetime | None = None) -> dict[str, Any]:
    """The values of the "Ultima verificacao completa" card (pure: from the loader's frame;
    the age is taken at `now`, not when the frame was read)."""
    if check.empty:
        return dict.fromkeys(("run_id", "status", "finished_at", "entities", "age_s"))
    row = check.iloc[0]
    return {
        "run_id": row["run_id"],
        "status": row["status"],
        "finished_at": row["finished_at"],
        "entities": row["entities_requested"],
        "age_s": seconds_between(row["finished_at"], now or utcnow()),
    }


TIMELINE_COLUMNS = ["run_id", "item", "nivel", "status", "inicio", "fim", "linhas"]


def timeline(settings: Settings, hours: int = 24, max_runs: int = 15) -> pd.DataFrame:
    """Gantt rows: each of the last runs (nivel 'run') and its entities (nivel 'entidade')."""
    since = utcnow() - timedelta(hours=hours)
    with session(settings) as sess:
        tables = sess.tables()
        if "audit.etl_run" not in tables:
            return pd.DataFrame(columns=TIMELINE_COLUMNS)
        runs = sess.df(TIMELINE_RUNS_SQL, [since], limit=max_runs)
        entities = sess.df(TIMELINE_ENTITIES_SQL, [since])
    now = utcnow()
    rows: list[tuple[Any, ...]] = []
    keep = set(runs["run_id"])
    for run in runs.itertuples():
        rows.append(
            (
                run.run_id,
                f"run {run.run_id}",
                "run",
                run.status,
                run.started_at,
                run.finished_at if not pd.isna(run.finished_at) else now,
                None,
            )
        )
    for item in entities[entities["run_id"].isin(keep)].itertuples():
        rows.append(
            (
                item.run_id,
                item.entity_name,
                "entidade",
                item.status,
                item.started_at,
                item.finished_at if not pd.isna(item.finished_at) else now,
                item.upserted_count,
            )
        )
    frame = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    frame["inicio"] = pd.to_datetime(frame["inicio"])
    frame["fim"] = pd.to_datetime(frame["fim"])
    return frame


load_timeline = loader(TIMELINE_COLUMNS)(timeline)


def runs_by_status(settings: Settings, days: int = 14) -> pd.DataFrame:
    since = utcnow() - timedelta(days=days)
    with session(settings) as sess:
        if "audit.etl_run" not in sess.tables():
            return pd.DataFrame(columns=["dia", "status", "execucoes"])
        frame = sess.df(RUNS_BY_STATUS_SQL, [since])
    frame["dia"] = pd.to_datetime(frame["dia"])
    frame["execucoes"] = frame["execucoes"].astype(int)
    return frame


load_runs_by_status = loader(["dia", "status", "execucoes"])(runs_by_status)


def volume_by_entity(settings: Settings, days: int = 14) -> pd.DataFrame:
    since = utcnow() - timedelta(days=days)
    with session(settings) as sess:
        if "audit.etl_run_entity" not in sess.tables():
            return pd.DataFrame(columns=["entity_name", "extraidos", "upserted"])
        frame = sess.df(VOLUME_BY_ENTITY_SQL, [since, False])
    for column in ("extraidos", "upserted"):
        frame[column] = pd.to_numeric(frame[column]).astype("int64")
    return frame


load_volume_by_entity = loader(["entity_name", "extraidos", "upserted"])(volume_by_entity)

FAILURE_COLUMNS = [
    "finished_at",
    "run_id",
    "entity_name",
    "status",
    "error_category",
    "motivo",
    "acao_sugerida",
    "error_message",
    "runbook",
]


def recent_failures(settings: Settings, limit: int = 20) -> pd.DataFrame:
    """The newest failed (or skipped) entity loads with category, reason and action."""
    with session(settings) as sess:
        if "audit.etl_run_entity" not in sess.tables():
            return pd.DataFrame(columns=FAILURE_COLUMNS)
        frame = sess.df(RECENT_FAILURES_SQL, limit=limit)
    frame["motivo"] = frame["error_category"].map(taxonomy.reason)
    frame["acao_sugerida"] = [
        action if isinstance(action, str) and action else taxonomy.action(category)
        for action, category in zip(frame["error_action"], frame["error_category"], strict=True)
    ]
    frame["runbook"] = frame["error_category"].map(runbook.url)
    return frame[FAILURE_COLUMNS]


load_recent_failures = loader(FAILURE_COLUMNS)(recent_failures)
