"""The spark target writes the source as one Parquet file per table, in types Spark reads as
the warehouse expects, and a wave rewrites the files of the tables it changed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from generator import apply_wave, generate
from generator.schema import BY_NAME, TABLES
from generator.targets.spark_target import WORKING_COPY, parquet_path

AS_OF = date(2026, 1, 15)


@pytest.fixture
def source_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "oltp"
    monkeypatch.setenv("ETL_SPARK_SOURCE_DIR", str(directory))
    generate(target="spark", scale=0.01, seed=3, as_of=AS_OF)
    return directory


def _working_rows(directory: Path, table: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(directory / WORKING_COPY), read_only=True)
    try:
        return con.execute(f"SELECT * FROM core.{table} ORDER BY 1").fetchall()
    finally:
        con.close()


def _file_rows(directory: Path, table: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        columns = ", ".join(
            f"cast({c.name} as timestamp)" if c.kind == "ts" else c.name
            for c in BY_NAME[table].columns
        )
        path = parquet_path(directory, table)
        return con.execute(f"SELECT {columns} FROM '{path}' ORDER BY 1").fetchall()
    finally:
        con.close()


def test_every_table_is_a_parquet_file_with_utc_timestamps_and_exact_decimals(
    source_dir: Path,
) -> None:
    for spec in TABLES:
        schema = pq.read_schema(parquet_path(source_dir, spec.name))
        for column in spec.columns:
            written = schema.field(column.name).type
            if column.kind == "ts":
                # adjusted to UTC, in microseconds: Spark's TIMESTAMP, not TIMESTAMP_NTZ
                assert written == pa.timestamp("us", tz="UTC"), (spec.name, column.name)
            elif column.kind == "dec":
                assert written == column.arrow_type, (spec.name, column.name)
        assert _file_rows(source_dir, spec.name) == _working_rows(source_dir, spec.name)


def test_a_wave_rewrites_the_files_of_the_tables_it_changed(source_dir: Path) -> None:
    before = {spec.name: _file_rows(source_dir, spec.name) for spec in TABLES}
    report = apply_wave(1, target="spark", seed=3)
    changed = {
        name
        for name in before
        if report.inserted[name] or report.updated[name] or report.soft_deleted[name]
    }
    assert changed
    for spec in TABLES:
        after = _file_rows(source_dir, spec.name)
        assert after == _working_rows(source_dir, spec.name)
        assert (after != before[spec.name]) == (spec.name in changed), spec.name
