"""Visao geral: monthly goal against actual, and the seller-months per performance
quartile."""

from __future__ import annotations

import streamlit as st

from dashboards.common import layout
from dashboards.metas import charts, queries

page = layout.context()
st.subheader("Meta x realizado por mes")
layout.chart(queries.monthly(page.settings, page.selection), charts.monthly, "Sem metas.")
st.subheader("Distribuicao por quartil de performance")
layout.chart(queries.quartiles(page.settings, page.selection), charts.quartiles, "Sem metas.")
