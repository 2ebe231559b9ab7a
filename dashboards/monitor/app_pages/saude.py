"""Saude por pipeline: one entity of ctl.etl_control in depth."""

from __future__ import annotations

import streamlit as st

from dashboards.common import formatting as fmt
from dashboards.monitor import charts, components
from dashboards.monitor.queries import health, pipelines

settings = components.settings()
progress = pipelines.run_in_progress(settings)
matrix = pipelines.apply_live_progress(pipelines.load_pipeline_matrix(settings), progress)
components.stale_note(matrix)
if matrix.empty:
    st.info("Nenhuma entidade em ctl.etl_control ainda: rode o orquestrador uma vez.")
    st.stop()

entity = st.selectbox("Entidade", matrix["entity"].tolist(), key="health_entity")
item = matrix[matrix["entity"] == entity].iloc[0]

row = st.columns(4)
row[0].metric("Status", str(item["status"]))
row[1].metric("Cobertura", fmt.percent(item["coverage_percent"], 2))
row[2].metric("Origem", fmt.integer(item["source_total"]))
row[3].metric("Destino", fmt.integer(item["target_total"]))
row = st.columns(4)
row[0].metric("Pendentes desde o watermark", fmt.integer(item["source_pending_since_watermark"]))
row[1].metric("Latencia (freshness)", fmt.minutes(item["freshness_minutes"]))
row[2].metric("Ultima duracao", fmt.seconds(item["last_duration_seconds"]))
row[3].metric("Ultimo throughput", fmt.decimal(item["last_throughput_rows_s"], 0) + " linhas/s")
st.caption(
    f"Origem `{item['source_table']}` -> destino `{item['target_table']}` | watermark "
    f"({fmt.timestamp(item['watermark_updated_at'])}, {item['watermark_id']}) | ultimo run "
    f"`{item['last_run_id'] or '-'}` ({item['last_status'] or '-'})"
)

st.subheader("Verificacoes de qualidade")
checks = health.load_quality_checks(settings, entity)
components.stale_note(checks)
shown = checks.assign(
    valor=[
        "-"
        if value is None or value != value
        else fmt.decimal(value, 2)
        if isinstance(value, float) and not float(value).is_integer()
        else fmt.integer(value)
        for value in checks["valor"]
    ]
)
st.dataframe(
    components.style_status(shown, ["avaliacao"]),
    hide_index=True,
    width="stretch",
    key="quality_checks",
    column_config={"runbook": components.runbook_column()},
)
found = checks[checks["avaliacao"] != "OK"]["runbook"].dropna()
components.runbook_notes(url.rpartition("#")[2] for url in found)

st.subheader("Quarentena")
summary = health.load_quarantine_summary(settings, entity)
if summary.empty:
    st.success("Nenhuma linha em quarentena para esta entidade.")
else:
    left, right = st.columns([1, 2])
    left.metric("Linhas em quarentena", fmt.integer(summary["linhas"].sum()))
    left.dataframe(summary, hide_index=True, width="stretch", key="quarantine_summary")
    right.dataframe(
        health.load_quarantine_sample(settings, entity),
        hide_index=True,
        width="stretch",
        key="quarantine_sample",
    )

st.subheader("Historico de execucoes")
history = health.load_entity_runs(settings, entity)
if history.empty:
    st.caption("Sem execucoes registradas.")
else:
    st.altair_chart(charts.entity_history(history), width="stretch")
    st.dataframe(history, hide_index=True, width="stretch")

st.subheader("Amostra recente da origem")
st.caption("Linhas alteradas mais recentemente; colunas de dados pessoais omitidas (LGPD).")
st.dataframe(health.load_source_sample(settings, entity), hide_index=True)
