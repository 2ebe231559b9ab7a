"""Reading a consumption view for a business dashboard: its date range and freshness, the
values of its filters, the aggregates of a period and of the previous one (one row, or
per-day totals a page's daily charts reuse), grouped aggregates for charts and the
detailed rows.

The dashboards read only the consumption views (fact.vw_dash_*_r1) and dimension tables:
never the raw source with personal data, never ctl or audit. View and column names come
from the dashboards' specs (code), dates and filter values are bind parameters, top-N goes
through fetchmany, so the same SQL runs on DuckDB, PostgreSQL and SQL Server. Where the
queries run (the warehouse, a snapshot copy, the run's shared connection) is
dashboards/common/reading.py's.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pandas as pd

from dashboards.common.cache import loader
from dashboards.common.kpis import CURRENT, PREVIOUS, Measure
from dashboards.common.reading import TTL_SECONDS, Source, fetch, numeric, reader, warehouse
from dashboards.common.selection import Selection
from dashboards.common.settings import Settings
from observability.reader import identifier

BOUNDS_COLUMNS = ["min_data", "max_data", "ultima_atualizacao", "linhas"]
OPTIONS_COLUMNS = ["filtro", "valor"]


def bounds(
    settings: Settings,
    source: Source,
    date_column: str = "data_completa",
    by: tuple[str, ...] = (),
) -> pd.DataFrame:
    """First and last business day of the view, its newest data_atualizacao (the last
    change loaded) and its row count: one row, or one per value of the `by` columns (the
    same pass over the view then also gives the values of those filter columns)."""
    column = identifier(date_column)
    keys = [identifier(name) for name in by]
    group = f" group by {', '.join(keys)}" if keys else ""
    with reader(settings, source) as sess:
        frame = sess.df(
            f"select {''.join(f'{key}, ' for key in keys)}min({column}) as min_data,"
            f" max({column}) as max_data, max(data_atualizacao) as ultima_atualizacao,"
            f" count(*) as linhas from {source.relation}{group}"
        )
    for name in ("min_data", "max_data"):
        frame[name] = pd.to_datetime(frame[name]).dt.date
    frame["ultima_atualizacao"] = pd.to_datetime(frame["ultima_atualizacao"])
    return frame


load_bounds = loader(BOUNDS_COLUMNS, ttl=TTL_SECONDS)(bounds)


FRESHNESS_PROBE_DAYS = 45


def latest(
    settings: Settings, source: Source, today: date, date_column: str = "data_completa"
) -> pd.DataFrame:
    """The view's last business day and newest data_atualizacao (BOUNDS_COLUMNS, no first
    day): read from its last FRESHNESS_PROBE_DAYS days, a filtered pass much cheaper than a
    whole one, and from the whole view only when those days are empty (data that old is
    late anyway). For the freshness of a view the page does not otherwise read."""
    column = identifier(date_column)
    since = today - timedelta(days=FRESHNESS_PROBE_DAYS)
    sql = (
        f"select max({column}) as max_data, max(data_atualizacao) as ultima_atualizacao,"
        f" count(*) as linhas from {source.relation}"
    )
    with reader(settings, source) as sess:
        frame = sess.df(f"{sql} where {column} >= ?", [since])
        if not frame["linhas"].iloc[0]:
            frame = sess.df(sql)
    frame.insert(0, "min_data", None)
    frame["max_data"] = pd.to_datetime(frame["max_data"]).dt.date
    frame["ultima_atualizacao"] = pd.to_datetime(frame["ultima_atualizacao"])
    return frame[BOUNDS_COLUMNS]


load_latest = loader(BOUNDS_COLUMNS, ttl=TTL_SECONDS)(latest)


def collapse(frame: pd.DataFrame) -> pd.DataFrame:
    """One row of bounds from bounds grouped by some columns."""
    if frame.empty:
        return pd.DataFrame([(None, None, pd.NaT, 0)], columns=BOUNDS_COLUMNS)
    row = (
        frame["min_data"].dropna().min() if frame["min_data"].notna().any() else None,
        frame["max_data"].dropna().max() if frame["max_data"].notna().any() else None,
        frame["ultima_atualizacao"].max(),
        int(frame["linhas"].sum()),
    )
    collapsed = pd.DataFrame([row], columns=BOUNDS_COLUMNS)
    collapsed.attrs.update(frame.attrs)
    return collapsed


def grouped_options(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """(filtro, valor) of the `by` columns of grouped bounds."""
    rows = [(column, str(value)) for column in columns for value in frame[column].dropna().unique()]
    return pd.DataFrame(rows, columns=OPTIONS_COLUMNS)


def _distinct(column: str, relation: str, source_column: str) -> str:
    value = identifier(source_column)
    return (
        f"select '{identifier(column)}' as filtro, cast({value} as varchar(200)) as valor"
        f" from {relation} where {value} is not null group by {value}"
    )


def options(settings: Settings, origins: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """The values of filters whose values come from a dimension (filtro, valor), sorted:
    `origins` are (view column, 'schema.dimension.column'). Dimensions are small; the
    values of a view column come with its grouped bounds instead (one pass over the view)."""
    parts = []
    for column, origin in origins:
        dimension, _, name = origin.rpartition(".")
        parts.append(_distinct(column, Source(dimension).relation, name))
    if not parts:
        return pd.DataFrame(columns=OPTIONS_COLUMNS)
    with warehouse(settings) as sess:
        frame = sess.df(" union all ".join(parts))
    return frame.sort_values(["filtro", "valor"]).reset_index(drop=True)


load_options = loader(OPTIONS_COLUMNS, ttl=TTL_SECONDS)(options)


def measures_sql(
    target: str,
    relation: str,
    date_column: str,
    measures: tuple[Measure, ...],
    selection: Selection,
    compare: bool,
) -> tuple[str, list[Any]]:
    """One scan for the aggregates of the period and, when `compare`, of the previous
    period of the same length (rows before the period's first day)."""
    column = identifier(date_column)
    scope = selection.spanning(selection.previous()) if compare else selection
    where, params = scope.where(date_column)
    columns = [f"{measure.sql(target)} as {identifier(measure.name)}" for measure in measures]
    condition_params: list[Any] = []
    if compare:
        columns = [
            f"{measure.sql(target, f'{column} >= ?')} as {identifier(measure.name)}__{CURRENT}"
            for measure in measures
        ] + [
            f"{measure.sql(target, f'{column} < ?')} as {identifier(measure.name)}__{PREVIOUS}"
            for measure in measures
        ]
        condition_params = [selection.start] * (2 * len(measures))
    sql = f"select {', '.join(columns)} from {relation} {where}"
    return sql, condition_params + params


def measures(
    settings: Settings,
    source: Source,
    date_column: str,
    measures: tuple[Measure, ...],
    selection: Selection,
    compare: bool,
) -> pd.DataFrame:
    """The aggregates of the period (row 'atual') and of the previous one ('anterior',
    when compare), one column per measure."""
    with reader(settings, source) as sess:
        sql, params = measures_sql(
            sess.settings.target, source.relation, date_column, measures, selection, compare
        )
        row = sess.df(sql, params).iloc[0].to_dict()
    names = [measure.name for measure in measures]
    if not compare:
        values = {CURRENT: [_number(row[name]) for name in names]}
    else:
        values = {
            period: [_number(row[f"{name}__{period}"]) for name in names]
            for period in (CURRENT, PREVIOUS)
        }
    return pd.DataFrame.from_dict(values, orient="index", columns=names)


def _number(raw: Any) -> float | None:
    if raw is None or (isinstance(raw, float) and raw != raw):
        return None
    return float(raw)


load_measures = loader([], ttl=TTL_SECONDS)(measures)


DAY = "dia"


def day_totals(
    settings: Settings,
    source: Source,
    date_column: str,
    measures: tuple[Measure, ...],
    selection: Selection,
) -> pd.DataFrame:
    """Per business day of the selection (its period and filters): its rows, its newest
    data_atualizacao and the partials of every measure. One filtered scan serves the KPIs
    of the period and of the previous one (ask for both periods' span) and the daily
    trends of the page."""
    column = identifier(date_column)
    where, params = selection.where(date_column)
    with reader(settings, source) as sess:
        target = sess.settings.target
        parts = {name: sql for measure in measures for name, sql in measure.partials(target)}
        selected = ", ".join(f"{sql} as {identifier(name)}" for name, sql in parts.items())
        frame = sess.df(
            f"select {column} as {DAY}, count(*) as linhas_dia,"
            f" max(data_atualizacao) as ultima_atualizacao, {selected}"
            f" from {source.relation} {where} group by {column} order by {column}",
            params,
        )
    frame = numeric(frame)
    frame[DAY] = pd.to_datetime(frame[DAY]).dt.date
    frame["ultima_atualizacao"] = pd.to_datetime(frame["ultima_atualizacao"])
    return frame


load_day_totals = loader([DAY, "linhas_dia", "ultima_atualizacao"], ttl=TTL_SECONDS)(day_totals)


def days_between(days: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    return days[(days[DAY] >= start) & (days[DAY] <= end)]


def period_measures(
    days: pd.DataFrame, measures: tuple[Measure, ...], start: date, end: date
) -> dict[str, float | None]:
    """Every measure over the days from start to end (both included)."""
    chosen = days_between(days, start, end)
    return {measure.name: measure.combine(chosen) for measure in measures}


def grouped(
    settings: Settings,
    source: Source,
    sql_template: str,
    selection: Selection,
    date_column: str = "data_completa",
    limit: int | None = None,
) -> pd.DataFrame:
    """A chart's query: the app's SQL text with its `{where}` filled from the selection
    and `{true}` with the engine's boolean true."""
    where, params = selection.where(date_column)
    with reader(settings, source) as sess:
        true = "1" if sess.settings.target == "sqlserver" else "true"
        sql = sql_template.replace("{true}", true).format(where=where)
        frame = sess.df(sql, params, limit=limit)
    return numeric(frame)


def detail_sql(
    relation: str, date_column: str, columns: tuple[str, ...], order: str, selection: Selection
) -> tuple[str, list[Any]]:
    where, params = selection.where(date_column)
    names = ", ".join(identifier(column) for column in columns)
    return f"select {names} from {relation} {where} order by {order}", params


def detail(
    settings: Settings,
    source: Source,
    date_column: str,
    columns: tuple[str, ...],
    order: str,
    selection: Selection,
    limit: int,
) -> pd.DataFrame:
    """The first `limit` filtered rows of the view in `order`."""
    sql, params = detail_sql(source.relation, date_column, columns, order, selection)
    with reader(settings, source) as sess:
        return numeric(sess.df(sql, params, limit=limit))


load_detail = loader([], ttl=TTL_SECONDS)(detail)


def detail_csv(
    settings: Settings,
    source: Source,
    date_column: str,
    columns: tuple[str, ...],
    order: str,
    selection: Selection,
) -> bytes:
    """Every filtered row as CSV (built when the download is asked for, not on each page
    view: a long period can hold hundreds of thousands of rows)."""
    sql, params = detail_sql(source.relation, date_column, columns, order, selection)
    buffer = io.StringIO()
    with reader(settings, source) as sess:
        fetch(sess, sql, params).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")
