"""Every page of the three business dashboards through AppTest, against the warehouse of
real orchestrator runs, with each app's test selection set in its sidebar: the KPI cards
show the independent figures and their deltas, each page shows its own values, and the
empty, busy and unbuilt states say why there is nothing to show."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.common import formatting as fmt
from dashboards.common import freshness, reporting
from dashboards.common.settings import Settings
from dashboards.descontos import queries as descontos
from dashboards.metas import queries as metas
from dashboards.vendas import queries as vendas
from tests.dashboards import business
from tests.dashboards.conftest import ROOT, MonitorSite, use_site

SPECS = {"vendas": vendas.SPEC, "metas": metas.SPEC, "descontos": descontos.SPEC}
PAGES = {
    "vendas": ["visao_geral", "produtos_regioes", "equipe_comercial", "metricas", "base_detalhada"],
    "metas": ["visao_geral", "equipes_vendedores", "metricas", "base_detalhada"],
    "descontos": ["visao_geral", "campanhas", "metricas", "base_detalhada"],
}


def app_path(app: str) -> str:
    return str(ROOT / "dashboards" / app / "app.py")


def open_page(app: str, page: str, case: business.Case | None = None) -> AppTest:
    """The page, with the case's period and filters chosen in the sidebar."""
    test = AppTest.from_file(app_path(app), default_timeout=60)
    test.switch_page(f"app_pages/{page}.py")
    test.run()
    assert not test.exception, test.exception
    if case is not None:
        spec = SPECS[app]
        test.date_input(key=f"{spec.key}_periodo").set_value(
            (case.selection.start, case.selection.end)
        )
        for column, values in case.selection.filters:
            test.multiselect(key=f"{spec.key}_{column}").set_value(list(values))
        test.run()
        assert not test.exception, test.exception
    return test


def metrics(test: AppTest) -> dict[str, tuple[str, str | None]]:
    return {item.label: (item.value, item.delta) for item in test.metric}


def frame(test: AppTest, *columns: str) -> pd.DataFrame:
    """The first table shown with all these columns."""
    for element in test.dataframe:
        if set(columns) <= set(element.value.columns):
            return element.value
    shown = [list(element.value.columns) for element in test.dataframe]
    raise AssertionError(f"no table with columns {columns}; tables: {shown}")


def texts(test: AppTest, kind: str) -> list[str]:
    return [item.value for item in getattr(test, kind)]


def charts(test: AppTest) -> list[Any]:
    return test.get("vega_lite_chart")


@pytest.fixture(scope="module")
def cases(monitor_site: MonitorSite) -> dict[str, business.Case]:
    return {app: build(monitor_site) for app, build in business.CASES.items()}


@pytest.mark.parametrize(("app", "page"), [(a, p) for a, pages in PAGES.items() for p in pages])
def test_every_page_shows_the_kpis_of_the_facts_with_their_deltas(
    monitor_env: MonitorSite, cases: dict[str, business.Case], app: str, page: str
) -> None:
    case = cases[app]
    test = open_page(app, page, case)
    shown = metrics(test)
    for kpi in SPECS[app].kpis:
        value, delta = shown[kpi.label]
        assert value == kpi.card(case.expected[kpi.key]), kpi.label
        assert delta == fmt.delta(case.expected[kpi.key], case.expected_previous[kpi.key])
    badge = texts(test, "success") + texts(test, "warning")
    assert any("D+1 08:00" in text for text in badge), badge
    assert not texts(test, "error")
    check = PAGE_CHECKS.get((app, page))
    if check is not None:
        check(test, case)


def check_vendas_overview(test: AppTest, case: business.Case) -> None:
    settings = Settings.from_env(app="bi")
    span = case.selection.spanning(case.selection.previous())
    days = reporting.day_totals(
        settings, vendas.SPEC.source, "data_completa", vendas.MEASURES, span
    )
    reads = vendas.quick_reads(settings, case.selection, days).iloc[0]
    shown = " ".join(texts(test, "markdown"))
    assert f"**Categoria lider:** {reads['categoria']}" in shown
    assert f"**Estado lider:** {reads['estado']}" in shown
    assert fmt.date_br(reads["melhor_dia"]) in shown
    assert len(charts(test)) == 2  # trend and weekday


