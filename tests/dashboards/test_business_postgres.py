"""The business dashboards on PostgreSQL, read as the BI reader: after a real load and
`make roles` (scripts/roles.py), each app logs in as bi_reader (ETL_PG_BI_USER) and shows
its KPIs from the consumption views, while that login cannot read ctl or audit."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import psycopg2
import psycopg2.errors
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.common import cache
from dashboards.common.connections import session
from dashboards.common.settings import Settings
from generator import generate
from tests.dashboards.conftest import NOW, ROOT

APPS = {"vendas": "Receita liquida", "metas": "Meta total", "descontos": "ROI ponderado"}


@pytest.mark.postgres
def test_each_app_reads_the_views_as_the_bi_reader_login(
    pg_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ETL_TARGET", "postgres")
    monkeypatch.setenv("ETL_NOW", NOW)
    for name in ("ETL_PG_MONITOR_USER", "ETL_PG_BI_USER", "ETL_PG_GRANTS"):
        monkeypatch.delenv(name, raising=False)
    generate(target="postgres", scale=0.01, seed=7, as_of=date(2026, 1, 15))
    env = {**os.environ}
    load = subprocess.run(
        [sys.executable, "orchestrator/run.py", "--entity", "all", "--target", "postgres"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert load.returncode == 0, load.stdout + load.stderr
    roles = subprocess.run(
        [sys.executable, "scripts/roles.py", "--database", pg_env["ETL_PG_DATABASE"]],
        cwd=ROOT,
        env={**env, "ETL_PG_ADMIN_USER": pg_env["ETL_PG_USER"],
             "ETL_PG_ADMIN_PASSWORD": pg_env["ETL_PG_PASSWORD"]},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert roles.returncode == 0, roles.stdout + roles.stderr
    monkeypatch.setenv("ETL_PG_BI_USER", "bi_reader")
    monkeypatch.setenv("ETL_PG_BI_PASSWORD", os.environ.get("ETL_PG_BI_PASSWORD", ""))
    cache.clear_caches()
    settings = Settings.from_env(app="bi")
    with session(settings) as sess:
        assert sess.scalar("select current_user") == "bi_reader"
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            sess.scalar("select count(*) from audit.etl_run")
    for app, label in APPS.items():
        test = AppTest.from_file(str(ROOT / "dashboards" / app / "app.py"), default_timeout=60)
        test.run()
        assert not test.exception, (app, test.exception)
        assert not test.error, (app, [item.value for item in test.error])
        shown = {item.label: item.value for item in test.metric}
        assert shown.get(label, "-") != "-", (app, shown)
