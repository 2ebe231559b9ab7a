"""The monitor while the orchestrator loads on DuckDB: started from the monitor's own
"Executar agora", the run shows as RODANDO with its live progress, no page raises, and the
run succeeds (the monitor never holds the file it needs)."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboards.conftest import ROOT, MonitorSite, use_site

APP = str(ROOT / "dashboards" / "monitor" / "app.py")


def matrix_status(test: AppTest, entity: str) -> str | None:
    for element in test.dataframe:
        frame = element.value
        if {"entity", "status", "coverage_percent"} <= set(frame.columns):
            rows = frame[frame["entity"] == entity]
            return None if rows.empty else str(rows["status"].iloc[0])
    return None


def test_a_run_started_from_the_monitor_shows_as_running_and_still_succeeds(
    site_copy: MonitorSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_site(site_copy, monkeypatch)
    monkeypatch.setenv("ETL_MONITOR_ALLOW_RUN", "1")
    before = site_copy.dw("select count(*) from audit.etl_run")[0][0]
    test = AppTest.from_file(APP, default_timeout=60)
    test.run()
    assert not test.exception
    assert matrix_status(test, "dim_regiao") == "OK"

    test.selectbox(key="run_entity").set_value("dim_regiao")
    test.toggle(key="run_dry").set_value(False)
    next(button for button in test.button if button.label == "Executar agora").click()
    test.run()
    assert any("Orquestrador iniciado" in item.value for item in test.success)

    seen_running = False
    progress_shown = False
    deadline = time.monotonic() + 180
    lock = site_copy.path / "dw.duckdb.lock"
    started = False
    while time.monotonic() < deadline:
        test.run()
        assert not test.exception, test.exception
        if matrix_status(test, "dim_regiao") == "RODANDO":
            seen_running = True
            progress_shown = progress_shown or any(
                "Carga em andamento" in item.value for item in test.info
            )
        started = started or lock.exists()
        if started and not lock.exists():
            break
        time.sleep(0.3)
    assert seen_running, "dim_regiao never showed as RODANDO during the run"
    assert progress_shown
    time.sleep(0.5)
    runs = site_copy.dw(
        "select status, entities_requested from audit.etl_run order by started_at desc"
    )
    assert len(runs) == before + 1
    assert runs[0] == ("success", "dim_regiao")
    test.run()
    assert matrix_status(test, "dim_regiao") == "OK"
