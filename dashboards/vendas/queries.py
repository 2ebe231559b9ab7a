"""Vendas: the dashboard's spec (filters, aggregates, KPIs) over fact.vw_dash_vendas_r1
(one row per order item, soft-deleted sales left out, margem_bruta = liquido - custo),
the SQL of each chart and its cached loader. Loaders take the settings and the
Selection, return DataFrames and run without Streamlit (the tests call them)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboards.common.cache import loader
from dashboards.common.kpis import Kpi, Measure, ratio, value
from dashboards.common.reporting import DAY, TTL_SECONDS, days_between, grouped
from dashboards.common.selection import Selection
from dashboards.common.settings import Settings
from dashboards.common.spec import DashboardSpec, FilterSpec

VIEW = "fact.vw_dash_vendas_r1"
TOP_PRODUCTS = 12
TOP_STATES = 12
TOP_SELLERS = 12
TOP_TEAMS = 10
WEEKDAYS = ("Seg", "Ter", "Qua", "Qui", "Sex", "Sab", "Dom")
MIX_COLUMNS = ["categoria", "receita", "margem", "itens", "margem_pct", "desconto_pct"]
RANKING_COLUMNS = [
    "nome_vendedor",
    "nome_equipe",
    "receita",
    "margem",
    "pedidos",
    "itens",
    "margem_pct",
]
QUICK_READ_COLUMNS = [
    "categoria",
    "estado",
    "melhor_dia",
    "receita_categoria",
    "receita_estado",
    "receita_dia",
]

MEASURES = (
    Measure("linhas", "count"),
    Measure("receita", "sum", "valor_total_liquido"),
    Measure("margem", "sum", "margem_bruta"),
    Measure("pedidos", "count_distinct", "numero_pedido"),
    Measure("itens", "sum", "quantidade_vendida"),
    Measure("devolvidas", "sum", "quantidade_devolvida"),
    Measure("descontos", "sum", "valor_total_descontos"),
    Measure("bruto", "sum", "valor_total_bruto"),
    Measure("comissao", "sum", "valor_comissao"),
)


def _m(name: str) -> Any:
    return lambda measures: value(measures, name)


KPIS = (
    Kpi("receita", "Receita liquida", "SUM(valor_total_liquido)", "valor_total_liquido",
        _m("receita")),
    Kpi("margem", "Margem bruta", "SUM(margem_bruta) = SUM(valor_total_liquido - custo_total)",
        "margem_bruta", _m("margem")),
    Kpi("margem_pct", "Margem %", "SUM(margem_bruta) / SUM(valor_total_liquido)",
        "margem_bruta, valor_total_liquido",
        lambda m: ratio(value(m, "margem"), value(m, "receita")), kind="ratio"),
    Kpi("ticket", "Ticket medio", "SUM(valor_total_liquido) / COUNT(DISTINCT numero_pedido)",
        "valor_total_liquido, numero_pedido",
        lambda m: ratio(value(m, "receita"), value(m, "pedidos"))),
    Kpi("itens", "Itens vendidos", "SUM(quantidade_vendida)", "quantidade_vendida",
        _m("itens"), kind="integer"),
    Kpi("devolucao", "Taxa de devolucao", "SUM(quantidade_devolvida) / SUM(quantidade_vendida)",
        "quantidade_devolvida, quantidade_vendida",
        lambda m: ratio(value(m, "devolvidas"), value(m, "itens")), kind="ratio", inverse=True),
    Kpi("desconto", "Desconto medio", "SUM(valor_total_descontos) / SUM(valor_total_bruto)",
        "valor_total_descontos, valor_total_bruto",
        lambda m: ratio(value(m, "descontos"), value(m, "bruto")), kind="ratio", inverse=True),
    Kpi("comissao", "Comissao total", "SUM(valor_comissao)", "valor_comissao",
        _m("comissao")),
)  # fmt: skip

SPEC = DashboardSpec(
    key="vendas",
    title="Vendas",
    view=VIEW,
    default_days=90,
    filters=(
        FilterSpec("estado", "Estado", "dim.dim_regiao.estado"),
        FilterSpec("regiao_pais", "Regiao", "dim.dim_regiao.regiao_pais"),
        FilterSpec("categoria", "Categoria", "dim.dim_produto.categoria"),
        FilterSpec("nome_equipe", "Equipe", "dim.dim_vendedor.nome_equipe"),
        FilterSpec("nome_vendedor", "Vendedor", "dim.dim_vendedor.nome_vendedor"),
    ),
    measures=MEASURES,
    kpis=KPIS,
    detail_columns=(
        "data_completa",
        "numero_pedido",
        "estado",
        "regiao_pais",
        "categoria",
        "subcategoria",
        "nome_produto",
        "nome_vendedor",
        "nome_equipe",
        "quantidade_vendida",
        "valor_total_bruto",
        "valor_total_descontos",
        "valor_total_liquido",
        "margem_bruta",
        "quantidade_devolvida",
        "valor_comissao",
    ),
    detail_order="data_completa desc, numero_pedido, venda_id",
    rows_label="itens de pedido",
    daily=True,  # an order has one date: its distinct count adds up day by day
)

TOP_PRODUCTS_SQL = """
select nome_produto, sum(valor_total_liquido) as receita
from fact.vw_dash_vendas_r1
{where}
group by nome_produto
order by receita desc, nome_produto
"""

TOP_STATES_SQL = """
select estado, sum(valor_total_liquido) as receita
from fact.vw_dash_vendas_r1
{where}
group by estado
order by receita desc, estado
"""

CATEGORY_MIX_SQL = """
select categoria,
    sum(valor_total_liquido) as receita,
    sum(valor_total_bruto) as bruto,
    sum(margem_bruta) as margem,
    sum(quantidade_vendida) as itens,
    sum(valor_total_descontos) as descontos
