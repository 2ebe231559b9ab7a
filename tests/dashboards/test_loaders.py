"""The monitor's loaders without Streamlit: what they read, and what they do while a load
holds the DuckDB file or the warehouse is missing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dashboards.common.settings import Settings
from dashboards.monitor import queries
from tests.dashboards.conftest import MonitorSite, use_site


def test_pipeline_matrix_reports_counts_coverage_and_the_failed_entity(
    monitor_env: MonitorSite,
) -> None:
    matrix = queries.pipeline_matrix(Settings.from_env()).set_index("entity")
    assert list(matrix["status"].value_counts().items()) == [("OK", 8), ("FALHA", 1)]
    assert matrix.loc["fact_descontos", "status"] == "FALHA"
    regions = monitor_env.dw("select count(*) from dim.dim_regiao where regiao_key >= 0")[0][0]
    assert matrix.loc["dim_regiao", "target_total"] == regions
    assert matrix.loc["dim_regiao", "coverage_percent"] == 100.0
    # the quarantined change of item 1 did not load; its earlier version stays in the fact
    vendas = matrix.loc["fact_vendas"]
    assert vendas["target_total"] == vendas["source_total"]
    assert matrix.loc["dim_cliente", "runs_7d"] == 2
    assert matrix.loc["fact_descontos", "failures_7d"] == 1
    loaded = matrix[matrix["status"] == "OK"]
    assert loaded["last_throughput_rows_s"].notna().all()
    assert loaded["last_duration_seconds"].gt(0).all()


def test_loader_serves_the_last_good_frame_while_a_run_holds_the_duckdb_file(
    site_copy: MonitorSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_site(site_copy, monkeypatch)
    settings = Settings.from_env()
    live = queries.load_pipeline_matrix(settings)
    assert queries.stale_since(live) is None
    # an orchestrator run holds the warehouse (its lock file, a live pid: ours)
    lock = settings.lock_path
    lock.write_text(
        json.dumps(
            {
                "run_id": "r1",
                "pid": os.getpid(),
                "host": os.uname().nodename,
                "started_at": "2026-01-16T00:00:00",
            }
        )
    )
    progress = {
        "run_id": "r1",
        "pid": os.getpid(),
        "status": "running",
        "started_at": "x",
        "current_entity": "dim_regiao",
        "entities": {
            "dim_regiao": {"state": "running", "batch": 1, "batches": 2, "rows": 10},
            "dim_cliente": {"state": "success"},
        },
    }
    settings.progress_path.write_text(json.dumps(progress))
    try:
        queries.clear_caches()
        stale = queries.load_pipeline_matrix(settings)
        assert queries.stale_since(stale) is not None
        assert stale["entity"].tolist() == live["entity"].tolist()
        shown = queries.apply_live_progress(stale, queries.run_in_progress(settings))
        assert shown.set_index("entity").loc["dim_regiao", "status"] == "RODANDO"
        assert shown.set_index("entity").loc["dim_cliente", "status"] == "OK"
        never_read = queries.load_control(settings)
        assert never_read.empty and list(never_read.columns) == queries.CONTROL_COLUMNS
        assert never_read.attrs["busy"] and queries.unavailable(never_read)
        running = queries.running_now(settings).set_index("entity")
        assert running.loc["dim_regiao", "batch"] == 1
        preflight = queries.preflight(settings).set_index("verificacao")
        assert preflight.loc["Conexao DW", "situacao"] == "RODANDO"
    finally:
        lock.unlink()
        settings.progress_path.unlink()


def test_preflight_names_a_missing_warehouse_and_source_without_raising(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ETL_TARGET", "duckdb")
    monkeypatch.setenv("ETL_DUCKDB_PATH", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("ETL_OLTP_DUCKDB_PATH", str(tmp_path / "nothing.duckdb"))
    settings = Settings.from_env()
    checks = queries.preflight(settings).set_index("verificacao")
    assert checks.loc["Conexao DW", "situacao"] == "ALERTA"
    assert "nao existe" in checks.loc["Conexao DW", "detalhe"]
    assert checks.loc["Conexao OLTP", "situacao"] == "ALERTA"
    matrix = queries.load_pipeline_matrix(settings)
    assert matrix.empty and "nao existe" in queries.unavailable(matrix)
    assert not (tmp_path / "none.duckdb").exists(), "the monitor never creates the warehouse"


def test_source_sample_leaves_personal_data_out(monitor_env: MonitorSite) -> None:
    sample = queries.source_sample(Settings.from_env(), "dim_cliente", limit=5)
    assert len(sample) == 5
    assert "customer_id" in sample.columns
    assert not {"email", "phone", "document_number", "full_name"} & set(sample.columns)


def test_quality_checks_rate_every_check_of_a_fact(monitor_env: MonitorSite) -> None:
    checks = queries.quality_checks(Settings.from_env(), "fact_vendas").set_index("verificacao")
    assert set(checks["avaliacao"]) <= {"OK", "ATENCAO", "ALERTA"}
    assert checks.loc["Chave natural duplicada no destino", "avaliacao"] == "OK"
    assert checks.loc["Medidas negativas", "valor"] == 0  # the -1 quantity was quarantined
    assert checks.loc["Cobertura destino/origem", "avaliacao"] == "OK"  # 1 row of ~2,200
