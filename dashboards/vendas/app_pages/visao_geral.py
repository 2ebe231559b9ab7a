"""Visao geral: revenue and margin trend (month or day), quick reads (top category, top
state, best day) and revenue by weekday."""

from __future__ import annotations

import streamlit as st

from dashboards.common import formatting as fmt
from dashboards.common import layout
from dashboards.vendas import charts, queries

page = layout.context()
granularity = page.extras.get("granularidade", "mes")
left, right = st.columns([2, 1])
with left:
    label = "mensal" if granularity == "mes" else "diaria"
    st.subheader(f"Tendencia de receita e margem ({label})")
    trend = queries.trend(page.days, page.selection, granularity)
    layout.chart(trend, lambda frame: charts.trend(frame, granularity), "Sem vendas no periodo.")
with right:
    st.subheader("Leituras rapidas")
    reads = queries.quick_reads(page.settings, page.selection, page.days)
    if reads.empty:
        st.caption("Sem dados suficientes para as leituras.")
    else:
        read = reads.iloc[0]
        st.markdown(
            f"**Categoria lider:** {read['categoria']} com "
            f"{fmt.currency(read['receita_categoria'])} de receita."
        )
        st.markdown(
            f"**Estado lider:** {read['estado']} com {fmt.currency(read['receita_estado'])}"
            " de receita."
        )
        st.markdown(
            f"**Melhor dia:** {fmt.date_br(read['melhor_dia'])} "
            f"({fmt.currency(read['receita_dia'])})."
        )

st.subheader("Receita por dia da semana")
layout.chart(
    queries.by_weekday(page.days, page.selection), charts.weekday, "Sem vendas no periodo."
)
