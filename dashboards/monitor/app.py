"""ETL monitor of DW_ECOMMERCE (SPEC section 5).

    streamlit run dashboards/monitor/app.py --server.address 127.0.0.1 --server.port 8501

The target comes from ETL_TARGET (default duckdb) and the ETL_* variables of profiles.yml.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `streamlit run` puts only this folder on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboards.monitor import components  # noqa: E402

PAGES = Path(__file__).resolve().parent / "app_pages"

st.set_page_config(page_title="Monitor ETL | DW E-commerce", page_icon="📊", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            PAGES / "resumo.py",
            title="Resumo operacional",
            icon=":material/dashboard:",
            default=True,
        ),
        st.Page(PAGES / "saude.py", title="Saude por pipeline", icon=":material/monitor_heart:"),
        st.Page(PAGES / "runs.py", title="Runs e controle", icon=":material/table_view:"),
        st.Page(
            PAGES / "conexoes.py", title="Auditoria de conexoes", icon=":material/lock_person:"
        ),
        st.Page(
            PAGES / "dbt_docs.py", title="dbt: testes e documentacao", icon=":material/science:"
        ),
    ]
)
settings = components.settings()
components.sidebar(settings)
st.title(navigation.title)
components.run_banner(settings)
components.preflight(settings)
navigation.run()
