"""The business dashboards' loaders without Streamlit, against the warehouse of real
orchestrator runs: every KPI of every app, for a filtered period and for the previous
period of the same length (its delta), equals the figure computed independently in SQL
from the fact tables; the charts' loaders add up to the same totals."""

from __future__ import annotations

from typing import Any

import pytest

from dashboards.common import formatting as fmt
from dashboards.common import kpis, reporting
from dashboards.common.settings import Settings
from dashboards.descontos import queries as descontos
from dashboards.metas import queries as metas
from dashboards.vendas import queries as vendas
from tests.dashboards import business
from tests.dashboards.conftest import MonitorSite

SPECS = {"vendas": vendas.SPEC, "metas": metas.SPEC, "descontos": descontos.SPEC}


def read_kpis(app: str, case: business.Case) -> tuple[dict[str, float], dict[str, float]]:
    spec = SPECS[app]
    frame = reporting.measures(
        Settings.from_env(app="bi"),
        spec.source,
        spec.date_column,
        spec.measures,
        case.selection,
        True,
    )
    current, previous = kpis.periods(frame)
    assert previous is not None
    return kpis.compute(spec.kpis, current), kpis.compute(spec.kpis, previous)


@pytest.mark.parametrize("app", ["vendas", "metas", "descontos"])
def test_every_kpi_and_its_delta_equal_the_independent_sql_over_the_facts(
    monitor_env: MonitorSite, app: str
) -> None:
    case = business.CASES[app](monitor_env)
    assert case.expected[next(iter(case.expected))] > 0, "the test period has rows"
    current, previous = read_kpis(app, case)
    keys = [kpi.key for kpi in SPECS[app].kpis]
    assert len(keys) == 8
    for key in keys:
        assert current[key] == pytest.approx(case.expected[key], rel=1e-9, abs=1e-6), key
        assert previous[key] == pytest.approx(case.expected_previous[key], rel=1e-9, abs=1e-6), key
        assert fmt.delta(current[key], previous[key]) == fmt.delta(
            case.expected[key], case.expected_previous[key]
        ), key


def test_the_previous_period_has_the_same_length_and_ends_the_day_before(
    monitor_env: MonitorSite,
) -> None:
    case = business.vendas_case(monitor_env)
    before = case.selection.previous()
    assert before.days == case.selection.days
    assert (case.selection.start - before.end).days == 1
    assert before.filters == case.selection.filters


def _sum(frame: Any, column: str) -> float:
    return float(frame[column].sum())


def day_totals(spec: Any, case: business.Case) -> Any:
    """The day totals a page reads: both periods' span, as layout.read_measures asks."""
    span = case.selection.spanning(case.selection.previous())
    return reporting.day_totals(
        Settings.from_env(app="bi"), spec.source, spec.date_column, spec.measures, span
    )


def test_vendas_charts_add_up_to_the_kpis(monitor_env: MonitorSite) -> None:
    case = business.vendas_case(monitor_env)
    settings = Settings.from_env(app="bi")
    receita = case.expected["receita"]
    days = day_totals(vendas.SPEC, case)
    assert _sum(vendas.trend(days, case.selection, "mes"), "receita") == pytest.approx(receita)
    assert _sum(vendas.trend(days, case.selection, "dia"), "receita") == pytest.approx(receita)
    weekday = vendas.by_weekday(days, case.selection)
    assert weekday["dia_semana"].tolist() == list(vendas.WEEKDAYS)
    assert _sum(weekday, "receita") == pytest.approx(receita)
    mix = vendas.category_mix(settings, case.selection)
    assert _sum(mix, "receita") == pytest.approx(receita)
    assert set(mix["categoria"]) <= set(dict(case.selection.filters)["categoria"])
    states = vendas.top_states(settings, case.selection)
    assert set(states["estado"]) == set(dict(case.selection.filters)["estado"])
    ranking = vendas.seller_ranking(settings, case.selection)
    assert _sum(ranking, "receita") == pytest.approx(receita)
    assert ranking["receita"].is_monotonic_decreasing
    reads = vendas.quick_reads(settings, case.selection, days).iloc[0]
    assert reads["categoria"] == mix["categoria"].iloc[0]
    assert len(vendas.top_products(settings, case.selection)) <= vendas.TOP_PRODUCTS
    assert len(vendas.team_revenue(settings, case.selection)) <= vendas.TOP_TEAMS


