"""Visao geral: monthly discount against revenue with discount, the monthly mean ROI and
the mix of margin statuses."""

from __future__ import annotations

import streamlit as st

from dashboards.common import layout
from dashboards.descontos import charts, queries

page = layout.context()
monthly = queries.monthly(page.days, page.selection)
left, right = st.columns([3, 2])
with left:
    st.subheader("Tendencia mensal: desconto concedido x receita com desconto")
    layout.chart(monthly, charts.monthly, "Sem aplicacoes de desconto.")
with right:
    st.subheader("ROI medio por mes")
    layout.chart(monthly, charts.roi, "Sem aplicacoes de desconto.")
st.subheader("Distribuicao por status de margem")
layout.chart(
    queries.margin_status(page.settings, page.selection),
    charts.margin_status,
    "Sem aplicacoes de desconto.",
)
