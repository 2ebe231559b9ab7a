"""Vendas dashboard (SPEC section 6): revenue, margin, ticket, returns, discounts and
commission of fact.vw_dash_vendas_r1, with the previous period as deltas.

    streamlit run dashboards/vendas/app.py --server.address 127.0.0.1 --server.port 8502

(`make dashboards` serves it with Metas and Descontos e ROI.) The warehouse comes from
ETL_TARGET (default duckdb) and the ETL_* variables; on PostgreSQL it logs in as the BI
reader (ETL_PG_BI_USER) when that login is configured.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `streamlit run` puts only this folder on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboards.common import layout  # noqa: E402
from dashboards.vendas.queries import SPEC  # noqa: E402

PAGES = Path(__file__).resolve().parent / "app_pages"
GRANULARITIES = {"Mes": "mes", "Dia": "dia"}


def granularity() -> dict[str, str]:
    chosen = st.radio(
        "Granularidade da tendencia",
        list(GRANULARITIES),
        horizontal=True,
        key="vendas_granularidade",
    )
    return {"granularidade": GRANULARITIES[str(chosen)]}


st.set_page_config(page_title="Vendas | DW E-commerce", page_icon="📈", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "visao_geral.py", title="Visao geral", icon=":material/insights:",
                default=True),
        st.Page(PAGES / "produtos_regioes.py", title="Produtos e regioes",
                icon=":material/category:"),
        st.Page(PAGES / "equipe_comercial.py", title="Equipe comercial",
                icon=":material/groups:"),
        st.Page(PAGES / "metricas.py", title="Metricas", icon=":material/functions:"),
        st.Page(PAGES / "base_detalhada.py", title="Base detalhada",
                icon=":material/table_rows:"),
    ]
)  # fmt: skip
layout.run(SPEC, navigation, extra=granularity)
