"""Charts of the monitor (Altair specs built from the loaders' DataFrames)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboards.common.formatting import STATUS_COLORS

RUN_STATUSES = ["success", "partial", "failed", "running", "skipped", "dry_run"]


def _status_scale(domain: list[str]) -> alt.Scale:
    return alt.Scale(domain=domain, range=[STATUS_COLORS.get(item, "#999999") for item in domain])


def gantt(frame: pd.DataFrame) -> alt.Chart:
    """Runs and their entities on a time axis, coloured by status."""
    domain = [status for status in RUN_STATUSES if status in set(frame["status"])] or ["success"]
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadius=2)
        .encode(
            x=alt.X("inicio:T", title="inicio (UTC)"),
            x2="fim:T",
            y=alt.Y("item:N", title=None, sort=alt.SortField("inicio", order="descending")),
            color=alt.Color("status:N", scale=_status_scale(domain), title="status"),
            tooltip=["run_id", "item", "status", "inicio", "fim", "linhas"],
        )
        .properties(height=max(160, 18 * frame["item"].nunique()))
    )


def runs_by_status(frame: pd.DataFrame) -> alt.Chart:
    domain = [status for status in RUN_STATUSES if status in set(frame["status"])] or ["success"]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(dia):O", title="dia"),
            y=alt.Y("execucoes:Q", title="execucoes"),
            color=alt.Color("status:N", scale=_status_scale(domain)),
            tooltip=["dia", "status", "execucoes"],
        )
        .properties(height=260)
    )


def volume_by_entity(frame: pd.DataFrame) -> alt.Chart:
    long = frame.melt(
        id_vars="entity_name",
        value_vars=["extraidos", "upserted"],
        var_name="medida",
        value_name="linhas",
    )
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("entity_name:N", title="entidade"),
            xOffset="medida:N",
            y=alt.Y("linhas:Q", title="linhas (14 dias)"),
            color=alt.Color(
                "medida:N", scale=alt.Scale(range=["#90a4ae", "#1565c0"]), title="medida"
            ),
            tooltip=["entity_name", "medida", "linhas"],
        )
        .properties(height=280)
    )


def hourly_connections(frame: pd.DataFrame) -> alt.Chart:
    colors = {
        "conexoes sucesso": "#2e7d32",
        "conexoes falha": "#ef6c00",
        "falhas ETL": "#c62828",
    }
    domain = [name for name in colors if name in set(frame["serie"])] or list(colors)
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("hora:T", title="hora (UTC)"),
            y=alt.Y("quantidade:Q", title="quantidade"),
            color=alt.Color(
                "serie:N", scale=alt.Scale(domain=domain, range=[colors[d] for d in domain])
            ),
            tooltip=["hora", "serie", "quantidade"],
        )
        .properties(height=260)
    )


def top_bars(frame: pd.DataFrame, column: str, title: str) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_bar(color="#1565c0")
        .encode(
            x=alt.X("conexoes:Q", title="conexoes"),
            y=alt.Y(f"{column}:N", sort="-x", title=title),
            tooltip=[column, "conexoes", "falhas"],
        )
        .properties(height=max(120, 24 * len(frame)))
    )


def entity_history(frame: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("started_at:T", title="inicio"),
            y=alt.Y("duracao_s:Q", title="duracao (s)"),
            color=alt.Color("status:N", scale=_status_scale(["success", "failed", "skipped"])),
            tooltip=["run_id", "status", "upserted_count", "duracao_s"],
        )
        .properties(height=220)
    )


def tests_over_time(frame: pd.DataFrame) -> alt.Chart:
    """Test outcomes per run of one model (frame: started_at, tests_passed/warned/failed)."""
    counts = frame.melt(
        id_vars=["run_id", "started_at"],
        value_vars=["tests_passed", "tests_warned", "tests_failed"],
        var_name="status",
        value_name="testes",
    )
    counts["status"] = counts["status"].map(
        {"tests_passed": "pass", "tests_warned": "warn", "tests_failed": "fail"}
    )
    colors = {
        "pass": "#2e7d32",
        "warn": "#f9a825",
        "fail": "#c62828",
        "error": "#b71c1c",
        "skipped": "#9e9e9e",
        "success": "#2e7d32",
    }
    domain = [status for status in colors if status in set(counts["status"])] or ["pass"]
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("run_id:N", sort=alt.SortField("started_at"), title="run"),
            y=alt.Y("testes:Q", stack=True),
            color=alt.Color(
                "status:N", scale=alt.Scale(domain=domain, range=[colors[d] for d in domain])
            ),
            tooltip=["run_id", "started_at", "status", "testes"],
        )
        .properties(height=240)
    )


def lineage_dot(edges: pd.DataFrame, focus: str) -> str:
    """Graphviz DOT of a lineage (st.graphviz_chart renders it in the browser)."""
    lines = [
        "digraph {",
        "rankdir=LR;",
        'node [shape=box, style="rounded,filled", '
        'fillcolor="#eceff1", fontname="Helvetica", fontsize=10];',
    ]
    names = set(edges["origem"]) | set(edges["destino"]) | {focus}
    for name in sorted(names):
        color = "#bbdefb" if name == focus else "#fff3e0" if "." in name else "#eceff1"
        lines.append(f'"{name}" [fillcolor="{color}"];')
    for row in edges.itertuples():
        lines.append(f'"{row.origem}" -> "{row.destino}";')
    lines.append("}")
    return "\n".join(lines)
