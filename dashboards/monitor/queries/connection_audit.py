"""Auditoria de conexoes: audit.connection_login_events filtered, beside the ETL entity
failures of the same window, and the error taxonomy of both (category, reason, action,
runbook link)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd

from dashboards.common.cache import loader
from dashboards.common.connections import session
from dashboards.common.settings import Settings
from observability import runbook, taxonomy
from observability.reader import utcnow
from orchestrator import connection_audit

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
    categories: list[str] = []
    if not failures.empty:
        categories += [
            str(category) if category else taxonomy.classify(message).category
            for category, message in zip(
                failures["error_category"], failures["error_message"], strict=True
            )
        ]
    if not events.empty:
        failed = events[events["status"] == "failed"]
        categories += [taxonomy.classify(message).category for message in failed["error_message"]]
    frame = pd.Series(categories, dtype="object").value_counts().rename_axis("categoria")
    frame = frame.reset_index(name="falhas")
    frame["motivo"] = frame["categoria"].map(taxonomy.reason)
    frame["acao_sugerida"] = frame["categoria"].map(taxonomy.action)
    frame["runbook"] = frame["categoria"].map(runbook.url)
    return frame


def taxonomy_table() -> pd.DataFrame:
    """Every category of the taxonomy with its reason, action and runbook link."""
    return pd.DataFrame(
        [
            (category, taxonomy.reason(category), taxonomy.action(category), runbook.url(category))
            for category in taxonomy.CATEGORIES
        ],
        columns=["categoria", "motivo", "acao_sugerida", "runbook"],
    )