def test_metas_charts_add_up_to_the_kpis(monitor_env: MonitorSite) -> None:
    case = business.metas_case(monitor_env)
    settings = Settings.from_env(app="bi")
    monthly = metas.monthly(settings, case.selection)
    assert _sum(monthly, "meta") == pytest.approx(case.expected["meta"])
    assert _sum(monthly, "realizado") == pytest.approx(case.expected["realizado"])
    quartiles = metas.quartiles(settings, case.selection)
    assert quartiles["quartil_performance"].tolist() == ["Q1", "Q2", "Q3", "Q4"]
    assert _sum(quartiles, "linhas") == case.expected["linhas"]
    teams = metas.top_teams(settings, case.selection)
    assert len(teams) <= metas.TOP_TEAMS
    assert teams["atingimento"].is_monotonic_decreasing
    sellers = metas.top_sellers(settings, case.selection)
    assert len(sellers) <= metas.TOP_SELLERS
    assert sellers["atingimento"].is_monotonic_decreasing


def test_descontos_charts_add_up_to_the_kpis(monitor_env: MonitorSite) -> None:
    case = business.descontos_case(monitor_env)
    settings = Settings.from_env(app="bi")
    monthly = descontos.monthly(day_totals(descontos.SPEC, case), case.selection)
    assert _sum(monthly, "desconto") == pytest.approx(case.expected["desconto"])
    assert _sum(monthly, "aplicacoes") == case.expected["aplicacoes"]
    status = descontos.margin_status(settings, case.selection)
    assert _sum(status, "aplicacoes") == case.expected["aplicacoes"]
    campaigns = descontos.campaigns(settings, case.selection)
    assert _sum(campaigns, "receita") == pytest.approx(case.expected["receita"])
    best = descontos.top_by_roi(campaigns)
    assert (best["aplicacoes"] >= descontos.MIN_APPLICATIONS_FOR_ROI).all()
    assert len(best) <= descontos.TOP_CODES and best["roi_medio"].is_monotonic_decreasing
    top = descontos.top_by_discount(campaigns)
    assert top["desconto"].is_monotonic_decreasing and len(top) <= descontos.TOP_CODES


@pytest.mark.parametrize("app", ["vendas", "metas", "descontos"])
def test_detail_rows_and_csv_hold_every_filtered_row(monitor_env: MonitorSite, app: str) -> None:
    case = business.CASES[app](monitor_env)
    spec = SPECS[app]
    settings = Settings.from_env(app="bi")
    rows = int(case.expected.get("linhas", case.expected.get("aplicacoes", 0)))
    preview = reporting.detail(
        settings, spec.source, spec.date_column, spec.detail_columns, spec.detail_order,
        case.selection, 5,
    )  # fmt: skip
    assert list(preview.columns) == list(spec.detail_columns)
    assert len(preview) == min(5, rows)
    csv = reporting.detail_csv(
        settings, spec.source, spec.date_column, spec.detail_columns, spec.detail_order,
        case.selection,
    ).decode("utf-8")  # fmt: skip
    assert csv.splitlines()[0].split(",") == list(spec.detail_columns)
    assert len(csv.splitlines()) == rows + 1


def test_filter_options_offer_every_value_of_the_view_and_bounds_are_its_dates(
    monitor_env: MonitorSite,
) -> None:
    settings = Settings.from_env(app="bi")
    options = reporting.options(settings, vendas.SPEC.dimension_filters)
    assert set(options["filtro"]) == set(vendas.SPEC.filter_columns)
    sold = monitor_env.dw(
        "select distinct r.estado from fact.fact_vendas f join dim.dim_regiao r using (regiao_id)"
        " where not f._etl_source_deleted"
    )
    offered = set(options.loc[options["filtro"] == "estado", "valor"])
    assert {row[0] for row in sold} <= offered
    bounds = reporting.bounds(settings, vendas.SPEC.source).iloc[0]
    first, last = monitor_env.dw(
        "select min(d.data_completa), max(d.data_completa) from fact.fact_vendas f"
        " join dim.dim_data d using (data_id) where not f._etl_source_deleted"
    )[0]
    assert (bounds["min_data"], bounds["max_data"]) == (first, last)
    # view-valued filters come with the grouped bounds: the goals' snapshot offers exactly
    # the values of its view, the discounts' view its application levels
    overview = reporting.bounds(
        settings, metas.SPEC.source, "data_completa", metas.SPEC.view_filters
    )
    goals = reporting.grouped_options(overview, metas.SPEC.view_filters)
    teams = monitor_env.dw("select distinct tipo_equipe from fact.vw_dash_metas_r1")
    assert set(goals.loc[goals["filtro"] == "tipo_equipe", "valor"]) == {r[0] for r in teams}
    months = reporting.collapse(overview).iloc[0]
    assert months["linhas"] == monitor_env.dw("select count(*) from fact.vw_dash_metas_r1")[0][0]
    levels = reporting.grouped_options(
        reporting.bounds(settings, descontos.SPEC.source, "data_completa", ("nivel_aplicacao",)),
        ("nivel_aplicacao",),
    )
    applied = monitor_env.dw("select distinct nivel_aplicacao from fact.fact_descontos")
    assert set(levels["valor"]) == {row[0] for row in applied}
