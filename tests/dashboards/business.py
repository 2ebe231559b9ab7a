"""What the business dashboards' tests compare with: each KPI computed independently, in
SQL straight from the fact and dimension tables (never the fact.vw_dash_* views the apps
read), for a filtered period, and the selections the tests use.

The SQL follows CONTRACT.md's definitions, not the apps' code: sales at item grain without
soft-deleted rows; goals as the month x active-seller grid of the last 24 months, the
goal being meta_mensal_base; discounts with their sale's region.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dashboards.common.selection import Selection
from tests.dashboards.conftest import NOW, MonitorSite

TODAY = date.fromisoformat(NOW[:10])  # the views' reporting_now(): ETL_NOW of the runs

# (start, end, {column: values}) of each app's test selection
VENDAS_PERIOD = (date(2025, 10, 1), date(2025, 12, 31))
METAS_PERIOD = (date(2025, 1, 1), date(2025, 12, 31))
DESCONTOS_PERIOD = (date(2025, 1, 1), date(2025, 12, 31))

VENDAS_SQL = """
select
    count(*) as linhas,
    sum(f.valor_total_liquido) as receita,
    sum(f.valor_total_liquido - f.custo_total) as margem,
    (sum(f.valor_total_liquido) - sum(f.custo_total)) / sum(f.valor_total_liquido) as margem_pct,
    sum(f.valor_total_liquido) / count(distinct f.numero_pedido) as ticket,
    sum(f.quantidade_vendida) as itens,
    sum(f.quantidade_devolvida) * 1.0 / sum(f.quantidade_vendida) as devolucao,
    sum(f.valor_total_descontos) / sum(f.valor_total_bruto) as desconto,
    sum(f.valor_comissao) as comissao
from fact.fact_vendas as f
inner join dim.dim_data as d on d.data_id = f.data_id
left join dim.dim_regiao as r on r.regiao_id = f.regiao_id
left join dim.dim_produto as p on p.produto_id = f.produto_id
where not f._etl_source_deleted
    and d.data_completa between ? and ?
    and r.estado in ({estados})
    and p.categoria in ({categorias})
"""

METAS_SQL = """
with months as (
    select data_completa from dim.dim_data
    where dia = 1 and data_id <> -1 and data_completa >= ? and data_completa <= ?
),
sellers as (
    select v.vendedor_id, coalesce(v.meta_mensal_base, 0) as meta,
        coalesce(e.tipo_equipe, 'Nao informado') as tipo_equipe
    from dim.dim_vendedor as v
    left join dim.dim_equipe as e on e.equipe_id = v.equipe_id
    where v.vendedor_id <> -1 and v.eh_ativo and v.situacao = 'Ativo'
),
sales as (
    select make_date(year(d.data_completa), month(d.data_completa), 1) as mes, f.vendedor_id,
        sum(f.valor_total_liquido) as realizado, count(distinct f.numero_pedido) as pedidos
    from fact.fact_vendas as f
    inner join dim.dim_data as d on d.data_id = f.data_id
    where not f._etl_source_deleted
    group by 1, 2
),
grid as (
    select m.data_completa, s.vendedor_id, s.meta, s.tipo_equipe,
        coalesce(x.realizado, 0) as realizado, coalesce(x.pedidos, 0) as pedidos
    from months as m
    cross join sellers as s
    left join sales as x on x.mes = m.data_completa and x.vendedor_id = s.vendedor_id
)
select
    count(*) as linhas,
    sum(meta) as meta,
    sum(realizado) as realizado,
    sum(realizado) / sum(meta) as atingimento,
    sum(realizado - meta) as gap,
    avg(case when meta > 0 and realizado >= meta then 1.0 else 0.0 end) as taxa_batida,
    avg(case when meta > 0 and realizado >= 1.2 * meta then 1.0 else 0.0 end) as taxa_superada,
    count(distinct vendedor_id) as vendedores,
    sum(pedidos) as pedidos
from grid
where (meta > 0 or realizado > 0)
    and data_completa between ? and ?
    and tipo_equipe in ({tipos})
