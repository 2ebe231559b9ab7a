"""Produtos e regioes: top 12 products and states by revenue, and the category mix with
margin % (over revenue) and discount % (over gross)."""

from __future__ import annotations

import streamlit as st

from dashboards.common import formatting as fmt
from dashboards.common import layout
from dashboards.vendas import charts, queries

page = layout.context()
left, right = st.columns(2)
with left:
    st.subheader(f"Top {queries.TOP_PRODUCTS} produtos por receita")
    layout.chart(
        queries.top_products(page.settings, page.selection), charts.products, "Sem produtos."
    )
with right:
    st.subheader(f"Top {queries.TOP_STATES} estados por receita")
    layout.chart(queries.top_states(page.settings, page.selection), charts.states, "Sem estados.")

st.subheader("Mix de categorias")
mix = queries.category_mix(page.settings, page.selection)
layout.stale_note(mix)
st.dataframe(
    mix.assign(
        receita=mix["receita"].map(fmt.currency),
        margem=mix["margem"].map(fmt.currency),
        itens=mix["itens"].map(fmt.integer),
        margem_pct=mix["margem_pct"].map(fmt.ratio),
        desconto_pct=mix["desconto_pct"].map(fmt.ratio),
    ).rename(
        columns={
            "categoria": "Categoria",
            "receita": "Receita",
            "margem": "Margem",
            "itens": "Itens",
            "margem_pct": "Margem %",
            "desconto_pct": "Desconto % (bruto)",
        }
    ),
    hide_index=True,
    width="stretch",
    key="category_mix",
)
