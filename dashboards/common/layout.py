"""What every page of the business dashboards shows, from the app's DashboardSpec: the
sidebar (period with the app's default, filters, "Comparar com periodo anterior",
"Atualizar dados"), the data-freshness badge against the SLA with the last load, the KPI
cards with their deltas, and the states that explain an empty page (no warehouse yet, a
load holding the DuckDB file, nothing in the period or filters).

The entry file calls `run(spec, navigation)`: `start` draws the top and stores the page
context (`context()`), then the page runs, so a page holds neither SQL nor sidebar code.
The two pages every app has are dashboards/common/pages.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.common import cache, freshness, kpis, reading, reporting
from dashboards.common import formatting as fmt
from dashboards.common.connections import live_progress, run_lock
from dashboards.common.selection import Selection, with_filters
from dashboards.common.settings import Settings
from dashboards.common.spec import DashboardSpec

CONTEXT_KEY = "_dashboard_context"
DETAIL_PREVIEW_ROWS = 1000
KPI_COLUMNS = 4


@dataclass
class Context:
    """What a page needs: the warehouse, the spec, the selection and the KPIs read."""

    settings: Settings
    spec: DashboardSpec
    selection: Selection
    compare: bool
    current: dict[str, Any]
    previous: dict[str, Any] | None
    days: pd.DataFrame | None = None  # the day totals of a daily spec (both periods)
    extras: dict[str, Any] = field(default_factory=dict)


def context() -> Context:
    """The context `start` stored for this run."""
    return st.session_state[CONTEXT_KEY]


def bi_settings() -> Settings:
    """The warehouse, read with the BI reader login (Settings.credentials_for("bi"))."""
    return Settings.from_env(app="bi")


# --- states -----------------------------------------------------------------------------


def run_banner(settings: Settings) -> bool:
    """Say so while an orchestrator load holds the DuckDB warehouse; True when one does."""
    holder = run_lock(settings)
    progress = live_progress(settings)
    if holder is None and progress is None:
        return False
    run_id = (progress or {}).get("run_id") or (holder.run_id if holder else "-")
    since = (progress or {}).get("started_at") or (holder.started_at if holder else "-")
    st.info(
        f"**Carga em andamento** (run `{run_id}`, desde {since}). O DuckDB fica com a carga "
        "ate ela terminar: os numeros abaixo sao os da ultima leitura; quando ela acabar, "
        "**Atualizar dados** le os novos.",
        icon=":material/hourglass_top:",
    )
    return True


def stop_if_unreadable(frame: pd.DataFrame, busy_now: bool) -> None:
    """An empty frame because the warehouse could not be read: say why and stop."""
    reason = cache.unavailable(frame)
    if not reason:
        return
    if cache.busy(frame):
        if not busy_now:
            st.info(
                "**Carga em andamento**: o arquivo do DW esta com a carga; os dados aparecem "
                f"quando ela terminar. ({reason})",
                icon=":material/hourglass_top:",
            )
    else:
        st.error(f"Nao ha o que mostrar: {reason}", icon=":material/database_off:")
    st.stop()


def stale_note(*frames: pd.DataFrame) -> None:
    for frame in frames:
        since = cache.stale_since(frame)
        if since is not None:
            st.caption(f"Dados lidos em {since} UTC (carga em andamento).")
            return


# --- sidebar ----------------------------------------------------------------------------


def _period(spec: DashboardSpec, first: date, last: date) -> tuple[date, date]:
    default = (max(first, last - timedelta(days=spec.default_days - 1)), last)
    chosen = st.date_input(
        "Periodo",
        value=default,
        min_value=first,
        max_value=last,
        format="DD/MM/YYYY",
        key=f"{spec.key}_periodo",
        help=f"Padrao: os ultimos {spec.default_days} dias com dados.",
    )
    if isinstance(chosen, tuple | list):
        if len(chosen) == 2:
            return chosen[0], chosen[1]
        if len(chosen) == 1:  # the second day is still being picked
            return chosen[0], chosen[0]
        return default
    return (chosen, chosen) if isinstance(chosen, date) else default


def sidebar(
    spec: DashboardSpec,
    settings: Settings,
    overview: pd.DataFrame,
    extra: Callable[[], dict[str, Any]] | None = None,
) -> tuple[Selection, bool, dict[str, Any]]:
    """The filters; `overview`: the view's bounds grouped by its view-valued filters."""
    row = reporting.collapse(overview).iloc[0]
    first, last = row["min_data"], row["max_data"]
    options = pd.concat(
        [
            reporting.load_options(settings, spec.dimension_filters),
            reporting.grouped_options(overview, spec.view_filters),
        ],
        ignore_index=True,
    ).sort_values(["filtro", "valor"])
    with st.sidebar:
        st.header("Filtros")
        start, end = _period(spec, first, last)
        chosen: dict[str, Any] = {}
        for item in spec.filters:
            values = options.loc[options["filtro"] == item.column, "valor"].tolist()
            chosen[item.column] = st.multiselect(
                item.label, values, key=f"{spec.key}_{item.column}", placeholder="Todos"
            )
        extras = extra() if extra else {}
        compare = st.toggle(
            "Comparar com periodo anterior",
            value=True,
            key=f"{spec.key}_comparar",
            help="Deltas contra o periodo de mesma duracao imediatamente anterior.",
        )
        if st.button("Atualizar dados", key=f"{spec.key}_atualizar", width="stretch"):
            cache.clear_caches()
            st.rerun()
        st.caption(
            f"Base disponivel: {fmt.date_br(first)} a {fmt.date_br(last)}  \n"
            f"Alvo: **{settings.target}** ({settings.label})"
        )
    return with_filters(start, end, chosen), compare, extras


