"""The status of every entity of ctl.etl_control: the monitor's pipeline matrix and the
inputs of the SLA rules, so the page and the alert runner never disagree.

Per entity: status (OK | FALHA | RODANDO | PENDENTE_ESTRUTURA | SEM_EXECUCAO), source and
target row counts, coverage, changes pending since the watermark and how long the oldest
has waited (freshness), the last run (duration, throughput, error category) and the runs
and failures of the last 7 days. History comes from audit.etl_run_entity (orchestrator
runs) or, when dbt ran alone, from the load windows dbt keeps in audit.etl_load_window.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from observability import sla
from observability.reader import Session, identifier, split_table, utcnow

OK = "OK"
FALHA = "FALHA"
RODANDO = "RODANDO"
PENDENTE_ESTRUTURA = "PENDENTE_ESTRUTURA"
SEM_EXECUCAO = "SEM_EXECUCAO"
PIPELINE_STATUSES = (OK, FALHA, RODANDO, PENDENTE_ESTRUTURA, SEM_EXECUCAO)
FAILED_ENTITY_STATUSES = ("failed", "skipped")

# The natural key of each entity's target table (a -1 in a one-column key is the unknown
# member, which has no source row and is left out of the target count).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "dim_cliente": ("cliente_original_id",),
    "dim_produto": ("produto_original_id",),
    "dim_regiao": ("regiao_original_id",),
    "dim_equipe": ("equipe_original_id",),
    "dim_vendedor": ("vendedor_original_id",),
    "dim_desconto": ("desconto_original_id",),
    "fact_vendas": ("venda_original_id",),
    "fact_metas": ("vendedor_id", "mes_referencia", "tipo_periodo"),
    "fact_descontos": ("desconto_aplicado_original_id",),
}

CONTROL_SQL = """
select entity_name, source_table, target_table, source_pk_column, watermark_updated_at,
    watermark_id, cutoff_minutes, batch_size, is_active, sla_minutes, last_run_id,
    last_status, last_success_at, created_at, updated_at
from ctl.etl_control
order by entity_name
"""

LAST_ENTITY_RUN_SQL = """
select ranked.entity_name, ranked.run_id, ranked.status, ranked.started_at,
    ranked.finished_at, ranked.extracted_count, ranked.upserted_count,
    ranked.quarantined_count, ranked.error_category
from (
    select entity_run.entity_name, entity_run.run_id, entity_run.status,
        entity_run.started_at, entity_run.finished_at, entity_run.extracted_count,
        entity_run.upserted_count, entity_run.quarantined_count, entity_run.error_category,
        row_number() over (
            partition by entity_run.entity_name
            order by entity_run.finished_at desc, entity_run.run_id desc
        ) as position
    from audit.etl_run_entity as entity_run
    where entity_run.is_dry_run = ?
        and entity_run.status in ('success', 'failed', 'skipped')
) as ranked
where ranked.position = 1
"""

# dbt run directly (no orchestrator): the windows dbt keeps are the history.
LAST_WINDOW_SQL = """
select ranked.entity_name, ranked.run_id, ranked.status, ranked.started_at,
    ranked.finished_at, ranked.extracted_count, ranked.upserted_count,
    ranked.quarantined_count, ranked.error_category
from (
    select load_window.entity_name, load_window.run_id,
        case when load_window.status = 'loaded' then 'success' else 'failed' end as status,
        load_window.planned_at as started_at, load_window.finished_at,
        load_window.extracted_count, load_window.upserted_count,
        load_window.quarantined_count, cast(null as varchar(40)) as error_category,
        row_number() over (
            partition by load_window.entity_name
            order by load_window.planned_at desc
        ) as position
    from audit.etl_load_window as load_window
    where load_window.status in ('loaded', 'failed')
) as ranked
where ranked.position = 1
"""

ENTITY_STATS_SQL = """
select entity_run.entity_name,
    count(*) as runs_7d,
    sum(case when entity_run.status in ('failed', 'skipped') then 1 else 0 end) as failures_7d
from audit.etl_run_entity as entity_run
where entity_run.is_dry_run = ?
    and entity_run.started_at >= ?
    and entity_run.status in ('success', 'failed', 'skipped')
group by entity_run.entity_name
"""

WINDOW_STATS_SQL = """
select load_window.entity_name,
    count(*) as runs_7d,
    sum(case when load_window.status = 'failed' then 1 else 0 end) as failures_7d
from audit.etl_load_window as load_window
where load_window.planned_at >= ?
    and load_window.status in ('loaded', 'failed')
