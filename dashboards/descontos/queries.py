"""Descontos e ROI: the dashboard's spec over fact.vw_dash_descontos_r1 (one row per
discount application; roi_desconto = (valor_com_desconto - valor_desconto_aplicado) /
valor_desconto_aplicado, 0 without discount; impacto_margem = margem antes - depois;
status_margem from the margin left), the SQL of each chart and its cached loader."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboards.common.cache import loader
from dashboards.common.kpis import Kpi, Measure, ratio, value
from dashboards.common.reporting import DAY, TTL_SECONDS, days_between, grouped
from dashboards.common.selection import Selection
from dashboards.common.settings import Settings
from dashboards.common.spec import DashboardSpec, FilterSpec

VIEW = "fact.vw_dash_descontos_r1"
TOP_CODES = 12
MIN_APPLICATIONS_FOR_ROI = 3

MEASURES = (
    Measure("linhas", "count"),
    Measure("desconto", "sum", "valor_desconto_aplicado"),
    Measure("receita", "sum", "valor_com_desconto"),
    Measure("roi_medio", "avg", "roi_desconto"),
    Measure("impacto", "sum", "impacto_margem"),
    Measure("aprovadas", "sum", "case when desconto_aprovado = {true} then 1 else 0 end"),
)


def _m(name: str) -> Any:
    return lambda measures: value(measures, name)


KPIS = (
    Kpi("aplicacoes", "Aplicacoes", "COUNT(*)", "desconto_aplicado_id", _m("linhas"),
        kind="integer"),
    Kpi("desconto", "Desconto concedido", "SUM(valor_desconto_aplicado)",
        "valor_desconto_aplicado", _m("desconto"), inverse=True),
    Kpi("receita", "Receita com desconto", "SUM(valor_com_desconto)", "valor_com_desconto",
        _m("receita")),
    Kpi("roi_ponderado", "ROI ponderado",
        "(SUM(valor_com_desconto) - SUM(valor_desconto_aplicado)) / SUM(valor_desconto_aplicado)",
        "valor_com_desconto, valor_desconto_aplicado",
        lambda m: ratio(value(m, "receita") - value(m, "desconto"), value(m, "desconto")),
        kind="times"),
    Kpi("roi_medio", "ROI medio", "AVG(roi_desconto)", "roi_desconto", _m("roi_medio"),
        kind="times"),
    Kpi("impacto", "Impacto de margem", "SUM(impacto_margem)", "impacto_margem",
        _m("impacto"), inverse=True),
    Kpi("impacto_receita", "Impacto margem/receita",
        "SUM(impacto_margem) / SUM(valor_com_desconto)", "impacto_margem, valor_com_desconto",
        lambda m: ratio(value(m, "impacto"), value(m, "receita")), kind="ratio", inverse=True),
    Kpi("aprovacao", "Taxa de aprovacao", "AVG(CASE WHEN desconto_aprovado THEN 1 ELSE 0 END)",
        "desconto_aprovado", lambda m: ratio(value(m, "aprovadas"), value(m, "linhas")),
        kind="ratio"),
)  # fmt: skip

SPEC = DashboardSpec(
    key="descontos",
    title="Descontos e ROI",
    view=VIEW,
    default_days=365,
    filters=(
        FilterSpec("regiao_pais", "Regiao", "dim.dim_regiao.regiao_pais"),
        FilterSpec("tipo_desconto", "Tipo de desconto", "dim.dim_desconto.tipo_desconto"),
        FilterSpec("metodo_desconto", "Metodo de desconto", "dim.dim_desconto.metodo_desconto"),
        FilterSpec("codigo_desconto", "Codigo de desconto", "dim.dim_desconto.codigo_desconto"),
        FilterSpec("nivel_aplicacao", "Nivel de aplicacao"),  # a fact column: from the view
    ),
    measures=MEASURES,
    kpis=KPIS,
    detail_columns=(
        "data_completa",
        "numero_pedido",
        "codigo_desconto",
        "nome_campanha",
        "tipo_desconto",
        "metodo_desconto",
        "nivel_aplicacao",
        "regiao_pais",
        "valor_sem_desconto",
        "valor_desconto_aplicado",
        "valor_com_desconto",
        "percentual_desconto_efetivo",
        "impacto_margem",
        "status_margem",
        "desconto_aprovado",
        "roi_desconto",
    ),
    detail_order="data_completa desc, valor_desconto_aplicado desc, desconto_aplicado_id",
    rows_label="aplicacoes de desconto",
    daily=True,
)

MARGIN_STATUS_SQL = """
select status_margem, count(*) as aplicacoes
from fact.vw_dash_descontos_r1
{where}
group by status_margem
order by aplicacoes desc, status_margem
"""

CAMPAIGNS_SQL = """
select codigo_desconto, nome_campanha, tipo_desconto, metodo_desconto,
    count(*) as aplicacoes,
    sum(valor_desconto_aplicado) as desconto,
    sum(valor_com_desconto) as receita,
    avg(roi_desconto) as roi_medio,
    sum(impacto_margem) as impacto,
    avg(case when desconto_aprovado = {true} then 1.0 else 0.0 end) as taxa_aprovacao
