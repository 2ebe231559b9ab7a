"""Equipe comercial: the top 12 sellers by revenue, revenue by team (top 10) and the
whole seller ranking."""

from __future__ import annotations

import streamlit as st

from dashboards.common import formatting as fmt
from dashboards.common import layout
from dashboards.vendas import charts, queries

page = layout.context()
ranking = queries.seller_ranking(page.settings, page.selection)
left, right = st.columns(2)
with left:
    st.subheader(f"Ranking de vendedores (top {queries.TOP_SELLERS})")
    layout.chart(ranking.head(queries.TOP_SELLERS), charts.sellers, "Sem vendedores.")
with right:
    st.subheader(f"Receita por equipe (top {queries.TOP_TEAMS})")
    layout.chart(queries.team_revenue(page.settings, page.selection), charts.teams, "Sem equipes.")

st.subheader("Desempenho por vendedor")
st.dataframe(
    ranking.assign(
        receita=ranking["receita"].map(fmt.currency),
        margem=ranking["margem"].map(fmt.currency),
        margem_pct=ranking["margem_pct"].map(fmt.ratio),
        pedidos=ranking["pedidos"].map(fmt.integer),
        itens=ranking["itens"].map(fmt.integer),
    ).rename(
        columns={
            "nome_vendedor": "Vendedor",
            "nome_equipe": "Equipe",
            "receita": "Receita",
            "margem": "Margem",
            "pedidos": "Pedidos",
            "itens": "Itens",
            "margem_pct": "Margem %",
        }
    ),
    hide_index=True,
    width="stretch",
    key="seller_ranking",
)