"""

DESCONTOS_SQL = """
with applied as (
    select fd.valor_desconto_aplicado as desconto, fd.valor_com_desconto as receita,
        fd.impacto_margem as impacto, fd.desconto_aprovado as aprovado,
        case when fd.valor_desconto_aplicado > 0
            then round((fd.valor_com_desconto - fd.valor_desconto_aplicado)
                / fd.valor_desconto_aplicado, 4)
            else 0 end as roi
    from fact.fact_descontos as fd
    inner join dim.dim_data as d on d.data_id = fd.data_aplicacao_id
    left join dim.dim_desconto as dd on dd.desconto_id = fd.desconto_id
    left join fact.fact_vendas as fv on fv.venda_id = fd.venda_id
    left join dim.dim_regiao as r on r.regiao_id = fv.regiao_id
    where not fd._etl_source_deleted
        and d.data_completa between ? and ?
        and fd.nivel_aplicacao in ({niveis})
        and dd.tipo_desconto in ({tipos})
)
select
    count(*) as aplicacoes,
    sum(desconto) as desconto,
    sum(receita) as receita,
    (sum(receita) - sum(desconto)) / sum(desconto) as roi_ponderado,
    avg(roi) as roi_medio,
    sum(impacto) as impacto,
    sum(impacto) / sum(receita) as impacto_receita,
    avg(case when aprovado then 1.0 else 0.0 end) as aprovacao
from applied
"""


@dataclass(frozen=True)
class Case:
    """One app's test selection and its independent figures (period and previous)."""

    app: str
    selection: Selection
    expected: dict[str, float]
    expected_previous: dict[str, float]


def _markers(values: tuple[str, ...]) -> str:
    return ", ".join("?" for _ in values)


def _row(site: MonitorSite, sql: str, params: list[Any]) -> dict[str, float]:
    import duckdb

    with duckdb.connect(str(site.warehouse), read_only=True) as conn:
        cursor = conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        values = cursor.fetchone()
    assert values is not None
    return {name: float(value or 0) for name, value in zip(names, values, strict=True)}


def top_values(site: MonitorSite, sql: str, count: int, *params: Any) -> tuple[str, ...]:
    """The first `count` values of a one-column query (the filters the tests choose)."""
    return tuple(str(row[0]) for row in site.dw(sql, *params)[:count])


def vendas_case(site: MonitorSite) -> Case:
    start, end = VENDAS_PERIOD
    estados = top_values(
        site,
        "select r.estado from fact.fact_vendas f join dim.dim_regiao r using (regiao_id)"
        " group by r.estado order by count(*) desc, r.estado",
        2,
    )
    categorias = top_values(
        site,
        "select p.categoria from fact.fact_vendas f join dim.dim_produto p using (produto_id)"
        " group by p.categoria order by count(*) desc, p.categoria",
        4,
    )
    selection = Selection(start, end, (("estado", estados), ("categoria", categorias)))
    sql = VENDAS_SQL.format(estados=_markers(estados), categorias=_markers(categorias))

    def figures(period: Selection) -> dict[str, float]:
        return _row(site, sql, [period.start, period.end, *estados, *categorias])

    return Case("vendas", selection, figures(selection), figures(selection.previous()))


def metas_case(site: MonitorSite) -> Case:
    start, end = METAS_PERIOD
    tipos = top_values(
        site,
        "select tipo_equipe from dim.dim_equipe where equipe_id <> -1"
        " group by tipo_equipe order by count(*) desc, tipo_equipe",
        1,
    )
    selection = Selection(start, end, (("tipo_equipe", tipos),))
    sql = METAS_SQL.format(tipos=_markers(tipos))
    first_month = _months_before(TODAY, 24)

    def figures(period: Selection) -> dict[str, float]:
        return _row(site, sql, [first_month, TODAY, period.start, period.end, *tipos])

    return Case("metas", selection, figures(selection), figures(selection.previous()))


def descontos_case(site: MonitorSite) -> Case:
    start, end = DESCONTOS_PERIOD
    niveis = top_values(
        site,
        "select nivel_aplicacao from fact.fact_descontos group by nivel_aplicacao"
        " order by count(*) desc, nivel_aplicacao",
        2,
    )
    tipos = top_values(
        site,
        "select dd.tipo_desconto from fact.fact_descontos f join dim.dim_desconto dd"
        " using (desconto_id) group by dd.tipo_desconto order by count(*) desc, 1",
        3,
    )
    selection = Selection(start, end, (("tipo_desconto", tipos), ("nivel_aplicacao", niveis)))
    sql = DESCONTOS_SQL.format(niveis=_markers(niveis), tipos=_markers(tipos))

    def figures(period: Selection) -> dict[str, float]:
        return _row(site, sql, [period.start, period.end, *niveis, *tipos])

    return Case("descontos", selection, figures(selection), figures(selection.previous()))


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    while True:
        try:
            return day.replace(year=year, month=month)
        except ValueError:  # 31 in a shorter month: the view's dateadd clamps
            day -= timedelta(days=1)


CASES = {"vendas": vendas_case, "metas": metas_case, "descontos": descontos_case}
