"""SQL of the monitor and its cached loaders.

Every loader takes the warehouse `Settings` and widget values and returns a DataFrame
(pages hold no SQL). Loaders are cached with st.cache_data(ttl=...) and work without a
Streamlit runtime (tests call them directly).

While a load holds the DuckDB file, a loader does not raise: it returns the last
DataFrame it could read for the same arguments, marked stale (`stale_since(df)`), or an
empty frame with its columns, marked unavailable (`unavailable(df)`).

SQL: `?` markers, values always bound; identifiers from ctl.etl_control are checked
(`identifier`) before they reach SQL text; top-N through fetchmany (no LIMIT / TOP), so
the same text runs on DuckDB, PostgreSQL and SQL Server.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboards.common import sla
from dashboards.common.connections import (
    Session,
    WarehouseBusy,
    WarehouseUnavailable,
    check_source,
    identifier,
    live_progress,
    read_progress,
    run_lock,
    session,
    split_table,
    utcnow,
)
from dashboards.common.settings import Settings
from orchestrator import connection_audit
from orchestrator.errors import CATEGORIES, OTHER, RULES
from orchestrator.lock import pid_alive

log = logging.getLogger(__name__)

TTL_SECONDS = 10
ARTIFACT_TTL_SECONDS = 30

# --- statuses ---------------------------------------------------------------------------

OK = "OK"
FALHA = "FALHA"
RODANDO = "RODANDO"
PENDENTE_ESTRUTURA = "PENDENTE_ESTRUTURA"
SEM_EXECUCAO = "SEM_EXECUCAO"
PIPELINE_STATUSES = (OK, FALHA, RODANDO, PENDENTE_ESTRUTURA, SEM_EXECUCAO)
FAILED_ENTITY_STATUSES = ("failed", "skipped")
COVERAGE_TARGET = 95.0

REQUIRED_OBJECTS = (
    "ctl.etl_control",
    "audit.etl_load_window",
    "audit.etl_quarantine",
    "audit.etl_run",
    "audit.etl_run_entity",
    "audit.connection_login_events",
)

# Source columns never shown in the monitor's source sample (LGPD, SPEC section 7).
PERSONAL_COLUMNS = frozenset(
    {"full_name", "email", "phone", "document_number", "birth_date", "address_line", "zip_code"}
)


@dataclass(frozen=True)
class EntityQuality:
    """What the quality checks of an entity look at (beyond its ctl.etl_control row)."""

    natural_key: tuple[str, ...]
    status_side: str = ""  # "source" | "target" | "" (no status column)
    status_column: str = ""
    status_values: tuple[str, ...] = ()
    foreign_keys: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()


QUALITY: dict[str, EntityQuality] = {
    "dim_cliente": EntityQuality(
        ("cliente_original_id",),
        "source",
        "customer_type",
        ("Novo", "Recorrente", "VIP", "Inativo"),
    ),
    "dim_produto": EntityQuality(
        ("produto_original_id",),
        "source",
        "product_status",
        ("Ativo", "Inativo", "Descontinuado"),
    ),
    "dim_regiao": EntityQuality(("regiao_original_id",)),
    "dim_equipe": EntityQuality(
        ("equipe_original_id",), "source", "team_type", ("Inside Sales", "Field Sales")
    ),
    "dim_vendedor": EntityQuality(
        ("vendedor_original_id",),
        "source",
        "seller_status",
        ("Ativo", "Afastado", "Suspenso", "Desligado"),
    ),
    "dim_desconto": EntityQuality(
        ("desconto_original_id",),
        "source",
        "discount_type",
        (
            "Cupom",
            "Promocao Automatica",
            "Desconto Progressivo",
            "Fidelidade",
            "Primeira Compra",
            "Cashback",
        ),
    ),
    "fact_vendas": EntityQuality(
        ("item_pedido_original_id",),
        "target",
        "status_pedido",
        ("Pendente", "Pago", "Faturado", "Enviado", "Entregue", "Cancelado", "Devolvido"),
        ("data_key", "cliente_key", "produto_key", "vendedor_key", "regiao_key"),
        (
            "quantidade_vendida",
            "valor_total_bruto",
            "valor_total_liquido",
            "custo_total",
            "quantidade_devolvida",
            "valor_devolvido",
        ),
    ),
    "fact_metas": EntityQuality(
        ("vendedor_key", "mes_referencia"),
        foreign_keys=("data_key", "vendedor_key", "equipe_key"),
        measures=("valor_meta", "quantidade_meta", "valor_realizado", "quantidade_realizada"),
    ),
    "fact_descontos": EntityQuality(
        ("desconto_aplicado_original_id",),
        foreign_keys=("desconto_key", "venda_key", "data_key", "cliente_key", "produto_key"),
        measures=("valor_desconto_aplicado", "valor_sem_desconto", "valor_com_desconto"),
    ),
}

# --- SQL --------------------------------------------------------------------------------

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

RUN_FAILURES_SQL = """
select run_id, finished_at, status, error_message
from audit.etl_run
where status in ('failed', 'partial')
order by started_at desc
"""

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

ENTITY_RUNS_SQL = """
select entity_run.run_id, entity_run.status, entity_run.started_at, entity_run.finished_at,
    entity_run.extracted_count, entity_run.upserted_count, entity_run.quarantined_count,
    entity_run.tests_failed, entity_run.error_category
