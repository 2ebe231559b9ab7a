"""Auditoria de conexoes: audit.connection_login_events with filters, next to ETL failures."""

from __future__ import annotations

import streamlit as st

from dashboards.common import formatting as fmt
from dashboards.monitor import charts, components
from dashboards.monitor.queries import connection_audit as queries

WINDOWS = {"1 hora": 1, "6 horas": 6, "24 horas": 24, "7 dias": 168, "30 dias": 720}

settings = components.settings()
window = st.selectbox("Janela", list(WINDOWS), index=2, key="conn_window")
hours = WINDOWS[str(window)]
everything = queries.load_connection_events(settings, hours)
components.stale_note(everything)
cols = st.columns(4)
logins = cols[0].multiselect(
    "Login", sorted(everything["login_name"].dropna().unique()), key="conn_login"
)
programs = cols[1].multiselect(
    "Programa", sorted(everything["program_name"].dropna().unique()), key="conn_program"
)
databases = cols[2].multiselect(
    "Banco", sorted(everything["database_name"].dropna().unique()), key="conn_database"
)
statuses = cols[3].multiselect("Status", ["success", "failed"], key="conn_status")
events = queries.load_connection_events(
    settings, hours, tuple(logins), tuple(programs), tuple(databases), tuple(statuses)
)
failures = queries.load_entity_failures(settings, hours)

counts = queries.connection_counts(events)
row = st.columns(6)
row[0].metric("Conexoes", fmt.integer(counts["total"]))
row[1].metric("Sucesso", fmt.integer(counts["sucesso"]))
row[2].metric("Falhas de conexao", fmt.integer(counts["falha"]))
row[3].metric("Logins distintos", fmt.integer(counts["logins"]))
row[4].metric("Hosts distintos", fmt.integer(counts["hosts"]))
row[5].metric("Falhas de ETL", fmt.integer(len(failures)))
if settings.target == "duckdb":
    st.caption(
        "DuckDB: ficam registradas as conexoes do orquestrador (o monitor abre o arquivo "
        "somente leitura e nao grava)."
    )

st.subheader("Conexoes por hora x falhas de ETL")
hourly = queries.hourly_connections_vs_failures(events, failures)
if hourly.empty:
    st.caption("Nada na janela.")
else:
    st.altair_chart(charts.hourly_connections(hourly), width="stretch")

cols = st.columns(3)
for col, (column, title) in zip(
    cols,
    [
        ("login_name", "Top logins"),
        ("program_name", "Top programas"),
        ("database_name", "Top bancos"),
    ],
    strict=True,
):
    with col:
        st.markdown(f"**{title}**")
        top = queries.top_values(events, column)
        if top.empty:
            st.caption("-")
        else:
            st.altair_chart(charts.top_bars(top, column, title), width="stretch")

st.subheader("Taxonomia de erros das falhas")
taxonomy = queries.error_taxonomy(failures, events)
if taxonomy.empty:
    st.success("Nenhuma falha na janela.")
else:
    st.dataframe(
        taxonomy,
        hide_index=True,
        width="stretch",
        key="error_taxonomy",
        column_config={"runbook": components.runbook_column()},
    )
    components.runbook_notes(taxonomy["categoria"])
with st.expander("Categorias da taxonomia"):
    st.dataframe(
        queries.taxonomy_table(),
        hide_index=True,
        width="stretch",
        column_config={"runbook": components.runbook_column()},
    )

st.subheader("Eventos")
st.dataframe(events, hide_index=True, width="stretch", key="connection_events")
