"""The monitor on PostgreSQL: it reads the warehouse live through one cached connection
and records that connection in audit.connection_login_events (where it can write)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.common.settings import Settings
from generator import generate
from tests.dashboards.conftest import NOW, ROOT

APP = str(ROOT / "dashboards" / "monitor" / "app.py")
PAGES = ["resumo", "saude", "runs", "conexoes", "dbt_docs"]


@pytest.mark.postgres
def test_monitor_reads_postgres_live_and_records_its_own_connection(
    pg_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboards.common import cache
    from dashboards.monitor.queries import connection_audit

    monkeypatch.setenv("ETL_TARGET", "postgres")
    monkeypatch.setenv("ETL_NOW", NOW)
    generate(target="postgres", scale=0.01, seed=7, as_of=date(2026, 1, 15))
    run = subprocess.run(
        [sys.executable, "orchestrator/run.py", "--entity", "all", "--target", "postgres"],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    cache.clear_caches()
    test = AppTest.from_file(APP, default_timeout=60)
    test.run()
    assert not test.exception
    metrics = {item.label: item.value for item in test.metric}
    assert metrics["Taxa de sucesso 24h"] == "100,0%"
    assert metrics["Pipelines OK"] == "9"
    assert metrics["Ultima verificacao completa"] == "nenhuma"  # audit.etl_run.full_checks
    for page in PAGES[1:]:
        test.switch_page(f"app_pages/{page}.py").run()
        assert not test.exception, (page, test.exception)
    events = connection_audit.connection_events(Settings.from_env(), 24)
    monitor = events[events["program_name"] == "ecommerce_dw monitor"]
    assert len(monitor) >= 1
    assert set(monitor["status"]) == {"success"}
    assert set(monitor["source"]) == {"monitor"}
    assert monitor["login_name"].iloc[0] == pg_env.get("ETL_PG_USER", "postgres")