from audit.etl_run_entity as entity_run
where entity_run.entity_name = ? and entity_run.is_dry_run = ?
order by entity_run.started_at desc
"""

QUARANTINE_SUMMARY_SQL = """
select reason, count(*) as linhas, min(quarantined_at) as primeira, max(quarantined_at) as ultima
from audit.etl_quarantine
where entity_name = ?
group by reason
order by linhas desc
"""

QUARANTINE_SAMPLE_SQL = """
select entity_name, natural_key, reason, source_updated_at, run_id, quarantined_at
from audit.etl_quarantine
where entity_name = ?
order by quarantined_at desc, natural_key
"""

QUARANTINE_TOTALS_SQL = """
select entity_name, count(*) as linhas
from audit.etl_quarantine
group by entity_name
"""

CONNECTION_EVENTS_SQL = """
select event_time, login_name, host_name, program_name, database_name, status,
    client_address, error_message, run_id, source, event_kind
from audit.connection_login_events
where event_time >= ?
"""

ENTITY_FAILURES_SINCE_SQL = """
select entity_run.finished_at, entity_run.entity_name, entity_run.error_category,
    entity_run.error_message
from audit.etl_run_entity as entity_run
where entity_run.status = 'failed' and entity_run.finished_at >= ?
"""

# --- loader machinery -------------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., pd.DataFrame])
_LAST_GOOD: dict[tuple[Any, ...], tuple[datetime, pd.DataFrame]] = {}
_LAST_GOOD_LOCK = threading.Lock()
_CACHED: list[Any] = []


def stale_since(frame: pd.DataFrame) -> str | None:
    """When (UTC, ISO) the data of a stale frame (served during a run) was read; None if
    live. Attributes stay JSON-friendly: Streamlit serialises them with the table."""
    return frame.attrs.get("stale_since")


def unavailable(frame: pd.DataFrame) -> str | None:
    """Why a frame is empty because the warehouse could not be read (None if read)."""
    return frame.attrs.get("unavailable")


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_freeze(item) for item in value)
    return value


def loader(columns: list[str], ttl: int = TTL_SECONDS) -> Callable[[F], F]:
    """st.cache_data(ttl) plus the last-good fallback while the warehouse is busy."""

    def decorate(function: F) -> F:
        cached = st.cache_data(ttl=ttl, show_spinner=False)(function)
        _CACHED.append(cached)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> pd.DataFrame:
            key = (
                function.__name__,
                _freeze(args),
                tuple(sorted((k, _freeze(v)) for k, v in kwargs.items())),
            )
            try:
                frame = cached(*args, **kwargs)
            except (WarehouseBusy, WarehouseUnavailable) as exc:
                with _LAST_GOOD_LOCK:
                    previous = _LAST_GOOD.get(key)
                if previous is not None and isinstance(exc, WarehouseBusy):
                    read_at, frame = previous
                    frame = frame.copy()
                    frame.attrs["stale_since"] = read_at.isoformat(sep=" ", timespec="seconds")
                    return frame
                empty = pd.DataFrame(columns=columns)
                empty.attrs["unavailable"] = str(exc)
                empty.attrs["busy"] = isinstance(exc, WarehouseBusy)
                return empty
            with _LAST_GOOD_LOCK:
                _LAST_GOOD[key] = (utcnow(), frame)
            return frame

        wrapper.clear = cached.clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def clear_caches() -> None:
    """ "Atualizar agora": forget cached data (the last-good copies stay for busy times)."""
    for cached in _CACHED:
        cached.clear()


def _has(sess: Session, tables: set[str], name: str) -> bool:
    return name in tables


def _seconds(start: Any, end: Any) -> float | None:
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return None
    return max((pd.Timestamp(end) - pd.Timestamp(start)).total_seconds(), 0.0)


def _true(settings: Settings) -> str:
    return "1" if settings.target == "sqlserver" else "true"


# --- pre-flight -------------------------------------------------------------------------

PREFLIGHT_COLUMNS = ["verificacao", "situacao", "detalhe"]


def preflight(settings: Settings) -> pd.DataFrame:
    """The checks on top of every page: DW and OLTP connections, ctl/audit objects, active
    scope, missing source/target tables. Never raises."""
    rows: list[tuple[str, str, str]] = []
    source = check_source(settings)
    try:
        with session(settings) as sess:
            tables = sess.tables()
            rows.append(("Conexao DW", OK, settings.label))
            rows.append(("Conexao OLTP", OK if source.ok else "ALERTA", source.detail))
            missing = [name for name in REQUIRED_OBJECTS if name not in tables]
            rows.append(
                (
                    "Objetos ctl/audit",
                    OK if not missing else "ALERTA",
                    "todos presentes" if not missing else "ausentes: " + ", ".join(missing),
                )
            )
            if "ctl.etl_control" not in tables:
                rows.append(("Escopo ativo", "ALERTA", "ctl.etl_control nao existe"))
                rows.append(("Tabelas origem/destino", "ALERTA", "sem tabela de controle"))
                return pd.DataFrame(rows, columns=PREFLIGHT_COLUMNS)
            control = sess.df(CONTROL_SQL)
            source_tables = sess.source_tables()
    except WarehouseBusy as exc:
        rows.append(("Conexao DW", "RODANDO", f"{exc}: leitura adiada, sem risco para a carga"))
        rows.append(("Conexao OLTP", OK if source.ok else "ALERTA", source.detail))
        return pd.DataFrame(rows, columns=PREFLIGHT_COLUMNS)
    except WarehouseUnavailable as exc:
        rows.append(("Conexao DW", "ALERTA", str(exc)))
        rows.append(("Conexao OLTP", OK if source.ok else "ALERTA", source.detail))
        return pd.DataFrame(rows, columns=PREFLIGHT_COLUMNS)
    active = control[control["is_active"].astype(bool)]
    invalid = [
        str(row.entity_name)
        for row in active.itertuples()
        if not (1 <= int(row.batch_size) <= 100000 and 0 <= int(row.cutoff_minutes) <= 1440)
    ]
    if active.empty:
        rows.append(("Escopo ativo", "ALERTA", "nenhuma entidade ativa em ctl.etl_control"))
    elif invalid:
        rows.append(("Escopo ativo", "ALERTA", "configuracao invalida: " + ", ".join(invalid)))
    else:
        rows.append(("Escopo ativo", OK, f"{len(active)} de {len(control)} entidades ativas"))
    missing_tables: list[str] = []
    for row in control.itertuples():
        if str(row.source_table).lower() not in source_tables:
            missing_tables.append(f"origem {row.source_table}")
        if str(row.target_table).lower() not in tables:
            missing_tables.append(f"destino {row.target_table}")
    rows.append(
        (
            "Tabelas origem/destino",
            OK if not missing_tables else "ATENCAO",
            "todas presentes" if not missing_tables else "ausentes: " + ", ".join(missing_tables),
        )
    )
    return pd.DataFrame(rows, columns=PREFLIGHT_COLUMNS)


load_preflight = loader(PREFLIGHT_COLUMNS)(preflight)


# --- the pipeline matrix ----------------------------------------------------------------

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


def _running_entities(sess: Session | None, settings: Settings, tables: set[str]) -> set[str]:
    """Entities of the run in progress that have not finished yet."""
    running: set[str] = set()
    progress = live_progress(settings)
    if progress is not None:
        for name, state in (progress.get("entities") or {}).items():
            if isinstance(state, dict) and state.get("state") in ("pending", "running"):
                running.add(name)
    if sess is None or "audit.etl_run" not in tables:
        return running
    import socket

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
    quality = QUALITY.get(entity)
    where = ""
    if quality is not None and len(quality.natural_key) == 1:
        where = f" where {identifier(quality.natural_key[0])} >= 0"  # not the -1 unknown member
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


def pipeline_matrix(settings: Settings, now: datetime | None = None) -> pd.DataFrame:
    """One row per entity of ctl.etl_control: status, volumes, coverage, freshness, last
    run, 7-day history (the SLA inputs)."""
    now = now or utcnow()
    with session(settings) as sess:
        tables = sess.tables()
        if "ctl.etl_control" not in tables:
            return pd.DataFrame(columns=MATRIX_COLUMNS)
        control = sess.df(CONTROL_SQL)
        source_tables = sess.source_tables()
        last, stats = _entity_history(sess, tables, now - timedelta(days=sla.RECURRING_WINDOW_DAYS))
        running = _running_entities(sess, settings, tables)
        last_by = {row.entity_name: row for row in last.itertuples()}
        stats_by = {row.entity_name: row for row in stats.itertuples()}
        records: list[dict[str, Any]] = []
        for row in control.itertuples():
            entity = str(row.entity_name)
            source_total, pending, oldest = _source_counts(sess, row, now, source_tables)
            target_total = _target_total(sess, entity, str(row.target_table), tables)
            run = last_by.get(entity)
            stat = stats_by.get(entity)
            duration = _seconds(run.started_at, run.finished_at) if run is not None else None
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
                coverage = (
                    100.0 * float(target_total) / float(source_total) if source_total else 100.0
                )
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


load_pipeline_matrix = loader(MATRIX_COLUMNS)(pipeline_matrix)


def apply_live_progress(matrix: pd.DataFrame, progress: dict[str, Any] | None) -> pd.DataFrame:
    """Entities of the run in progress shown as RODANDO over (possibly stale) data."""
    if progress is None or matrix.empty:
        return matrix
    running = {
        name
        for name, state in (progress.get("entities") or {}).items()
        if isinstance(state, dict) and state.get("state") in ("pending", "running")
    }
    if not running:
        return matrix
    frame = matrix.copy()
    frame.loc[frame["entity"].isin(running), "status"] = RODANDO
    return frame


ALERT_COLUMNS = ["entity", "rule", "severity", "value", "threshold", "message"]


def sla_alerts(matrix: pd.DataFrame, now: datetime | None = None) -> pd.DataFrame:
    """The SLA alerts of the matrix (shared rules, dashboards/common/sla.py)."""
    items = sla.from_records(matrix.to_dict("records"))
    alerts = sla.evaluate(items, now or utcnow())
    return pd.DataFrame(
        [(a.entity, a.rule, a.severity, a.value, a.threshold, a.message) for a in alerts],
        columns=ALERT_COLUMNS,
    )


def sla_compliance(matrix: pd.DataFrame, alerts: pd.DataFrame) -> float | None:
    items = sla.from_records(matrix.to_dict("records"))
    active = {item.entity for item in items if item.is_active}
    if not active:
        return None
    alerted = set(alerts["entity"]) & active
    return round(100.0 * (len(active) - len(alerted)) / len(active), 1)


# --- Resumo operacional -----------------------------------------------------------------

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
    durations = [_seconds(row.started_at, row.finished_at) for row in perf.itertuples()]
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

_REASONS = {rule.category: rule.reason for rule in reversed(RULES)}
_ACTIONS = {rule.category: rule.action for rule in reversed(RULES)}
_REASONS[OTHER.category] = OTHER.reason
_ACTIONS[OTHER.category] = OTHER.action


def category_reason(category: Any) -> str:
    return _REASONS.get(str(category), "") if category else ""


def category_action(category: Any) -> str:
    return _ACTIONS.get(str(category), "") if category else ""


FAILURE_COLUMNS = [
    "finished_at",
    "run_id",
    "entity_name",
    "status",
    "error_category",
    "motivo",
    "acao_sugerida",
    "error_message",
]


def recent_failures(settings: Settings, limit: int = 20) -> pd.DataFrame:
    """The newest failed (or skipped) entity loads with category, reason and action."""
    with session(settings) as sess:
        if "audit.etl_run_entity" not in sess.tables():
            return pd.DataFrame(columns=FAILURE_COLUMNS)
        frame = sess.df(RECENT_FAILURES_SQL, limit=limit)
    frame["motivo"] = frame["error_category"].map(category_reason)
    frame["acao_sugerida"] = [
        action if isinstance(action, str) and action else category_action(category)
        for action, category in zip(frame["error_action"], frame["error_category"], strict=True)
    ]
    return frame[FAILURE_COLUMNS]


load_recent_failures = loader(FAILURE_COLUMNS)(recent_failures)

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


def last_progress(settings: Settings) -> dict[str, Any] | None:
    return read_progress(settings)


# --- Saude por pipeline -----------------------------------------------------------------

QUALITY_COLUMNS = ["verificacao", "valor", "limite", "avaliacao", "detalhe"]


def _rate(count: Any, attention: bool = False) -> str:
    if count is None:
        return "ATENCAO"
    if int(count) == 0:
        return OK
    return "ATENCAO" if attention else "ALERTA"


def quality_checks(settings: Settings, entity: str) -> pd.DataFrame:
    """The quality checks of one entity, rated OK / ATENCAO / ALERTA."""
    now = utcnow()
    matrix = pipeline_matrix(settings, now)
    row = matrix[matrix["entity"] == entity]
    if row.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    item = row.iloc[0]
    quality = QUALITY.get(entity, EntityQuality(()))
    checks: list[tuple[Any, ...]] = []
    coverage = item["coverage_percent"]
    if coverage is None or pd.isna(coverage):
        checks.append(("Cobertura destino/origem", None, ">= 95%", "ALERTA", "sem tabela"))
    else:
        rating = OK if coverage >= COVERAGE_TARGET else "ATENCAO" if coverage >= 80 else "ALERTA"
        checks.append(
            (
                "Cobertura destino/origem",
                round(float(coverage), 2),
                ">= 95%",
                rating,
                f"{item['target_total']} de {item['source_total']} linhas",
            )
        )
    pending = item["source_pending_since_watermark"]
    freshness = item["freshness_minutes"]
    if pending is None or pd.isna(pending):
        checks.append(("Pendentes desde o watermark", None, "0", "ATENCAO", "origem ilegivel"))
    else:
        rating = OK
        if pending:
            rating = (
                "ALERTA"
                if freshness is not None and freshness > sla.FRESHNESS_ALERT_MINUTES
                else "ATENCAO"
            )
        checks.append(
            (
                "Pendentes desde o watermark",
                int(pending),
                "0",
                rating,
                f"mais antiga espera ha {freshness:.0f} min" if pending else "em dia",
            )
        )
    with session(settings) as sess:
        tables = sess.tables()
        source_tables = sess.source_tables()
        source_table = str(item["source_table"])
        target_table = str(item["target_table"])
        if source_table.lower() in source_tables:
            relation = sess.source_relation(source_table)
            pk = identifier(str(_control_pk(sess, entity)))
            nulls, null_updated, deleted = sess.rows(
                f"select sum(case when {pk} is null then 1 else 0 end),"
                " sum(case when updated_at is null then 1 else 0 end),"
                f" sum(case when deleted_at is not null then 1 else 0 end) from {relation}"
            )[0]
            checks.append(("PK nula na origem", int(nulls or 0), "0", _rate(nulls), pk))
            checks.append(
                (
                    "updated_at nulo na origem",
                    int(null_updated or 0),
                    "0",
                    _rate(null_updated, attention=True),
                    "linhas sem carimbo nao entram no watermark",
                )
            )
            if quality.status_side == "source":
                checks.append(_status_check(sess, relation, quality))
        else:
            deleted = None
            checks.append(("PK nula na origem", None, "0", "ALERTA", "origem ausente"))
        if target_table.lower() in tables:
            schema, table = split_table(target_table)
            target = f"{schema}.{table}"
            if quality.natural_key:
                keys = [identifier(column) for column in quality.natural_key]
                any_null = " or ".join(f"{key} is null" for key in keys)
                null_keys = sess.scalar(
                    f"select sum(case when {any_null} then 1 else 0 end) from {target}"
                )
                key_list = ", ".join(keys)
                duplicates = sess.scalar(
                    f"select count(*) from (select {key_list} from {target}"
                    f" group by {key_list} having count(*) > 1) as duplicated"
                )
                checks.append(
                    (
                        "Chave natural nula no destino",
                        int(null_keys or 0),
                        "0",
                        _rate(null_keys),
                        key_list,
                    )
                )
                checks.append(
                    (
                        "Chave natural duplicada no destino",
                        int(duplicates or 0),
                        "0",
                        _rate(duplicates),
                        key_list,
                    )
                )
            if quality.status_side == "target":
                checks.append(_status_check(sess, target, quality))
            flagged = sess.scalar(
                f"select sum(case when _etl_source_deleted = {_true(settings)} then 1 else 0 end)"
                f" from {target}"
            )
            if deleted is not None:
                difference = abs(int(deleted or 0) - int(flagged or 0))
                checks.append(
                    (
                        "Reconciliacao de soft delete",
                        difference,
                        "0",
                        _rate(difference, attention=True),
                        f"origem {int(deleted or 0)} excluidas, destino {int(flagged or 0)}"
                        " marcadas",
                    )
                )
            if quality.foreign_keys:
                fks = [identifier(column) for column in quality.foreign_keys]
                any_null = " or ".join(f"{fk} is null" for fk in fks)
                count = sess.scalar(
                    f"select sum(case when {any_null} then 1 else 0 end) from {target}"
                )
                checks.append(
                    (
                        "FK obrigatoria nula (fato)",
                        int(count or 0),
                        "0",
                        _rate(count),
                        ", ".join(fks),
                    )
                )
            if quality.measures:
                measures = [identifier(column) for column in quality.measures]
                any_negative = " or ".join(f"{m} < 0" for m in measures)
                count = sess.scalar(
                    f"select sum(case when {any_negative} then 1 else 0 end) from {target}"
                )
                checks.append(
                    ("Medidas negativas", int(count or 0), "0", _rate(count), ", ".join(measures))
                )
        else:
            checks.append(("Tabela de destino", None, "existe", "ALERTA", target_table))
    return pd.DataFrame(checks, columns=QUALITY_COLUMNS)


def _control_pk(sess: Session, entity: str) -> str:
    return str(
        sess.scalar("select source_pk_column from ctl.etl_control where entity_name = ?", [entity])
    )


def _status_check(sess: Session, relation: str, quality: EntityQuality) -> tuple[Any, ...]:
    column = identifier(quality.status_column)
    markers = ", ".join("?" for _ in quality.status_values)
    count = sess.scalar(
        f"select sum(case when {column} is null or {column} not in ({markers}) then 1 else 0 end)"
        f" from {relation}",
        list(quality.status_values),
    )
    return (
        "Status invalido",
        int(count or 0),
        "0",
        _rate(count, attention=True),
        f"{column} fora de: {', '.join(quality.status_values)}",
    )


load_quality_checks = loader(QUALITY_COLUMNS)(quality_checks)

QUARANTINE_SUMMARY_COLUMNS = ["reason", "linhas", "primeira", "ultima"]
QUARANTINE_SAMPLE_COLUMNS = [
    "entity_name",
    "natural_key",
    "reason",
    "source_updated_at",
    "run_id",
    "quarantined_at",
]


def quarantine_summary(settings: Settings, entity: str) -> pd.DataFrame:
    with session(settings) as sess:
        if "audit.etl_quarantine" not in sess.tables():
            return pd.DataFrame(columns=QUARANTINE_SUMMARY_COLUMNS)
        frame = sess.df(QUARANTINE_SUMMARY_SQL, [entity])
    frame["linhas"] = frame["linhas"].astype(int)
    return frame


load_quarantine_summary = loader(QUARANTINE_SUMMARY_COLUMNS)(quarantine_summary)


def quarantine_sample(settings: Settings, entity: str, limit: int = 50) -> pd.DataFrame:
    with session(settings) as sess:
        if "audit.etl_quarantine" not in sess.tables():
            return pd.DataFrame(columns=QUARANTINE_SAMPLE_COLUMNS)
        return sess.df(QUARANTINE_SAMPLE_SQL, [entity], limit=limit)


load_quarantine_sample = loader(QUARANTINE_SAMPLE_COLUMNS)(quarantine_sample)


def quarantine_totals(settings: Settings) -> pd.DataFrame:
    with session(settings) as sess:
        if "audit.etl_quarantine" not in sess.tables():
            return pd.DataFrame(columns=["entity_name", "linhas"])
        frame = sess.df(QUARANTINE_TOTALS_SQL)
    frame["linhas"] = frame["linhas"].astype(int)
    return frame


load_quarantine_totals = loader(["entity_name", "linhas"])(quarantine_totals)


def source_sample(settings: Settings, entity: str, limit: int = 20) -> pd.DataFrame:
    """The most recently changed source rows of an entity (personal data columns left
    out, SPEC section 7)."""
    with session(settings) as sess:
        control = sess.df(
            "select source_table from ctl.etl_control where entity_name = ?", [entity]
        )
        if control.empty:
            return pd.DataFrame()
        source_table = str(control["source_table"].iloc[0])
        if source_table.lower() not in sess.source_tables():
            return pd.DataFrame()
        relation = sess.source_relation(source_table)
        frame = sess.df(f"select * from {relation} order by updated_at desc", limit=limit)
    keep = [column for column in frame.columns if column not in PERSONAL_COLUMNS]
    return frame[keep]


load_source_sample = loader([])(source_sample)

ENTITY_RUN_COLUMNS = [
    "run_id",
    "status",
    "started_at",
    "finished_at",
    "extracted_count",
    "upserted_count",
    "quarantined_count",
    "tests_failed",
    "error_category",
    "duracao_s",
]


def entity_runs(settings: Settings, entity: str, limit: int = 30) -> pd.DataFrame:
    with session(settings) as sess:
        if "audit.etl_run_entity" not in sess.tables():
            return pd.DataFrame(columns=ENTITY_RUN_COLUMNS)
        frame = sess.df(ENTITY_RUNS_SQL, [entity, False], limit=limit)
    frame["duracao_s"] = [
        _seconds(start, end)
        for start, end in zip(frame["started_at"], frame["finished_at"], strict=True)
    ]
    return frame


load_entity_runs = loader(ENTITY_RUN_COLUMNS)(entity_runs)

# --- Runs e controle --------------------------------------------------------------------

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
        _seconds(start, end)
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
        _seconds(start, end)
        for start, end in zip(frame["started_at"], frame["finished_at"], strict=True)
    ]
    return frame.reindex(columns=RUN_ENTITY_COLUMNS)


load_run_entities = loader(RUN_ENTITY_COLUMNS)(run_entities)

# --- Auditoria de conexoes --------------------------------------------------------------

CONNECTION_COLUMNS = list(connection_audit.COLUMNS)


def connection_events(
    settings: Settings,
    hours: int = 24,
    logins: tuple[str, ...] = (),
    programs: tuple[str, ...] = (),
    databases: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Connection events of the window, filtered (empty filter: everything)."""
    since = utcnow() - timedelta(hours=hours)
    sql = CONNECTION_EVENTS_SQL
    params: list[Any] = [since]
    for column, values in (
        ("login_name", logins),
        ("program_name", programs),
        ("database_name", databases),
        ("status", statuses),
    ):
        if values:
            sql += f" and {column} in (" + ", ".join("?" for _ in values) + ")"
            params += list(values)
    sql += " order by event_time desc"
    with session(settings) as sess:
        if "audit.connection_login_events" not in sess.tables():
            return pd.DataFrame(columns=CONNECTION_COLUMNS)
        frame = sess.df(sql, params)
    frame["event_time"] = pd.to_datetime(frame["event_time"])
    return frame


