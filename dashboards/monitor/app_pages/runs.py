"""Runs e controle: the control table, recent runs and the per-entity detail of a run."""

from __future__ import annotations

import streamlit as st

from dashboards.monitor import components
from dashboards.monitor.queries import runs as queries

settings = components.settings()

st.subheader("Tabela de controle (ctl.etl_control)")
control = queries.load_control(settings)
components.stale_note(control)
st.dataframe(
    components.style_status(control, ["last_status"]),
    hide_index=True,
    width="stretch",
    key="control_table",
)

st.subheader("Runs recentes")
left, right = st.columns([1, 2])
days = left.selectbox(
    "Janela", [1, 7, 14, 30, 90], index=1, key="runs_days", format_func=lambda d: f"{d} dia(s)"
)
statuses = right.multiselect(
    "Status", ["success", "partial", "failed", "running"], key="runs_status"
)
runs = queries.load_recent_runs(settings, int(days), tuple(statuses))
st.dataframe(
    components.style_status(runs, ["status"]),
    hide_index=True,
    width="stretch",
    key="recent_runs",
)

st.subheader("Detalhe por entidade de um run")
if runs.empty:
    st.caption("Nenhum run na janela.")
else:
    run_id = st.selectbox("Run", runs["run_id"].tolist(), key="run_detail")
    detail = queries.load_run_entities(settings, str(run_id))
    run = runs[runs["run_id"] == run_id].iloc[0]
    if isinstance(run["error_message"], str) and run["error_message"]:
        st.error(run["error_message"])
    st.dataframe(
        components.style_status(detail, ["status"]),
        hide_index=True,
        width="stretch",
        key="run_entities",
    )
