"""Pieces every page of the monitor shares: the sidebar (refresh, auto-refresh, "Executar
agora"), the run-in-progress banner, the Pre-flight block, the runbook notes and how long
ago something happened."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.common import cache
from dashboards.common import formatting as fmt
from dashboards.common.settings import Settings, allow_run
from dashboards.monitor.queries import pipelines, runs
from dashboards.monitor.queries import preflight as preflight_checks
from observability import runbook

REPO_ROOT = Path(__file__).resolve().parents[2]
REFRESH_MIN_SECONDS = 5
REFRESH_MAX_SECONDS = 60


def settings() -> Settings:
    return Settings.from_env()


def style_status(frame: pd.DataFrame, columns: list[str]) -> Any:
    """Colour the status cells (the values stay plain text)."""
    present = [column for column in columns if column in frame.columns]

    def colour(value: Any) -> str:
        color = fmt.STATUS_COLORS.get(str(value))
        return f"color: {color}; font-weight: 600" if color else ""

    if not present:
        return frame
    return frame.style.map(colour, subset=present).format(precision=2, na_rep="-")


def start_run(current: Settings, entity: str, dry_run: bool) -> int:
    """Start the orchestrator in the background, detached from the monitor (its own session,
    output to a log file in monitor_runs/ next to the warehouse). Returns its pid."""
    command = [
        sys.executable,
        str(REPO_ROOT / "orchestrator" / "run.py"),
        "--entity",
        entity,
        "--target",
        current.target,
    ]
    if dry_run:
        command.append("--dry-run")
    base = current.duckdb_path.parent if current.target == "duckdb" else current.data_dir
    log_dir = base / "monitor_runs"  # next to the warehouse it loads
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{datetime.now():%Y%m%dT%H%M%S}-{entity.replace(',', '_')}.log"
    with log_path.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process.pid


def sidebar(current: Settings) -> None:
    with st.sidebar:
        st.caption(f"Alvo: **{current.target}**  \n{current.label}")
        if st.button("Atualizar agora", key="refresh_now", width="stretch"):
            cache.clear_caches()
            st.rerun()
        auto = st.toggle("Atualizacao automatica", key="auto_refresh", value=False)
        interval = st.slider(
            "Intervalo (s)",
            min_value=REFRESH_MIN_SECONDS,
            max_value=REFRESH_MAX_SECONDS,
            value=15,
            step=5,
            key="refresh_interval",
            disabled=not auto,
        )
        if auto:
            _auto_refresh(int(interval))
        if allow_run():
            _run_now(current)


def _auto_refresh(interval: int) -> None:
    st.session_state["_last_full_run"] = time.monotonic()

    @st.fragment(run_every=interval)
    def tick() -> None:
        elapsed = time.monotonic() - st.session_state.get("_last_full_run", 0.0)
        if elapsed >= interval - 0.5:
            cache.clear_caches()
            st.rerun()
        st.caption(f"Proxima atualizacao em ate {interval} s")

    tick()


def _run_now(current: Settings) -> None:
    st.divider()
    st.subheader("Executar agora")
    control = runs.load_control(current)
    options = ["all", *control["entity_name"].tolist()]
    with st.form("run_now"):
        entity = st.selectbox("Entidade", options, key="run_entity")
        dry_run = st.toggle("Dry-run (so calcula as janelas)", value=True, key="run_dry")
        submitted = st.form_submit_button("Executar agora")
    if submitted:
        if pipelines.run_in_progress(current) is not None:
            st.warning("Ja ha uma carga em andamento.")
        else:
            pid = start_run(current, str(entity), bool(dry_run))
            st.success(f"Orquestrador iniciado em segundo plano (pid {pid}).")


def run_banner(current: Settings) -> dict[str, Any] | None:
    """The live run, if any: who, since when, current entity, and per-entity progress."""
    progress = pipelines.run_in_progress(current)
    if progress is None:
        return None
    current_entity = progress.get("current_entity") or "-"
    st.info(
        f"**Carga em andamento**: run `{progress.get('run_id')}` desde "
        f"{progress.get('started_at')} (pid {progress.get('pid')}), entidade atual: "
        f"**{current_entity}**. "
        + (
            "O DuckDB esta com a carga: o monitor nao abre o arquivo ate ela terminar e "
            "mostra os ultimos dados lidos."
            if current.target == "duckdb"
            else "Leitura ao vivo."
        ),
        icon=":material/hourglass_top:",
    )
    frame = pipelines.progress_frame(progress)
    if not frame.empty:
        active = frame[frame["estado"].isin(["running", "pending"])]
        with st.expander("Progresso ao vivo", expanded=True):
            st.dataframe(active if not active.empty else frame, hide_index=True)
    return progress


def preflight(current: Settings) -> None:
    frame = preflight_checks.load_preflight(current)
    problems = frame[~frame["situacao"].isin(["OK"])]
    title = "Pre-flight: " + (
        "tudo OK" if problems.empty else f"{len(problems)} ponto(s) de atencao"
    )
    with st.expander(title, expanded=not problems.empty):
        st.dataframe(style_status(frame, ["situacao"]), hide_index=True, width="stretch")


def stale_note(*frames: pd.DataFrame) -> None:
    """Say when what is shown was read (during a run) or why nothing could be read."""
    for frame in frames:
        since = cache.stale_since(frame)
        if since is not None:
            st.caption(f"Dados lidos em {fmt.timestamp(since)} UTC (carga em andamento).")
            return
        reason = cache.unavailable(frame)
        if reason:
            if cache.busy(frame):
                st.warning(
                    f"Carga em andamento: os dados aparecem quando ela terminar. ({reason})",
                    icon=":material/hourglass_top:",
                )
            else:
                st.error(f"Nao foi possivel ler o DW: {reason}")
            return


def ago(seconds: Any) -> str:
    """How long ago, from its age in seconds: 'ha 40,2 s', 'ha 2 h 5 min', 'ha 3 d 4 h'."""
    if seconds is None or pd.isna(seconds):
        return "-"
    days, rest = divmod(round(float(seconds)), 86_400)
    return f"ha {days} d {rest // 3600} h" if days else f"ha {fmt.seconds(seconds)}"


def runbook_column(label: str = "runbook") -> Any:
    """A link column to a runbook section, showing the section's code."""
    return st.column_config.LinkColumn(label, display_text=r"#(.+)$")


def runbook_notes(codes: Any, title: str = "Como resolver (runbook)") -> None:
    """The runbook sections (docs/runbook.md) of the codes found, each with its link."""
    found = [str(code) for code in dict.fromkeys(codes) if isinstance(code, str) and code]
    if not found:
        return
    with st.expander(f"{title}: {', '.join(found)}"):
        for code in found:
            text = runbook.section(code)
            st.markdown(f"**{code}** ([{runbook.url(code)}]({runbook.url(code)}))")
            if text:
                st.markdown(text)
            else:
                st.caption(f"docs/runbook.md ainda nao tem a secao {runbook.anchor(code)}.")
