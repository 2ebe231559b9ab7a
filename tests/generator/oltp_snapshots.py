"""Helpers for the generator tests: read a DuckDB source back with plain SQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from generator.schema import BY_NAME, TABLE_NAMES

AS_OF = date(2025, 1, 15)

Snapshot = dict[str, dict[int, tuple[object, ...]]]


def snapshot(path: Path) -> Snapshot:
    """Every source table as {primary key: row}, read with plain SQL."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out: Snapshot = {}
        for name in TABLE_NAMES:
            rows = con.execute(f"select * from core.{name} order by {BY_NAME[name].pk}").fetchall()
            out[name] = {row[0]: row for row in rows}
        return out
    finally:
        con.close()


def query(path: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
