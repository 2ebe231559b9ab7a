"""Resumo operacional: KPI cards, the last full check, pipeline matrix, SLA alerts,
timeline, volumes, failures."""

from __future__ import annotations

import streamlit as st

from dashboards.common import formatting as fmt
from dashboards.monitor import charts, components
from dashboards.monitor.queries import pipelines, summary

settings = components.settings()
progress = pipelines.run_in_progress(settings)
matrix = pipelines.apply_live_progress(pipelines.load_pipeline_matrix(settings), progress)
runs = summary.load_run_kpis(settings)
alerts = pipelines.sla_alerts(matrix)
cards = summary.kpi_cards(matrix, runs, alerts)
components.stale_note(matrix, runs)

row = st.columns(5)
row[0].metric("Entidades ativas", fmt.integer(cards["entidades_ativas"]))
row[1].metric(
    "Taxa de sucesso 24h",
    fmt.percent(cards["taxa_sucesso_24h"]),
    help="runs com status success / runs concluidos nas ultimas 24 h (sem dry-run)",
)
row[2].metric("Falhas 24h", fmt.integer(cards["falhas_24h"]))
row[3].metric(
    "Ultimo run",
    str(cards["ultimo_status"] or "-"),
    help=f"run_id {cards['ultimo_run_id'] or '-'}",
)
row[4].metric("Conformidade SLA", fmt.percent(cards["conformidade_sla"]))
row = st.columns(5)
row[0].metric("Cobertura geral", fmt.percent(cards["cobertura_geral"]), help="destino / origem")
row[1].metric("Pendentes desde o watermark", fmt.integer(cards["pendentes"]))
row[2].metric("Latencia media 24h", fmt.seconds(cards["latencia_media_s"]))
row[3].metric("Throughput medio 24h", fmt.decimal(cards["throughput_medio"], 0) + " linhas/s")
row[4].metric("Execucoes 24h", fmt.integer(cards["execucoes_24h"]))
row = st.columns(5)
row[0].metric("Pipelines OK", cards["pipelines_ok"])
row[1].metric("Pipelines em falha", cards["pipelines_falha"])
row[2].metric("Pipelines rodando", cards["pipelines_rodando"])
row[3].metric("Pendente estrutura", cards["pipelines_pendente_estrutura"])
row[4].metric("Sem execucao", cards["pipelines_sem_execucao"])
full_check = summary.full_check_card(summary.load_last_full_check(settings))
left, right = st.columns([1, 4], vertical_alignment="center")
left.metric(
    "Ultima verificacao completa",
    components.ago(full_check["age_s"]) if full_check["run_id"] else "nenhuma",
    help="o ultimo run com --full-checks ou --full-refresh (sem dry-run): testa o DW "
    "inteiro, com os testes unitarios e os dos modelos intermediarios; um run incremental "
    "testa so as linhas que carregou",
)
if full_check["run_id"]:
    right.caption(
        f"Verificacao completa terminada em {fmt.timestamp(full_check['finished_at'])} UTC"
        f" com status **{full_check['status']}**: run `{full_check['run_id']}`"
        f" (entidades: {full_check['entities']})."
    )
else:
    right.caption(
        "Nenhuma verificacao completa ainda: `python orchestrator/run.py --entity all"
        " --full-checks` testa o DW inteiro."
    )

st.subheader("Matriz de pipelines")
shown = matrix[
    [
        "entity",
        "status",
        "source_total",
        "target_total",
        "coverage_percent",
        "source_pending_since_watermark",
        "freshness_minutes",
        "last_duration_seconds",
        "last_throughput_rows_s",
        "last_execution_at",
        "last_error_category",
        "is_active",
    ]
]
st.dataframe(
    components.style_status(shown, ["status"]),
    hide_index=True,
    width="stretch",
    key="pipeline_matrix",
    column_config={
        "entity": "entidade",
        "source_total": st.column_config.NumberColumn("origem (linhas)", format="%d"),
        "target_total": st.column_config.NumberColumn("destino (linhas)", format="%d"),
        "source_pending_since_watermark": st.column_config.NumberColumn(
            "pendentes desde o watermark", format="%d"
        ),
        "coverage_percent": st.column_config.NumberColumn("cobertura %", format="%.2f"),
        "freshness_minutes": st.column_config.NumberColumn("freshness (min)", format="%.1f"),
        "last_duration_seconds": st.column_config.NumberColumn("ultima duracao (s)", format="%.2f"),
        "last_throughput_rows_s": st.column_config.NumberColumn(
            "ultimo throughput (linhas/s)", format="%.0f"
        ),
        "last_execution_at": st.column_config.DatetimeColumn("ultima execucao (UTC)"),
        "last_error_category": "categoria do erro",
        "is_active": "ativa",
    },
)

st.subheader("SLA e alertas")
if alerts.empty:
    st.success("Nenhum alerta de SLA.")
else:
    st.dataframe(
        components.style_status(alerts, ["severity"]),
        hide_index=True,
        width="stretch",
        key="sla_alerts",
        column_config={"runbook": components.runbook_column()},
    )
    components.runbook_notes(alerts["rule"])

left, right = st.columns(2)
with left:
    st.subheader("Rodando agora")
    running = pipelines.running_now(settings)
    if running.empty:
        st.caption("Nenhuma carga em andamento.")
    else:
        st.dataframe(running, hide_index=True, width="stretch")
with right:
    st.subheader("Linha do tempo (24h)")
    timeline = summary.load_timeline(settings)
    if timeline.empty:
        st.caption("Nenhum run nas ultimas 24 h.")
    else:
        st.altair_chart(charts.gantt(timeline), width="stretch")

left, right = st.columns(2)
with left:
    st.subheader("Runs por status (14 dias)")
    by_status = summary.load_runs_by_status(settings)
    if by_status.empty:
        st.caption("Sem runs nos ultimos 14 dias.")
    else:
        st.altair_chart(charts.runs_by_status(by_status), width="stretch")
with right:
    st.subheader("Extraidos x upserted por entidade (14 dias)")
    volume = summary.load_volume_by_entity(settings)
    if volume.empty:
        st.caption("Sem cargas nos ultimos 14 dias.")
    else:
        st.altair_chart(charts.volume_by_entity(volume), width="stretch")

st.subheader("Falhas recentes")
failures = summary.load_recent_failures(settings)
if failures.empty:
    st.success("Nenhuma falha registrada.")
else:
    st.dataframe(
        failures,
        hide_index=True,
        width="stretch",
        key="recent_failures",
        column_config={"runbook": components.runbook_column()},
    )
    components.runbook_notes(failures["error_category"])
