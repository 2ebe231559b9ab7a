"""The monitor's loaders without Streamlit: what they read, and what they do while a load
holds the DuckDB file or the warehouse is missing."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from dashboards.common import cache
from dashboards.common.settings import Settings
from dashboards.monitor import components
from dashboards.monitor.queries import health, pipelines, preflight, runs, summary
from observability.reader import utcnow
from tests.dashboards.conftest import MonitorSite, use_site


def test_pipeline_matrix_reports_counts_coverage_and_the_failed_entity(
    monitor_env: MonitorSite,
) -> None:
    matrix = pipelines.pipeline_matrix(Settings.from_env()).set_index("entity")
    assert list(matrix["status"].value_counts().items()) == [("OK", 8), ("FALHA", 1)]
    assert matrix.loc["fact_descontos", "status"] == "FALHA"
    regions = monitor_env.dw("select count(*) from dim.dim_regiao where regiao_original_id >= 0")[
        0
    ][0]
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
    live = pipelines.load_pipeline_matrix(settings)
    assert cache.stale_since(live) is None
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
        cache.clear_caches()
        stale = pipelines.load_pipeline_matrix(settings)
        assert cache.stale_since(stale) is not None
        assert stale["entity"].tolist() == live["entity"].tolist()
        shown = pipelines.apply_live_progress(stale, pipelines.run_in_progress(settings))
        assert shown.set_index("entity").loc["dim_regiao", "status"] == "RODANDO"
        assert shown.set_index("entity").loc["dim_cliente", "status"] == "OK"
        never_read = runs.load_control(settings)
        assert never_read.empty and list(never_read.columns) == runs.CONTROL_COLUMNS
        assert never_read.attrs["busy"] and cache.unavailable(never_read)
        running = pipelines.running_now(settings).set_index("entity")
        assert running.loc["dim_regiao", "batch"] == 1
        checks = preflight.preflight(settings).set_index("verificacao")
        assert checks.loc["Conexao DW", "situacao"] == "RODANDO"
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
    checks = preflight.preflight(settings).set_index("verificacao")
    assert checks.loc["Conexao DW", "situacao"] == "ALERTA"
    assert "nao existe" in checks.loc["Conexao DW", "detalhe"]
    assert checks.loc["Conexao OLTP", "situacao"] == "ALERTA"
    matrix = pipelines.load_pipeline_matrix(settings)
    assert matrix.empty and "nao existe" in cache.unavailable(matrix)
    assert not (tmp_path / "none.duckdb").exists(), "the monitor never creates the warehouse"


def test_source_sample_leaves_personal_data_out(monitor_env: MonitorSite) -> None:
    sample = health.source_sample(Settings.from_env(), "dim_cliente", limit=5)
    assert len(sample) == 5
    assert "customer_id" in sample.columns
    assert not {"email", "phone", "document_number", "full_name"} & set(sample.columns)


def test_quality_checks_rate_every_check_of_a_fact(monitor_env: MonitorSite) -> None:
    checks = health.quality_checks(Settings.from_env(), "fact_vendas").set_index("verificacao")
    assert set(checks["avaliacao"]) <= {"OK", "ATENCAO", "ALERTA"}
    assert checks.loc["Chave natural duplicada no destino", "avaliacao"] == "OK"
    assert checks.loc["Medidas negativas", "valor"] == 0  # the -1 quantity was quarantined
    assert checks.loc["Cobertura destino/origem", "avaliacao"] == "OK"  # 1 row of ~2,200


def test_quality_checks_link_their_findings_to_codes_the_runbook_has(
    monitor_env: MonitorSite,
) -> None:
    from observability import runbook

    checks = health.quality_checks(Settings.from_env(), "fact_vendas")
    anchors = {url.rpartition("#")[2] for url in checks["runbook"].dropna()}
    assert anchors <= {runbook.anchor(code) for code in runbook.codes()}
    assert checks[checks["avaliacao"] == "OK"]["runbook"].isna().all()


def test_source_rows_changed_in_the_future_are_a_finding_with_their_count_and_newest(
    site_copy: MonitorSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    later = utcnow().replace(microsecond=0) + timedelta(days=3)
    with duckdb.connect(str(site_copy.source)) as conn:
        conn.execute(
            "update core.customers set updated_at = ? where customer_id in (1, 2, 3)", [later]
        )
    use_site(site_copy, monkeypatch)
    checks = health.quality_checks(Settings.from_env(), "dim_cliente").set_index("verificacao")
    future = checks.loc["updated_at no futuro na origem"]
    assert future["valor"] == 3
    assert future["avaliacao"] == "ATENCAO"
    assert f"{later:%Y-%m-%d %H:%M:%S}" in future["detalhe"]
    assert future["runbook"].endswith("#updated_at_futuro")
    # the three rows wait behind the cutoff: they are not even counted as pending
    matrix = pipelines.pipeline_matrix(Settings.from_env()).set_index("entity")
    assert matrix.loc["dim_cliente", "source_pending_since_watermark"] == 0


def test_a_value_outside_a_descriptive_domain_loads_and_shows_as_attention_with_its_count(
    site_copy: MonitorSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    with duckdb.connect(str(site_copy.source)) as conn:
        conn.execute(
            "update core.customers set value_category = 'Premium Plus',"
            " updated_at = timestamp '2026-01-15 08:00:00' where customer_id in (4, 5)"
        )
    run = site_copy.run("--entity", "dim_cliente")
    assert run.returncode == 0, run.stdout + run.stderr  # a warning never stops the load
    loaded = site_copy.dw(
        "select count(*) from dim.dim_cliente where categoria_valor = 'Premium Plus'"
    )
    assert loaded == [(2,)]
    use_site(site_copy, monkeypatch)
    checks = health.quality_checks(Settings.from_env(), "dim_cliente").set_index("verificacao")
    domain = checks.loc["Dominio de categoria_valor"]
    assert domain["avaliacao"] == "ATENCAO"  # the accepted_values test warns
    assert domain["valor"] == 2
    assert "Premium Plus (2)" in domain["detalhe"] and "warn" in domain["detalhe"]
    assert domain["runbook"].endswith("#dominio_desconhecido")
    untouched = checks.loc["Dominio de tipo_cliente"]
    assert (untouched["avaliacao"], untouched["valor"]) == ("OK", 0)


def test_last_full_check_is_the_newest_finished_one_neither_dry_nor_running(
    site_copy: MonitorSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_site(site_copy, monkeypatch)
    settings = Settings.from_env()
    assert summary.last_full_check(settings).empty  # the two runs were incremental
    assert summary.full_check_card(summary.last_full_check(settings))["run_id"] is None
    finished = datetime(2026, 1, 16, 11, 6)
    audit_rows = [  # run_id, status, started, finished, full check, dry run
        ("check-older", "partial", datetime(2026, 1, 16, 10), datetime(2026, 1, 16, 10, 5), 1, 0),
        ("check-newest", "success", datetime(2026, 1, 16, 11), finished, 1, 0),
        ("check-dry", "success", datetime(2026, 1, 16, 12), datetime(2026, 1, 16, 12, 1), 1, 1),
        ("check-running", "running", datetime(2026, 1, 16, 13), None, 1, 0),
        ("incremental", "success", datetime(2026, 1, 16, 14), datetime(2026, 1, 16, 14, 1), 0, 0),
    ]
    with duckdb.connect(str(site_copy.warehouse)) as conn:
        for run_id, status, started, ended, full_check, dry in audit_rows:
            conn.execute(
                "insert into audit.etl_run (run_id, entities_requested, started_by, started_at,"
                " finished_at, status, is_dry_run, target, pid, full_refresh, full_checks)"
                " values (?, 'all', 'ops@etl-host', ?, ?, ?, ?, 'duckdb', 1, false, ?)",
                [run_id, started, ended, status, bool(dry), bool(full_check)],
            )

    check = summary.last_full_check(settings)

    assert check["run_id"].tolist() == ["check-newest"]
    card = summary.full_check_card(check, now=finished + timedelta(hours=2, minutes=5))
    assert (card["status"], card["entities"], card["age_s"]) == ("success", "all", 7500.0)
    assert components.ago(card["age_s"]) == "ha 2 h 5 min"
    assert components.ago(40.2) == "ha 40,2 s"
    assert components.ago(3 * 86_400 + 4 * 3_600 + 59) == "ha 3 d 4 h"


def test_last_full_check_reads_a_warehouse_from_before_full_checks_as_none(
    site_copy: MonitorSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    with duckdb.connect(str(site_copy.warehouse)) as conn:
        conn.execute("alter table audit.etl_run drop column full_checks")
    use_site(site_copy, monkeypatch)

    check = summary.last_full_check(Settings.from_env())

    assert check.empty and list(check.columns) == summary.FULL_CHECK_COLUMNS
