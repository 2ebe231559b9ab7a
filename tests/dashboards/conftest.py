"""Fixtures for the monitor tests: a warehouse populated by REAL orchestrator runs, built
once per session: a clean first run, then a run with a failed entity (a source column of
the wrong type: conversao) and a quarantined row (an order item with quantity -1); and a
copy of it where a third run was a full check (`--full-checks`)."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from generator import generate
from tests.conftest import build_once

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 1, 15)
NOW = "2026-01-16T00:00:00"
SCALE = 0.01
SEED = 7
QUARANTINED_ITEM = 1
BREAK_DISCOUNTS = """
create table core.broken as
    select * replace ('not a date' as applied_at) from core.order_item_discounts;
drop table core.order_item_discounts;
alter table core.broken rename to order_item_discounts;
"""


@pytest.fixture(autouse=True)
def _quiet_streamlit() -> None:
    """Cached loaders warn when no Streamlit runtime is there (tests call them directly)."""
    for name in (
        "streamlit.runtime.caching.cache_data_api",
        "streamlit.runtime.caching.cache_resource_api",
        "streamlit.runtime.scriptrunner_utils.script_run_context",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)


@dataclass
class MonitorSite:
    """A DuckDB warehouse and its source in one directory, and how to run the orchestrator."""

    path: Path

    @property
    def warehouse(self) -> Path:
        return self.path / "dw.duckdb"

    @property
    def source(self) -> Path:
        return self.path / "oltp.duckdb"

    @property
    def env(self) -> dict[str, str]:
        return {
            "ETL_TARGET": "duckdb",
            "ETL_DUCKDB_PATH": str(self.warehouse),
            "ETL_OLTP_DUCKDB_PATH": str(self.source),
            "ETL_NOW": NOW,
            "ETL_CONNECTION_AUDIT_DIR": str(self.path),
        }

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "orchestrator/run.py", *args],
            cwd=ROOT,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=600,
        )

    def dw(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as conn:
            return conn.execute(sql, list(params)).fetchall()

    def copy(self, destination: Path) -> MonitorSite:
        destination.mkdir(parents=True, exist_ok=True)
        for name in ("dw.duckdb", "oltp.duckdb"):
            shutil.copy2(self.path / name, destination / name)
        return MonitorSite(destination)


@pytest.fixture(scope="session")
def monitor_site(tmp_path_factory: pytest.TempPathFactory) -> MonitorSite:
    """Two real orchestrator runs: `success`, then `partial` (fact_descontos failed with a
    conversion error; one order item quarantined by fact_vendas)."""

    def build(path: Path) -> dict[str, Any]:
        site = MonitorSite(path)
        generate(
            target="duckdb",
            scale=SCALE,
            seed=SEED,
            as_of=AS_OF,
            duckdb_path=site.source,
            checks=False,
        )
        first = site.run("--entity", "all")
        assert first.returncode == 0, first.stdout + first.stderr
        with duckdb.connect(str(site.source)) as conn:
            conn.execute(
                "update core.order_items set quantity = -1,"
                " updated_at = timestamp '2026-01-15 06:00:00' where order_item_id = ?",
                [QUARANTINED_ITEM],
            )
            conn.execute(BREAK_DISCOUNTS)
        second = site.run("--entity", "all")
        assert second.returncode == 1, second.stdout + second.stderr
        return {}

    path, _ = build_once(tmp_path_factory, "monitor", build)
    return MonitorSite(path)


@pytest.fixture(scope="session")
def checked_site(
    monitor_site: MonitorSite, tmp_path_factory: pytest.TempPathFactory
) -> MonitorSite:
    """A copy of the session warehouse after a third real run, a full check of dim_regiao
    (`--entity dim_regiao --full-checks`: success)."""

    def build(path: Path) -> dict[str, Any]:
        site = monitor_site.copy(path)
        checked = site.run("--entity", "dim_regiao", "--full-checks")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        return {}

    path, _ = build_once(tmp_path_factory, "monitor_checked", build)
    return MonitorSite(path)


@pytest.fixture
def checked_env(checked_site: MonitorSite, monkeypatch: pytest.MonkeyPatch) -> MonitorSite:
    """The monitor pointed at the warehouse whose last run was a full check."""
    return use_site(checked_site, monkeypatch)


@pytest.fixture
def monitor_env(monitor_site: MonitorSite, monkeypatch: pytest.MonkeyPatch) -> MonitorSite:
    """The process environment pointing the monitor at the session warehouse (AppTest runs
    the app in this process), with fresh caches."""
    return use_site(monitor_site, monkeypatch)


def use_site(site: MonitorSite, monkeypatch: pytest.MonkeyPatch) -> MonitorSite:
    from dashboards.common import cache

    for key, value in site.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("ETL_MONITOR_ALLOW_RUN", raising=False)
    cache.clear_caches()
    return site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def site_copy(monitor_site: MonitorSite, tmp_path: Path) -> Iterator[MonitorSite]:
    """A private copy of the session warehouse and source (for tests that write)."""
    yield monitor_site.copy(tmp_path / "copy")