group by load_window.entity_name
"""

MATRIX_COLUMNS = [
    "entity",
    "status",
    "is_active",
    "source_table",
    "target_table",
    "source_total",
    "target_total",
    "coverage_percent",
    "source_pending_since_watermark",
    "freshness_minutes",
    "last_duration_seconds",
    "last_throughput_rows_s",
    "last_run_id",
    "last_status",
    "last_execution_at",
    "last_success_at",
    "last_error_category",
    "runs_7d",
    "failures_7d",
    "watermark_updated_at",
    "watermark_id",
    "sla_minutes",
    "batch_size",
    "cutoff_minutes",
]


def _source_counts(
    sess: Session, row: Any, now: datetime, source_tables: set[str]
) -> tuple[Any, Any, Any]:
    """(source_total, pending since the watermark, oldest pending change) of an entity."""
    if str(row.source_table).lower() not in source_tables:
        return None, None, None
    relation = sess.source_relation(str(row.source_table))
    pk = identifier(str(row.source_pk_column))
    cutoff = now - timedelta(minutes=int(row.cutoff_minutes or 0))
    pending = "updated_at <= ?"
    params: list[Any] = [cutoff]
    if row.watermark_updated_at is not None and not pd.isna(row.watermark_updated_at):
        pending += f" and (updated_at > ? or (updated_at = ? and {pk} > ?))"
        wm = pd.Timestamp(row.watermark_updated_at).to_pydatetime()
        params += [wm, wm, int(row.watermark_id or 0)]
    sql = (
        f"select count(*) as total, sum(case when {pending} then 1 else 0 end) as pending,"
        f" min(case when {pending} then updated_at end) as oldest from {relation}"
    )
    total, count, oldest = sess.rows(sql, params + params)[0]
    return total, int(count or 0), oldest


def _target_total(sess: Session, entity: str, target_table: str, tables: set[str]) -> Any:
    if target_table.lower() not in tables:
        return None
    schema, table = split_table(target_table)
    key = NATURAL_KEYS.get(entity, ())
    where = ""
    if len(key) == 1:
        where = f" where {identifier(key[0])} >= 0"  # not the -1 unknown member
    return sess.scalar(f"select count(*) from {schema}.{table}{where}")


def _entity_history(sess: Session, tables: set[str], since: datetime) -> tuple[Any, Any]:
    if "audit.etl_run_entity" in tables:
        last = sess.df(LAST_ENTITY_RUN_SQL, [False])
        stats = sess.df(ENTITY_STATS_SQL, [False, since])
        if not last.empty or "audit.etl_load_window" not in tables:
            return last, stats
    if "audit.etl_load_window" in tables:
        return sess.df(LAST_WINDOW_SQL), sess.df(WINDOW_STATS_SQL, [since])
    empty_last = pd.DataFrame(columns=["entity_name", "run_id", "status", "finished_at"])
    return empty_last, pd.DataFrame(columns=["entity_name", "runs_7d", "failures_7d"])


def pipeline_matrix(
    sess: Session, now: datetime | None = None, running: Collection[str] = ()
) -> pd.DataFrame:
    """One row per entity of ctl.etl_control: status, volumes, coverage, freshness, last
    run, 7-day history (the SLA inputs). `running`: entities of a run in progress (the
    caller knows them from the live progress file), shown as RODANDO."""
    now = now or utcnow()
    tables = sess.tables()
    if "ctl.etl_control" not in tables:
        return pd.DataFrame(columns=MATRIX_COLUMNS)
    control = sess.df(CONTROL_SQL)
    source_tables = sess.source_tables()
    last, stats = _entity_history(sess, tables, now - timedelta(days=sla.RECURRING_WINDOW_DAYS))
    last_by = {row.entity_name: row for row in last.itertuples()}
    stats_by = {row.entity_name: row for row in stats.itertuples()}
    records: list[dict[str, Any]] = []
    for row in control.itertuples():
        entity = str(row.entity_name)
        source_total, pending, oldest = _source_counts(sess, row, now, source_tables)
        target_total = _target_total(sess, entity, str(row.target_table), tables)
        run = last_by.get(entity)
        stat = stats_by.get(entity)
        duration = seconds_between(run.started_at, run.finished_at) if run is not None else None
        rows_loaded = None
        if run is not None:
            rows_loaded = run.upserted_count if not pd.isna(run.upserted_count) else None
        throughput = (
            float(rows_loaded) / duration
            if duration and rows_loaded is not None and duration > 0
            else None
        )
        last_status = row.last_status if isinstance(row.last_status, str) else None
        if last_status is None and run is not None:
            last_status = run.status
        structure_missing = source_total is None or target_total is None
        if entity in running:
            status = RODANDO
        elif last_status in FAILED_ENTITY_STATUSES:
            status = FALHA
        elif structure_missing:
            status = PENDENTE_ESTRUTURA
        elif last_status is None:
            status = SEM_EXECUCAO
        else:
            status = OK
        coverage = None
        if source_total is not None and target_total is not None:
            coverage = 100.0 * float(target_total) / float(source_total) if source_total else 100.0
        freshness = None
        if pending is not None:
            freshness = (
                0.0
                if not pending or oldest is None
                else max((now - pd.Timestamp(oldest).to_pydatetime()).total_seconds(), 0) / 60
            )
        last_execution = run.finished_at if run is not None else None
        if (last_execution is None or pd.isna(last_execution)) and isinstance(
            row.last_success_at, datetime | pd.Timestamp
        ):
            last_execution = row.last_success_at
        records.append(
            {
                "entity": entity,
                "status": status,
                "is_active": bool(row.is_active),
                "source_table": row.source_table,
                "target_table": row.target_table,
                "source_total": source_total,
                "target_total": target_total,
                "coverage_percent": None if coverage is None else round(coverage, 2),
                "source_pending_since_watermark": pending,
                "freshness_minutes": None if freshness is None else round(freshness, 1),
                "last_duration_seconds": duration,
                "last_throughput_rows_s": throughput,
                "last_run_id": row.last_run_id if row.last_run_id else None,
                "last_status": last_status,
                "last_execution_at": last_execution,
                "last_success_at": row.last_success_at,
                "last_error_category": run.error_category if run is not None else None,
                "runs_7d": int(stat.runs_7d) if stat is not None else 0,
                "failures_7d": int(stat.failures_7d or 0) if stat is not None else 0,
                "watermark_updated_at": row.watermark_updated_at,
                "watermark_id": row.watermark_id,
                "sla_minutes": row.sla_minutes,
                "batch_size": row.batch_size,
                "cutoff_minutes": row.cutoff_minutes,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=MATRIX_COLUMNS)
    for column in ("last_execution_at", "last_success_at", "watermark_updated_at"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def seconds_between(start: Any, end: Any) -> float | None:
    """Seconds from start to end (None when either is missing; never negative)."""
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return None
    return max((pd.Timestamp(end) - pd.Timestamp(start)).total_seconds(), 0.0)