load_connection_events = loader(CONNECTION_COLUMNS)(connection_events)

FAILURE_EVENT_COLUMNS = ["finished_at", "entity_name", "error_category", "error_message"]


def entity_failures_since(settings: Settings, hours: int = 24) -> pd.DataFrame:
    since = utcnow() - timedelta(hours=hours)
    with session(settings) as sess:
        if "audit.etl_run_entity" not in sess.tables():
            return pd.DataFrame(columns=FAILURE_EVENT_COLUMNS)
        frame = sess.df(ENTITY_FAILURES_SINCE_SQL, [since])
    frame["finished_at"] = pd.to_datetime(frame["finished_at"])
    return frame


load_entity_failures = loader(FAILURE_EVENT_COLUMNS)(entity_failures_since)


def connection_counts(events: pd.DataFrame) -> dict[str, int]:
    return {
        "total": len(events),
        "sucesso": int((events["status"] == "success").sum()),
        "falha": int((events["status"] == "failed").sum()),
        "logins": int(events["login_name"].nunique()),
        "hosts": int(events["host_name"].nunique()),
        "programas": int(events["program_name"].nunique()),
    }


def hourly_connections_vs_failures(events: pd.DataFrame, failures: pd.DataFrame) -> pd.DataFrame:
    """Per hour: connections (success / failed) and ETL entity failures."""
    frames = []
    if not events.empty:
        hours = events.assign(hora=events["event_time"].dt.floor("h"))
        grouped = hours.groupby(["hora", "status"]).size().reset_index(name="quantidade")
        grouped["serie"] = "conexoes " + grouped["status"].map(
            {"success": "sucesso", "failed": "falha"}
        ).fillna(grouped["status"])
        frames.append(grouped[["hora", "serie", "quantidade"]])
    if not failures.empty:
        hours = failures.assign(hora=failures["finished_at"].dt.floor("h"))
        grouped = hours.groupby("hora").size().reset_index(name="quantidade")
        grouped["serie"] = "falhas ETL"
        frames.append(grouped[["hora", "serie", "quantidade"]])
    if not frames:
        return pd.DataFrame(columns=["hora", "serie", "quantidade"])
    return pd.concat(frames, ignore_index=True).sort_values("hora")


