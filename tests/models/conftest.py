"""Fixtures for the dbt model tests: a generated source and a warehouse in a temp dir."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from generator import generate
from tests.dbt_harness import Warehouse

AS_OF = date(2026, 1, 15)  # base data ends before 2026-01-15 00:00; waves start right after
NOW = "2026-01-16T00:00:00"  # the runs' pinned "now": every wave is older than the cutoff
SCALE = 0.01
SEED = 7


def duckdb_warehouse(tmp_path: Path, checks: bool = True) -> Warehouse:
    source = tmp_path / "oltp.duckdb"
    generate(
        target="duckdb", scale=SCALE, seed=SEED, as_of=AS_OF, duckdb_path=source, checks=checks
    )
    env = {"ETL_DUCKDB_PATH": str(tmp_path / "dw.duckdb"), "ETL_OLTP_DUCKDB_PATH": str(source)}
    return Warehouse("duckdb", env, tmp_path / "target", etl_now=NOW)


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    """A DuckDB warehouse over a freshly generated source (scale 0.01), not built yet."""
    return duckdb_warehouse(tmp_path)


@pytest.fixture
def source_sql(warehouse: Warehouse) -> Callable[..., list[tuple[Any, ...]]]:
    """Run SQL against the warehouse's DuckDB source (while no dbt run holds it)."""

    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with duckdb.connect(warehouse.env["ETL_OLTP_DUCKDB_PATH"]) as conn:
            cursor = conn.execute(sql, list(params))
            return cursor.fetchall() if cursor.description else []

    return run
