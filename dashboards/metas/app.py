"""Metas dashboard (SPEC section 6): goal, actual, attainment, gap and the share of
sellers who hit and beat their goal, from fact.vw_dash_metas_r1.

    streamlit run dashboards/metas/app.py --server.address 127.0.0.1 --server.port 8503

(`make dashboards` serves it with Vendas and Descontos e ROI.) The warehouse comes from
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
from dashboards.metas.queries import SPEC  # noqa: E402

PAGES = Path(__file__).resolve().parent / "app_pages"

st.set_page_config(page_title="Metas | DW E-commerce", page_icon="🎯", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "visao_geral.py", title="Visao geral", icon=":material/insights:",
                default=True),
        st.Page(PAGES / "equipes_vendedores.py", title="Equipes e vendedores",
                icon=":material/groups:"),
        st.Page(PAGES / "metricas.py", title="Metricas", icon=":material/functions:"),
        st.Page(PAGES / "base_detalhada.py", title="Base detalhada",
                icon=":material/table_rows:"),
    ]
)  # fmt: skip
layout.run(SPEC, navigation)