from fact.vw_dash_descontos_r1
{where}
group by codigo_desconto, nome_campanha, tipo_desconto, metodo_desconto
order by desconto desc, codigo_desconto
"""

CAMPAIGN_COLUMNS = [
    "codigo_desconto",
    "nome_campanha",
    "tipo_desconto",
    "metodo_desconto",
    "aplicacoes",
    "desconto",
    "receita",
    "roi_medio",
    "impacto",
    "taxa_aprovacao",
]


MONTHLY_COLUMNS = ["mes_inicio", "aplicacoes", "desconto", "receita", "roi_medio"]


def monthly(days: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Per month: applications, discount given, revenue with discount and mean ROI, from
    the day totals the KPIs were read from (reporting.day_totals; the page context holds
    them)."""
    if days is None or days.empty:
        return pd.DataFrame(columns=MONTHLY_COLUMNS)
    chosen = days_between(days, selection.start, selection.end)
    if chosen.empty:
        return pd.DataFrame(columns=MONTHLY_COLUMNS)
    month = pd.to_datetime(chosen[DAY]).dt.to_period("M").dt.to_timestamp()
    grouped_months = chosen.groupby(month).agg(
        aplicacoes=("linhas__n", "sum"),
        desconto=("desconto__sum", "sum"),
        receita=("receita__sum", "sum"),
        roi_soma=("roi_medio__sum", "sum"),
        roi_n=("roi_medio__n", "sum"),
    )
    grouped_months["roi_medio"] = grouped_months["roi_soma"] / grouped_months["roi_n"]
    frame = grouped_months.rename_axis("mes_inicio").reset_index()
    frame["aplicacoes"] = frame["aplicacoes"].astype(int)
    return frame[MONTHLY_COLUMNS]


@loader(["status_margem", "aplicacoes"], ttl=TTL_SECONDS)
def margin_status(settings: Settings, selection: Selection) -> pd.DataFrame:
    """Applications per margin status (Margem saudavel / reduzida / critica, Prejuizo)."""
    return grouped(settings, SPEC.source, MARGIN_STATUS_SQL, selection)


@loader(CAMPAIGN_COLUMNS, ttl=TTL_SECONDS)
def campaigns(settings: Settings, selection: Selection) -> pd.DataFrame:
    """Every discount code of the selection with its figures, largest discount first."""
    frame = grouped(settings, SPEC.source, CAMPAIGNS_SQL, selection)
    frame["aplicacoes"] = frame["aplicacoes"].astype(int)
    return frame


def top_by_discount(frame: pd.DataFrame) -> pd.DataFrame:
    """The 12 codes that gave the most discount (frame: campaigns())."""
    return frame.sort_values(["desconto", "codigo_desconto"], ascending=[False, True]).head(
        TOP_CODES
    )


def top_by_roi(frame: pd.DataFrame) -> pd.DataFrame:
    """The 12 codes with the best mean ROI among those applied at least 3 times."""
    enough = frame[frame["aplicacoes"] >= MIN_APPLICATIONS_FOR_ROI]
    return enough.sort_values(["roi_medio", "codigo_desconto"], ascending=[False, True]).head(
        TOP_CODES
    )