# --- header -----------------------------------------------------------------------------


def freshness_badge(spec: DashboardSpec, settings: Settings, own: pd.DataFrame) -> None:
    """The SLA badge (day D available by D+1 08:00 America/Sao_Paulo) and the last load.
    `own`: the bounds of the dashboard's view (used when its freshness is its own)."""
    source = own
    moment = freshness.now_local()
    if spec.freshness_source != spec.source:
        source = reporting.load_latest(
            settings, spec.freshness_source, moment.date(), spec.date_column
        )
    if source.empty:
        return
    row = source.iloc[0]
    state = freshness.evaluate(row["max_data"] if pd.notna(row["max_data"]) else None, moment)
    badge = st.success if state.within else st.warning
    badge(f"{state.status} (D+1 08:00, America/Sao_Paulo)", icon=":material/schedule:")
    loaded = row["ultima_atualizacao"]
    note = f" {spec.freshness_note}" if spec.freshness_note else ""
    st.caption(
        f"{state.detail} Ultima atualizacao carregada: "
        f"{fmt.timestamp(loaded.to_pydatetime()) if pd.notna(loaded) else '-'}.{note}"
    )


def read_measures(
    spec: DashboardSpec, settings: Settings, selection: Selection, compare: bool
) -> tuple[pd.DataFrame, dict[str, Any], dict[str, Any] | None]:
    """(the frame read, the period's measures, the previous period's or None). A daily
    spec reads day totals over both periods at once (the page's daily charts reuse them);
    the others one row of aggregates per period."""
    if not spec.daily:
        frame = reporting.load_measures(
            settings, spec.source, spec.date_column, spec.measures, selection, compare
        )
        current, previous = kpis.periods(frame)
        return frame, current, previous
    before = selection.previous()
    span = selection.spanning(before) if compare else selection
    days = reporting.load_day_totals(settings, spec.source, spec.date_column, spec.measures, span)
    if cache.unavailable(days):
        return days, {}, None
    current = reporting.period_measures(days, spec.measures, selection.start, selection.end)
    previous = (
        reporting.period_measures(days, spec.measures, before.start, before.end)
        if compare
        else None
    )
    return days, current, previous


