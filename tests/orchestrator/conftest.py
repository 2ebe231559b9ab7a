"""Fixtures for the orchestrator tests: a generated source and a warehouse built once by the
orchestrator itself, copied into each test's temp dir; the orchestrator runs as a
subprocess, exactly as operators run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from generator import apply_wave, generate
from tests.conftest import build_once

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 1, 15)
NOW = "2026-01-16T00:00:00"
SCALE = 0.01
SEED = 7


@dataclass
class Site:
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
            **os.environ,
            "ETL_DUCKDB_PATH": str(self.warehouse),
            "ETL_OLTP_DUCKDB_PATH": str(self.source),
            "ETL_NOW": NOW,
            "ETL_CONNECTION_AUDIT_DIR": str(self.path),
            "ETL_TARGET": "duckdb",
        }

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "orchestrator/run.py", *args]

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.command(*args),
            cwd=ROOT,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            self.command(*args),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def dw(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as conn:
            return conn.execute(sql, list(params)).fetchall()

    def oltp(self, sql: str, *params: Any, write: bool = False) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.source), read_only=not write) as conn:
            cursor = conn.execute(sql, list(params))
            return cursor.fetchall() if cursor.description else []

    def wave(self, number: int = 1) -> None:
        apply_wave(number, target="duckdb", seed=SEED, duckdb_path=self.source)

    def break_fact_descontos(self) -> None:
        """applied_at of the discounts stops being a timestamp: fact_descontos fails."""
        self.oltp(
            "create table core.broken as select * replace ('not a date' as applied_at)"
            " from core.order_item_discounts; drop table core.order_item_discounts;"
            " alter table core.broken rename to order_item_discounts",
            write=True,
        )

    def last_run(self) -> dict[str, Any]:
        columns = (
            "run_id, status, entities_requested, entities_succeeded, entities_failed,"
            " error_message, is_dry_run, dbt_invocation_id, finished_at"
        )
        row = self.dw(f"select {columns} from audit.etl_run order by started_at desc limit 1")[0]
        return dict(zip(columns.split(", "), row, strict=True))

    def entities(self, run_id: str) -> dict[str, dict[str, Any]]:
        cursor_columns = (
            "entity_name, status, extracted_count, upserted_count, soft_deleted_count,"
            " quarantined_count, batches, watermark_from_updated_at, watermark_from_id,"
            " watermark_to_updated_at, watermark_to_id, tests_passed, tests_failed,"
            " error_message, error_category, error_action, is_dry_run"
        )
        names = cursor_columns.split(", ")
        rows = self.dw(
            f"select {cursor_columns} from audit.etl_run_entity where run_id = ?", run_id
        )
        return {row[0]: dict(zip(names, row, strict=True)) for row in rows}

    def watermarks(self) -> dict[str, tuple[Any, Any]]:
        rows = self.dw(
            "select entity_name, watermark_updated_at, watermark_id from ctl.etl_control"
        )
        return {row[0]: (row[1], row[2]) for row in rows}


def _copy(source: Path, destination: Path) -> Site:
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("dw.duckdb", "oltp.duckdb"):
        if (source / name).exists():
            shutil.copy2(source / name, destination / name)
    return Site(destination)


@pytest.fixture(scope="session")
def built_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Site, subprocess.CompletedProcess]:
    """A source at scale 0.01 and a warehouse built from it by `--entity all` (run once)."""

    def build(path: Path) -> dict[str, Any]:
        site = Site(path)
        generate(target="duckdb", scale=SCALE, seed=SEED, as_of=AS_OF, duckdb_path=site.source)
        result = site.run("--entity", "all")
        return {"args": result.args, "returncode": result.returncode,
                "stdout": result.stdout, "stderr": result.stderr}  # fmt: skip

    path, outcome = build_once(tmp_path_factory, "built", build)
    return Site(path), subprocess.CompletedProcess(**outcome)


@pytest.fixture
def site(built_site: tuple[Site, subprocess.CompletedProcess], tmp_path: Path) -> Site:
    """A private copy of the built warehouse and its source."""
    base, result = built_site
    assert result.returncode == 0, result.stdout + result.stderr
    return _copy(base.path, tmp_path / "site")


@pytest.fixture
def fresh_site(built_site: tuple[Site, subprocess.CompletedProcess], tmp_path: Path) -> Site:
    """A copy of the generated source with no warehouse yet."""
    base, _ = built_site
    site = Site(tmp_path / "fresh")
    site.path.mkdir()
    shutil.copy2(base.source, site.source)
    return site


SourceSql = Callable[..., list[tuple[Any, ...]]]
