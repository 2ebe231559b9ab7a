"""Helpers for the generator tests: read a DuckDB source back with plain SQL, run the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from generator.cli import main
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


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``python -m generator ARGS`` in-process: (exit code, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, *fragments: str) -> None:
    """stderr is one ``error: ...`` line (no traceback) holding every fragment."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, err)