def kpi_cards(
    spec: DashboardSpec, current: dict[str, Any], previous: dict[str, Any] | None
) -> None:
    now = kpis.compute(spec.kpis, current)
    before = kpis.compute(spec.kpis, previous) if previous is not None else None
    columns = st.columns(KPI_COLUMNS)
    for index, kpi in enumerate(spec.kpis):
        with columns[index % KPI_COLUMNS]:
            st.metric(
                kpi.label,
                kpi.card(now[kpi.key]),
                delta=fmt.delta(now[kpi.key], before[kpi.key]) if before else None,
                delta_color="inverse" if kpi.inverse else "normal",
                help=f"{kpi.formula} = {kpi.show(now[kpi.key])}",
                border=True,
            )


def describe_filters(spec: DashboardSpec, selection: Selection) -> str:
    labels = {item.column: item.label for item in spec.filters}
    active = [
        f"{labels.get(column, column)} = {', '.join(values)}"
        for column, values in selection.active_filters
    ]
    return "; ".join(active) if active else "nenhum"


def run(
    spec: DashboardSpec,
    navigation: Any,
    extra: Callable[[], dict[str, Any]] | None = None,
) -> None:
    """What an app's entry file does after st.navigation: the shared top of the page, then
    the page, their reads sharing one short-lived connection."""
    settings = bi_settings()
    with reading.shared_session(settings):
        start(spec, settings, extra)
        st.header(navigation.title)
        navigation.run()


def start(
    spec: DashboardSpec,
    settings: Settings,
    extra: Callable[[], dict[str, Any]] | None = None,
) -> Context:
    """The shared top of every page; stops the page with a clear message when there is
    nothing to show."""
    st.title(spec.title)
    busy_now = run_banner(settings)
    overview = reporting.load_bounds(settings, spec.source, spec.date_column, spec.view_filters)
    stop_if_unreadable(overview, busy_now)
    bounds = reporting.collapse(overview)
    row = bounds.iloc[0]
    if not row["linhas"] or pd.isna(row["max_data"]):
        st.info(
            f"A view `{spec.view}` ainda nao tem linhas: nenhum(a) {spec.rows_label} "
            "carregado(a) no DW. Rode a carga (make run) e volte aqui.",
            icon=":material/inbox:",
        )
        st.stop()
    selection, compare, extras = sidebar(spec, settings, overview, extra)
    top = st.columns([3, 2])
    with top[0]:
        st.caption(
            f"Periodo: {fmt.date_br(selection.start)} a {fmt.date_br(selection.end)} "
            f"({selection.days} dias)"
            + (
                f" | comparado a {fmt.date_br(selection.previous().start)} a "
                f"{fmt.date_br(selection.previous().end)}"
                if compare
                else ""
            )
            + f" | filtros: {describe_filters(spec, selection)}"
        )
    with top[1]:
        freshness_badge(spec, settings, bounds)
    frame, current, previous = read_measures(spec, settings, selection, compare)
    stop_if_unreadable(frame, busy_now)
    stale_note(bounds, frame)
    if not current.get("linhas"):
        st.warning(
            f"Nenhum(a) {spec.rows_label} entre {fmt.date_br(selection.start)} e "
            f"{fmt.date_br(selection.end)} com os filtros: {describe_filters(spec, selection)}. "
            f"A base vai de {fmt.date_br(row['min_data'])} a {fmt.date_br(row['max_data'])}: "
            "amplie o periodo ou limpe os filtros.",
            icon=":material/filter_alt_off:",
        )
        st.stop()
    kpi_cards(spec, current, previous)
    days = frame if spec.daily else None
    page = Context(settings, spec, selection, compare, current, previous, days, extras)
    st.session_state[CONTEXT_KEY] = page
    return page


def chart(frame: pd.DataFrame, build: Callable[[pd.DataFrame], Any], empty: str) -> None:
    """A chart of a loader's frame, or why there is none."""
    stale_note(frame)
    if frame.empty:
        st.caption(empty)
    else:
        st.altair_chart(build(frame), width="stretch")