from fact.vw_dash_vendas_r1
{where}
group by categoria
order by receita desc, categoria
"""

SELLER_RANKING_SQL = """
select nome_vendedor, nome_equipe,
    sum(valor_total_liquido) as receita,
    sum(margem_bruta) as margem,
    count(distinct numero_pedido) as pedidos,
    sum(quantidade_vendida) as itens
from fact.vw_dash_vendas_r1
{where}
group by nome_vendedor, nome_equipe
order by receita desc, nome_vendedor
"""

TEAM_REVENUE_SQL = """
select nome_equipe, sum(valor_total_liquido) as receita
from fact.vw_dash_vendas_r1
{where}
group by nome_equipe
order by receita desc, nome_equipe
"""


def daily(days: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Revenue and margin per day of the period, from the day totals the KPIs were read
    from (reporting.day_totals; the page context holds them)."""
    if days is None or days.empty:
        return pd.DataFrame(columns=["data_completa", "receita", "margem"])
    chosen = days_between(days, selection.start, selection.end)
    return pd.DataFrame(
        {
            "data_completa": chosen[DAY],
            "receita": chosen["receita__sum"].fillna(0.0),
            "margem": chosen["margem__sum"].fillna(0.0),
        }
    ).reset_index(drop=True)


def trend(days: pd.DataFrame, selection: Selection, granularity: str = "mes") -> pd.DataFrame:
    """Revenue and margin per month (granularity 'mes') or per day ('dia')."""
    frame = daily(days, selection)
    frame["periodo"] = pd.to_datetime(frame["data_completa"])
    if granularity == "mes":
        frame["periodo"] = frame["periodo"].dt.to_period("M").dt.to_timestamp()
        frame = frame.groupby("periodo", as_index=False)[["receita", "margem"]].sum()
    return frame[["periodo", "receita", "margem"]]


def by_weekday(days: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Revenue per weekday (Monday first)."""
    frame = daily(days, selection)
    totals = frame.groupby(pd.to_datetime(frame["data_completa"]).dt.day_of_week)["receita"].sum()
    return pd.DataFrame(
        {"dia_semana": list(WEEKDAYS), "receita": [float(totals.get(i, 0.0)) for i in range(7)]}
    )


def quick_reads(settings: Settings, selection: Selection, days: pd.DataFrame) -> pd.DataFrame:
    """Top category, top state and the best day of the period (one row)."""
    category = category_mix(settings, selection)
    state = top_states(settings, selection)
    days = daily(days, selection)
    if category.empty or state.empty or days.empty:
        return pd.DataFrame(columns=QUICK_READ_COLUMNS)
    best = days.sort_values(["receita", "data_completa"], ascending=[False, True]).iloc[0]
    return pd.DataFrame(
        [
            {
                "categoria": category["categoria"].iloc[0],
                "estado": state["estado"].iloc[0],
                "melhor_dia": best["data_completa"],
                "receita_categoria": float(category["receita"].iloc[0]),
                "receita_estado": float(state["receita"].iloc[0]),
                "receita_dia": float(best["receita"]),
            }
        ]
    )


@loader(["nome_produto", "receita"], ttl=TTL_SECONDS)
def top_products(settings: Settings, selection: Selection) -> pd.DataFrame:
    return grouped(settings, SPEC.source, TOP_PRODUCTS_SQL, selection, limit=TOP_PRODUCTS)


@loader(["estado", "receita"], ttl=TTL_SECONDS)
def top_states(settings: Settings, selection: Selection) -> pd.DataFrame:
    return grouped(settings, SPEC.source, TOP_STATES_SQL, selection, limit=TOP_STATES)


@loader(MIX_COLUMNS, ttl=TTL_SECONDS)
def category_mix(settings: Settings, selection: Selection) -> pd.DataFrame:
    """Revenue, margin and items per category, with margin % (over revenue) and discount %
    (over gross)."""
    frame = grouped(settings, SPEC.source, CATEGORY_MIX_SQL, selection)
    frame["margem_pct"] = [
        ratio(m, r) for m, r in zip(frame["margem"], frame["receita"], strict=True)
    ]
    frame["desconto_pct"] = [
        ratio(d, b) for d, b in zip(frame["descontos"], frame["bruto"], strict=True)
    ]
    return frame[MIX_COLUMNS]


@loader(RANKING_COLUMNS, ttl=TTL_SECONDS)
def seller_ranking(settings: Settings, selection: Selection) -> pd.DataFrame:
    """Every seller of the selection by revenue, with margin, orders, items, margin %."""
    frame = grouped(settings, SPEC.source, SELLER_RANKING_SQL, selection)
    frame["margem_pct"] = [
        ratio(m, r) for m, r in zip(frame["margem"], frame["receita"], strict=True)
    ]
    return frame


@loader(["nome_equipe", "receita"], ttl=TTL_SECONDS)
def team_revenue(settings: Settings, selection: Selection) -> pd.DataFrame:
    return grouped(settings, SPEC.source, TEAM_REVENUE_SQL, selection, limit=TOP_TEAMS)