def top_values(events: pd.DataFrame, column: str, limit: int = 10) -> pd.DataFrame:
    if events.empty:
        return pd.DataFrame(columns=[column, "conexoes", "falhas"])
    grouped = events.groupby(column, dropna=False).agg(
        conexoes=("status", "size"), falhas=("status", lambda s: int((s == "failed").sum()))
    )
    return grouped.sort_values("conexoes", ascending=False).head(limit).reset_index()


def error_taxonomy(failures: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Failures by category (ETL entity failures and failed connections), with the
    taxonomy's reason and suggested action."""
    from orchestrator.errors import classify

    categories: list[str] = []
    if not failures.empty:
        categories += [
            str(category) if category else classify(message).category
            for category, message in zip(
                failures["error_category"], failures["error_message"], strict=True
            )
        ]
    if not events.empty:
        failed = events[events["status"] == "failed"]
        categories += [classify(message).category for message in failed["error_message"]]
    frame = pd.Series(categories, dtype="object").value_counts().rename_axis("categoria")
    frame = frame.reset_index(name="falhas")
    frame["motivo"] = frame["categoria"].map(category_reason)
    frame["acao_sugerida"] = frame["categoria"].map(category_action)
    return frame


TAXONOMY = pd.DataFrame(
    [(category, category_reason(category), category_action(category)) for category in CATEGORIES],
    columns=["categoria", "motivo", "acao_sugerida"],
)

# --- dbt artifacts ----------------------------------------------------------------------


def _artifact_dirs(settings: Settings, run_ids: tuple[str, ...]) -> list[tuple[str, Path]]:
    dirs = [(run_id, settings.artifacts_dir / "runs" / run_id) for run_id in run_ids]
    found = [(label, path) for label, path in dirs if (path / "run_results.json").exists()]
    if (settings.artifacts_dir / "run_results.json").exists():
        found.append(("dbt (target/)", settings.artifacts_dir))
    return found


def _manifest_path(settings: Settings, run_ids: tuple[str, ...]) -> Path | None:
    for run_id in run_ids:
        path = settings.artifacts_dir / "runs" / run_id / "manifest.json"
        if path.exists():
            return path
    path = settings.artifacts_dir / "manifest.json"
    if path.exists():
        return path
    # the orchestrator keeps each warehouse's manifest in target/orchestrator/<warehouse>/
    # (and older runs' artifacts under target/runs/): any manifest of the project will do
    candidates = []
    for folder in ("orchestrator", "runs"):
        try:
            candidates += [p / "manifest.json" for p in (settings.artifacts_dir / folder).iterdir()]
        except OSError:
            continue
    existing = [p for p in candidates if p.exists()]
    return max(existing, key=lambda p: p.stat().st_mtime) if existing else None


@st.cache_data(ttl=ARTIFACT_TTL_SECONDS, show_spinner=False, max_entries=4)
def _read_json(path: str, mtime: float) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_artifact(path: Path) -> dict[str, Any] | None:
    try:
        return _read_json(str(path), path.stat().st_mtime)
    except (OSError, ValueError):
        return None


def artifact_run_ids(settings: Settings, limit: int = 30) -> pd.DataFrame:
    """The newest orchestrator runs of this warehouse (their artifacts are under
    target/runs/<run_id>/)."""
    with session(settings) as sess:
        if "audit.etl_run" not in sess.tables():
            return pd.DataFrame(columns=["run_id", "status", "started_at"])
        return sess.df(
            "select run_id, status, started_at from audit.etl_run order by started_at desc",
            limit=limit,
        )


load_artifact_run_ids = loader(["run_id", "status", "started_at"])(artifact_run_ids)

TEST_HISTORY_SQL = """
select entity_run.run_id, entity_run.entity_name, entity_run.started_at,
    entity_run.tests_passed, entity_run.tests_warned, entity_run.tests_failed
from audit.etl_run_entity as entity_run
where entity_run.started_at >= ?
    and entity_run.status in ('success', 'failed', 'skipped')
order by entity_run.started_at desc
"""
TEST_HISTORY_COLUMNS = [
    "run_id",
    "entity_name",
    "started_at",
    "tests_passed",
    "tests_warned",
    "tests_failed",
]


def test_history(settings: Settings, days: int = 14) -> pd.DataFrame:
    """dbt test counts per entity and run, as the orchestrator recorded them from each
    run's run_results.json (kept in the audit: the artifacts themselves are pruned)."""
    since = utcnow() - timedelta(days=days)
    with session(settings) as sess:
        if "audit.etl_run_entity" not in sess.tables():
            return pd.DataFrame(columns=TEST_HISTORY_COLUMNS)
        frame = sess.df(TEST_HISTORY_SQL, [since])
    for column in ("tests_passed", "tests_warned", "tests_failed"):
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype(int)
    frame["started_at"] = pd.to_datetime(frame["started_at"])
    return frame


load_test_history = loader(TEST_HISTORY_COLUMNS)(test_history)

TEST_COLUMNS = ["run", "generated_at", "model", "test", "status", "failures", "message"]


def test_results(settings: Settings, run_ids: tuple[str, ...]) -> pd.DataFrame:
    """dbt test results per model and run, from run_results.json of the runs' artifacts
    (and target/run_results.json of a dbt run by hand)."""
    manifest_path = _manifest_path(settings, run_ids)
    manifest = read_artifact(manifest_path) if manifest_path else None
    nodes = (manifest or {}).get("nodes", {})
    rows: list[tuple[Any, ...]] = []
    for label, directory in _artifact_dirs(settings, run_ids):
        results = read_artifact(directory / "run_results.json")
        if not results:
            continue
        generated = results.get("metadata", {}).get("generated_at")
        for result in results.get("results", []):
            unique_id = str(result.get("unique_id", ""))
            if not unique_id.startswith(("test.", "unit_test.")):
                continue
            node = nodes.get(unique_id, {})
            models = (
                [node["attached_node"]]
                if node.get("attached_node")
                else [
                    parent
                    for parent in node.get("depends_on", {}).get("nodes", [])
                    if parent.startswith("model.")
                ]
            )
            if unique_id.startswith("unit_test."):
                models = [f"model.{unique_id.split('.')[1]}.{unique_id.split('.')[2]}"]
            for model in models or ["(sem modelo)"]:
                rows.append(
                    (
                        label,
                        generated,
                        model.split(".")[-1],
                        node.get("name") or unique_id.split(".")[-2],
                        result.get("status"),
                        result.get("failures"),
                        (result.get("message") or "")[:300],
                    )
                )
    frame = pd.DataFrame(rows, columns=TEST_COLUMNS)
    frame["generated_at"] = pd.to_datetime(frame["generated_at"], utc=True).dt.tz_localize(None)
    return frame


load_test_results = loader(TEST_COLUMNS, ttl=ARTIFACT_TTL_SECONDS)(test_results)

FRESHNESS_COLUMNS = ["source", "status", "max_loaded_at", "snapshotted_at", "age_seconds"]


def source_freshness(settings: Settings) -> pd.DataFrame:
    """`dbt source freshness` results (target/sources.json), when it was run."""
    data = read_artifact(settings.artifacts_dir / "sources.json")
    if not data:
        return pd.DataFrame(columns=FRESHNESS_COLUMNS)
    rows = [
        (
            str(item.get("unique_id", "")).split(".", 2)[-1],
            item.get("status"),
            item.get("max_loaded_at"),
            item.get("snapshotted_at"),
            item.get("max_loaded_at_time_ago_in_s"),
        )
        for item in data.get("results", [])
    ]
    return pd.DataFrame(rows, columns=FRESHNESS_COLUMNS)


load_source_freshness = loader(FRESHNESS_COLUMNS, ttl=ARTIFACT_TTL_SECONDS)(source_freshness)


def manifest(settings: Settings, run_ids: tuple[str, ...] = ()) -> dict[str, Any] | None:
    path = _manifest_path(settings, run_ids)
    return read_artifact(path) if path else None


def model_docs(manifest_data: dict[str, Any] | None, model: str) -> tuple[str, pd.DataFrame]:
    """(description, columns with descriptions) of a model from the manifest."""
    if not manifest_data:
        return "", pd.DataFrame(columns=["coluna", "tipo", "descricao"])
    node = next(
        (
            node
            for node in manifest_data.get("nodes", {}).values()
            if node.get("resource_type") == "model" and node.get("name") == model
        ),
        None,
    )
    if node is None:
        return "", pd.DataFrame(columns=["coluna", "tipo", "descricao"])
    columns = [
        (name, column.get("data_type") or "", column.get("description") or "")
        for name, column in node.get("columns", {}).items()
    ]
    return node.get("description") or "", pd.DataFrame(
        columns, columns=["coluna", "tipo", "descricao"]
    )


def lineage(manifest_data: dict[str, Any] | None, model: str) -> pd.DataFrame:
    """Edges (parent, child) upstream and downstream of a model (tests left out)."""
    if not manifest_data:
        return pd.DataFrame(columns=["origem", "destino"])
    nodes = manifest_data.get("nodes", {})
    parents: dict[str, list[str]] = {
        uid: [p for p in node.get("depends_on", {}).get("nodes", []) if not p.startswith("test.")]
        for uid, node in nodes.items()
        if node.get("resource_type") in ("model", "seed", "snapshot")
    }
    children: dict[str, list[str]] = {}
    for uid, ups in parents.items():
        for parent in ups:
            children.setdefault(parent, []).append(uid)
    start = next((uid for uid in parents if uid.split(".")[-1] == model), None)
    if start is None:
        return pd.DataFrame(columns=["origem", "destino"])
    edges: set[tuple[str, str]] = set()
    todo, seen = [start], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for parent in parents.get(node, []):
            edges.add((parent, node))
            todo.append(parent)
    todo, seen = [start], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for child in children.get(node, []):
            edges.add((node, child))
            todo.append(child)

    def short(uid: str) -> str:
        parts = uid.split(".")
        return f"{parts[-2]}.{parts[-1]}" if parts[0] == "source" else parts[-1]

    return pd.DataFrame(
        sorted((short(a), short(b)) for a, b in edges), columns=["origem", "destino"]
    )
