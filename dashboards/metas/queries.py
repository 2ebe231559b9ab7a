"""Metas: the dashboard's spec over fact.vw_dash_metas_r1 (one row per month and active
seller of the last 24 months: the goal is the seller's meta_mensal_base, realizado the
net sales of the seller-month; gap = realizado - meta; meta_batida = realizado >= meta,
meta_superada = realizado >= 1.2 x meta; ranking and quartile within the month by
realizado), the SQL of each chart and its cached loader.

The period selects months by their first day (data_completa). The data's freshness is the
sales' (fact.vw_dash_vendas_r1): realizado is made of them, and the view's own
data_atualizacao is the moment it is read. The view is read whole once per cache period
(a snapshot, dashboards/common/reporting.py) and each chart queries that copy.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboards.common.cache import loader
from dashboards.common.kpis import Kpi, Measure, ratio, value
from dashboards.common.reporting import TTL_SECONDS, grouped
from dashboards.common.selection import Selection
from dashboards.common.settings import Settings
from dashboards.common.spec import DashboardSpec, FilterSpec

VIEW = "fact.vw_dash_metas_r1"
TOP_TEAMS = 12
TOP_SELLERS = 12
QUARTILES = ("Q1", "Q2", "Q3", "Q4")

MEASURES = (
    Measure("linhas", "count"),
    Measure("meta", "sum", "valor_meta"),
    Measure("realizado", "sum", "valor_realizado"),
    Measure("gap", "sum", "gap_meta"),
    Measure("batidas", "sum", "case when meta_batida = {true} then 1 else 0 end"),
    Measure("superadas", "sum", "case when meta_superada = {true} then 1 else 0 end"),
    Measure("vendedores", "count_distinct", "vendedor_id"),
    Measure("pedidos", "sum", "pedidos_realizados"),
)


def _m(name: str) -> Any:
    return lambda measures: value(measures, name)


KPIS = (
    Kpi("meta", "Meta total", "SUM(valor_meta)", "valor_meta", _m("meta")),
    Kpi("realizado", "Realizado total", "SUM(valor_realizado)", "valor_realizado",
        _m("realizado")),
    Kpi("atingimento", "Atingimento", "SUM(valor_realizado) / SUM(valor_meta)",
        "valor_realizado, valor_meta",
        lambda m: ratio(value(m, "realizado"), value(m, "meta")), kind="ratio"),
    Kpi("gap", "Gap", "SUM(gap_meta) = SUM(valor_realizado - valor_meta)", "gap_meta",
        _m("gap")),
    Kpi("taxa_batida", "Meta batida",
        "linhas (vendedor x mes) com meta_batida / linhas", "meta_batida",
        lambda m: ratio(value(m, "batidas"), value(m, "linhas")), kind="ratio"),
    Kpi("taxa_superada", "Meta superada",
        "linhas (vendedor x mes) com meta_superada (>= 120% da meta) / linhas",
        "meta_superada", lambda m: ratio(value(m, "superadas"), value(m, "linhas")),
        kind="ratio"),
    Kpi("vendedores", "Vendedores no recorte", "COUNT(DISTINCT vendedor_id)", "vendedor_id",
        _m("vendedores"), kind="integer"),
    Kpi("pedidos", "Pedidos realizados", "SUM(pedidos_realizados)", "pedidos_realizados",
        _m("pedidos"), kind="integer"),
)  # fmt: skip

SPEC = DashboardSpec(
    key="metas",
    title="Metas",
    view=VIEW,
    default_days=365,
    filters=(
        FilterSpec("regional", "Regional"),
        FilterSpec("tipo_equipe", "Tipo de equipe"),
        FilterSpec("nome_equipe", "Equipe"),
        FilterSpec("nome_vendedor", "Vendedor"),
    ),
    measures=MEASURES,
    kpis=KPIS,
    detail_columns=(
        "data_completa",
        "regional",
        "tipo_equipe",
        "nome_equipe",
        "nome_vendedor",
        "valor_meta",
        "valor_realizado",
        "gap_meta",
        "percentual_atingido",
        "meta_batida",
        "meta_superada",
        "ranking_periodo",
        "quartil_performance",
        "pedidos_realizados",
        "itens_realizados",
    ),
    detail_order="data_completa desc, valor_realizado desc, vendedor_id",
    rows_label="metas (vendedor x mes)",
    freshness_view="fact.vw_dash_vendas_r1",
    freshness_note="(das vendas, que formam o realizado)",
    snapshot=True,  # months x active sellers: small, but every read re-ranks 24 months
)

MONTHLY_SQL = """
select data_completa, sum(valor_meta) as meta, sum(valor_realizado) as realizado
from fact.vw_dash_metas_r1
{where}
group by data_completa
order by data_completa
"""

QUARTILE_SQL = """
select quartil_performance, count(*) as linhas
from fact.vw_dash_metas_r1
{where}
group by quartil_performance
order by quartil_performance
"""

TEAM_ATTAINMENT_SQL = """
select nome_equipe, regional, sum(valor_meta) as meta, sum(valor_realizado) as realizado
from fact.vw_dash_metas_r1
{where}
group by nome_equipe, regional
"""

SELLER_ATTAINMENT_SQL = """
select nome_vendedor, nome_equipe, sum(valor_meta) as meta,
    sum(valor_realizado) as realizado
from fact.vw_dash_metas_r1
{where}
group by nome_vendedor, nome_equipe
"""

ATTAINMENT_COLUMNS = ["meta", "realizado", "atingimento"]


@loader(["data_completa", "meta", "realizado"], ttl=TTL_SECONDS)
def monthly(settings: Settings, selection: Selection) -> pd.DataFrame:
    """Goal and actual per month."""
    frame = grouped(settings, SPEC.source, MONTHLY_SQL, selection)
    frame["data_completa"] = pd.to_datetime(frame["data_completa"])
    return frame


@loader(["quartil_performance", "linhas"], ttl=TTL_SECONDS)
def quartiles(settings: Settings, selection: Selection) -> pd.DataFrame:
    """Seller-months per performance quartile (Q1 the best of its month)."""
    frame = grouped(settings, SPEC.source, QUARTILE_SQL, selection).set_index("quartil_performance")
    return pd.DataFrame(
        {
            "quartil_performance": list(QUARTILES),
            "linhas": [int(frame["linhas"].get(q, 0)) for q in QUARTILES],
        }
    )


def _attainment(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame["atingimento"] = [
        ratio(real, goal) for real, goal in zip(frame["realizado"], frame["meta"], strict=True)
    ]
    return frame.sort_values(["atingimento", "realizado", name], ascending=[False, False, True])


@loader(["nome_equipe", "regional", *ATTAINMENT_COLUMNS], ttl=TTL_SECONDS)
def top_teams(settings: Settings, selection: Selection) -> pd.DataFrame:
    """The 12 teams with the highest attainment (realizado / meta)."""
    frame = _attainment(
        grouped(settings, SPEC.source, TEAM_ATTAINMENT_SQL, selection), "nome_equipe"
    )
    return frame.head(TOP_TEAMS).reset_index(drop=True)


@loader(["nome_vendedor", "nome_equipe", *ATTAINMENT_COLUMNS], ttl=TTL_SECONDS)
def top_sellers(settings: Settings, selection: Selection) -> pd.DataFrame:
    """The 12 sellers with the highest attainment (realizado / meta)."""
    frame = _attainment(
        grouped(settings, SPEC.source, SELLER_ATTAINMENT_SQL, selection), "nome_vendedor"
    )
    return frame.head(TOP_SELLERS).reset_index(drop=True)
