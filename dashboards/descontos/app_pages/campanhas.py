"""Campanhas: the 12 codes that gave the most discount, the 12 with the best mean ROI
(at least 3 applications) and every code's figures."""

from __future__ import annotations

import streamlit as st

from dashboards.common import formatting as fmt
from dashboards.common import layout
from dashboards.descontos import charts, queries

page = layout.context()
campaigns = queries.campaigns(page.settings, page.selection)
left, right = st.columns(2)
with left:
    st.subheader(f"Top {queries.TOP_CODES} codigos por desconto concedido")
    layout.chart(queries.top_by_discount(campaigns), charts.by_discount, "Sem codigos.")
with right:
    st.subheader(
        f"Top {queries.TOP_CODES} codigos por ROI medio "
        f"(min. {queries.MIN_APPLICATIONS_FOR_ROI} aplicacoes)"
    )
    layout.chart(
        queries.top_by_roi(campaigns),
        charts.by_roi,
        f"Nenhum codigo com {queries.MIN_APPLICATIONS_FOR_ROI} aplicacoes ou mais.",
    )

st.subheader("Desempenho das campanhas")
st.dataframe(
    campaigns.assign(
        aplicacoes=campaigns["aplicacoes"].map(fmt.integer),
        desconto=campaigns["desconto"].map(fmt.currency),
        receita=campaigns["receita"].map(fmt.currency),
        roi_medio=campaigns["roi_medio"].map(fmt.times),
        impacto=campaigns["impacto"].map(fmt.currency),
        taxa_aprovacao=campaigns["taxa_aprovacao"].map(fmt.ratio),
    ).rename(
        columns={
            "codigo_desconto": "Codigo",
            "nome_campanha": "Campanha",
            "tipo_desconto": "Tipo",
            "metodo_desconto": "Metodo",
            "aplicacoes": "Aplicacoes",
            "desconto": "Desconto concedido",
            "receita": "Receita com desconto",
            "roi_medio": "ROI medio",
            "impacto": "Impacto de margem",
            "taxa_aprovacao": "Taxa de aprovacao",
        }
    ),
    hide_index=True,
    width="stretch",
    key="campaigns",
)