def check_vendas_products(test: AppTest, case: business.Case) -> None:
    mix = frame(test, "Categoria", "Margem %").set_index("Categoria")
    expected = vendas.category_mix(Settings.from_env(app="bi"), case.selection)
    assert len(mix) == len(expected)
    top = expected.iloc[0]
    assert mix.loc[top["categoria"], "Receita"] == fmt.currency(top["receita"])
    assert mix.loc[top["categoria"], "Margem %"] == fmt.ratio(top["margem_pct"])
    assert len(charts(test)) == 2  # products and states


def check_vendas_team(test: AppTest, case: business.Case) -> None:
    ranking = frame(test, "Vendedor", "Equipe", "Pedidos")
    expected = vendas.seller_ranking(Settings.from_env(app="bi"), case.selection)
    assert len(ranking) == len(expected)
    assert ranking["Vendedor"].iloc[0] == expected["nome_vendedor"].iloc[0]
    assert ranking["Receita"].iloc[0] == fmt.currency(expected["receita"].iloc[0])
    assert len(charts(test)) == 2


def check_metric_dictionary(test: AppTest, case: business.Case) -> None:
    spec = SPECS[case.app]
    table = frame(test, "Metrica", "Formula", "Valor atual").set_index("Metrica")
    assert list(table.index) == [kpi.label for kpi in spec.kpis]
    for kpi in spec.kpis:
        assert table.loc[kpi.label, "Valor atual"] == kpi.show(case.expected[kpi.key])
        assert table.loc[kpi.label, "Periodo anterior"] == kpi.show(case.expected_previous[kpi.key])
        assert table.loc[kpi.label, "Formula"] == kpi.formula
    code = test.get("code")
    assert code and spec.view in code[0].proto.code_text
    assert case.selection.start.isoformat() in code[0].proto.code_text


def check_detail(test: AppTest, case: business.Case) -> None:
    rows = int(case.expected.get("linhas", case.expected.get("aplicacoes", 0)))
    table = frame(test, *SPECS[case.app].detail_columns)
    assert len(table) == min(rows, 1000)
    assert list(table.columns) == list(SPECS[case.app].detail_columns)
    assert any(f"{fmt.integer(rows)} " in caption for caption in texts(test, "caption"))
    assert test.get("download_button"), "the CSV download is offered"


def check_metas_overview(test: AppTest, case: business.Case) -> None:
    assert len(charts(test)) == 2  # goal vs actual, quartiles


def check_metas_teams(test: AppTest, case: business.Case) -> None:
    settings = Settings.from_env(app="bi")
    teams = frame(test, "nome_equipe", "regional", "atingimento")
    expected = metas.top_teams(settings, case.selection)
    assert teams["nome_equipe"].tolist() == expected["nome_equipe"].tolist()
    assert teams["atingimento"].iloc[0] == fmt.ratio(expected["atingimento"].iloc[0])
    sellers = frame(test, "nome_vendedor", "atingimento")
    assert len(sellers) == len(metas.top_sellers(settings, case.selection))
    assert len(charts(test)) == 2


def check_descontos_overview(test: AppTest, case: business.Case) -> None:
    assert len(charts(test)) == 3  # monthly discount vs revenue, ROI, margin status


def check_descontos_campaigns(test: AppTest, case: business.Case) -> None:
    table = frame(test, "Codigo", "Campanha", "Desconto concedido")
    expected = descontos.campaigns(Settings.from_env(app="bi"), case.selection)
    assert len(table) == len(expected)
    assert table["Codigo"].iloc[0] == expected["codigo_desconto"].iloc[0]
    assert table["Desconto concedido"].iloc[0] == fmt.currency(expected["desconto"].iloc[0])
    assert len(charts(test)) >= 1


PAGE_CHECKS = {
    ("vendas", "visao_geral"): check_vendas_overview,
    ("vendas", "produtos_regioes"): check_vendas_products,
    ("vendas", "equipe_comercial"): check_vendas_team,
    ("metas", "visao_geral"): check_metas_overview,
    ("metas", "equipes_vendedores"): check_metas_teams,
    ("descontos", "visao_geral"): check_descontos_overview,
    ("descontos", "campanhas"): check_descontos_campaigns,
    **{(app, "metricas"): check_metric_dictionary for app in PAGES},
    **{(app, "base_detalhada"): check_detail for app in PAGES},
}


