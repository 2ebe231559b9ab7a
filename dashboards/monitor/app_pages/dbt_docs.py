"""dbt: testes e documentacao. Test results per model over time (the orchestrator's audit
of each run's run_results.json, and the artifacts kept under target/runs/<run_id>/),
source freshness (target/sources.json), model and column documentation and lineage
(manifest.json)."""

from __future__ import annotations

import streamlit as st

from dashboards.common.settings import DOCS_URL
from dashboards.monitor import charts, components
from dashboards.monitor.queries import dbt_artifacts as queries
from dashboards.monitor.queries import runs

settings = components.settings()
st.markdown(f"Site de documentacao do dbt: [{DOCS_URL}]({DOCS_URL}) (`make docs` gera e serve).")

history = queries.load_test_history(settings)
components.stale_note(history)
control = runs.load_control(settings)
entities = control["entity_name"].tolist() or sorted(history["entity_name"].unique().tolist())

st.subheader("Testes por modelo (14 dias)")
if history.empty:
    st.caption("Nenhum run do orquestrador com testes na janela.")
else:
    by_model = (
        history.groupby("entity_name")
        .agg(
            execucoes=("run_id", "nunique"),
            testes_ok=("tests_passed", "sum"),
            avisos=("tests_warned", "sum"),
            falhas=("tests_failed", "sum"),
        )
        .reset_index()
        .rename(columns={"entity_name": "modelo"})
        .sort_values(["falhas", "modelo"], ascending=[False, True])
    )
    st.dataframe(by_model, hide_index=True, width="stretch", key="tests_by_model")

entity = st.selectbox("Modelo", entities or ["-"], key="dbt_entity")
model_history = history[history["entity_name"] == entity]
if not model_history.empty:
    st.altair_chart(charts.tests_over_time(model_history), width="stretch")

runs = queries.load_artifact_run_ids(settings)
run_ids = tuple(runs["run_id"].astype(str))
results = queries.load_test_results(settings, run_ids)
model_results = results[results["model"] == entity]
with st.expander(f"Resultado de cada teste de {entity} (run_results.json)"):
    if model_results.empty:
        st.caption(
            "Artefatos dos runs nao encontrados (o orquestrador guarda os 20 mais recentes em "
            f"{settings.artifacts_dir / 'runs'})."
        )
    else:
        st.dataframe(model_results, hide_index=True, width="stretch", key="model_tests")

st.subheader("Freshness das fontes")
freshness = queries.load_source_freshness(settings)
if freshness.empty:
    st.caption("target/sources.json nao existe: rode `dbt source freshness`.")
else:
    st.dataframe(freshness, hide_index=True, width="stretch")

manifest = queries.manifest(settings, run_ids)
description, columns = queries.model_docs(manifest, str(entity))
st.subheader(f"Documentacao de {entity}")
if description:
    st.markdown(description)
    st.dataframe(columns, hide_index=True, width="stretch", key="model_columns")
else:
    st.caption("manifest.json nao encontrado ou modelo sem documentacao.")

st.subheader("Linhagem")
edges = queries.lineage(manifest, str(entity))
if edges.empty:
    st.caption("Sem linhagem (manifest.json ausente).")
else:
    st.graphviz_chart(charts.lineage_dot(edges, str(entity)), width="stretch")