@pytest.mark.parametrize("app", list(PAGES))
def test_default_period_ends_on_the_last_day_and_spans_the_apps_default(
    monitor_env: MonitorSite, app: str
) -> None:
    spec = SPECS[app]
    test = open_page(app, "visao_geral")
    start, end = test.date_input(key=f"{spec.key}_periodo").value
    last = monitor_env.dw(f"select max(data_completa) from {spec.view}")[0][0]
    assert end == last
    assert (end - start).days + 1 == spec.default_days
    assert test.toggle(key=f"{spec.key}_comparar").value is True
    label = f"Periodo: {fmt.date_br(start)} a {fmt.date_br(end)}"
    assert any(label in caption for caption in texts(test, "caption"))


def test_the_freshness_badge_judges_the_last_business_day_of_the_sales(
    monitor_env: MonitorSite,
) -> None:
    last = monitor_env.dw(
        "select max(d.data_completa) from fact.fact_vendas f join dim.dim_data d"
        " using (data_id) where not f._etl_source_deleted"
    )[0][0]
    state = freshness.evaluate(last)  # ETL_NOW of the site pins the clock
    for app in ("vendas", "metas"):  # metas: realizado is made of the sales
        test = open_page(app, "visao_geral")
        badge = texts(test, "success" if state.within else "warning")
        assert any(state.status in text for text in badge), (app, badge)
        assert any(fmt.date_br(last) in caption for caption in texts(test, "caption"))


def test_a_selection_without_rows_says_why_instead_of_showing_zeros(
    monitor_env: MonitorSite, cases: dict[str, business.Case]
) -> None:
    case = cases["vendas"]
    test = open_page("vendas", "visao_geral", case)
    first = monitor_env.dw("select min(data_completa) from fact.vw_dash_vendas_r1")[0][0]
    test.date_input(key="vendas_periodo").set_value((first, first))
    test.multiselect(key="vendas_estado").set_value([case.selection.filters[0][1][0]])
    test.run()
    assert not test.exception
    warning = " ".join(texts(test, "warning"))
    if "Nenhum(a) itens de pedido" not in warning:  # the first day happened to have a sale
        assert test.metric
        return
    assert "amplie o periodo ou limpe os filtros" in warning
    assert not test.metric


def test_an_unbuilt_warehouse_and_a_missing_view_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    monkeypatch.setenv("ETL_TARGET", "duckdb")
    monkeypatch.setenv("ETL_DUCKDB_PATH", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("ETL_OLTP_DUCKDB_PATH", str(tmp_path / "none-oltp.duckdb"))
    from dashboards.common import cache

    cache.clear_caches()
    test = open_page("metas", "visao_geral")
    assert any("arquivo do DW nao existe" in text for text in texts(test, "error"))
    assert not (tmp_path / "none.duckdb").exists()
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    monkeypatch.setenv("ETL_DUCKDB_PATH", str(tmp_path / "empty.duckdb"))
    cache.clear_caches()
    test = open_page("metas", "visao_geral")
    assert any("fact.vw_dash_metas_r1 nao existe" in text for text in texts(test, "error"))


def test_a_load_holding_the_duckdb_file_shows_run_in_progress_and_the_last_numbers(
    site_copy: MonitorSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_site(site_copy, monkeypatch)
    settings = Settings.from_env(app="bi")
    test = open_page("descontos", "visao_geral")
    before = metrics(test)
    assert before
    holder = {"run_id": "r-busy", "pid": os.getpid(), "host": os.uname().nodename,
              "started_at": "2026-01-16T00:00:00"}  # fmt: skip
    settings.lock_path.write_text(json.dumps(holder))
    try:
        test.run()  # cached: the same numbers, under the run banner
        assert not test.exception
        assert any("Carga em andamento" in text for text in texts(test, "info"))
        assert metrics(test) == before
        from dashboards.common import cache

        cache.clear_caches()  # "Atualizar dados" during the load: the last numbers stay
        test.run()
        assert metrics(test) == before
        assert any("carga em andamento" in text for text in texts(test, "caption"))
        fresh = AppTest.from_file(app_path("vendas"), default_timeout=60)
        fresh.run()  # never read before: says so, never raises
        assert not fresh.exception
        assert any("Carga em andamento" in text for text in texts(fresh, "info"))
        assert not fresh.metric
    finally:
        settings.lock_path.unlink()
