"""Spark source: one Parquet file per ``core`` table in a directory Spark reads them from
(dbt's source on the spark target names the files, see models/staging/oltp/_oltp__sources.yml).

Spark has no OLTP engine to apply a wave to, so the source of truth is a DuckDB working copy
beside the files (``oltp.duckdb`` in the directory, or ``--duckdb-path``): the base and the
waves go through the DuckDB target unchanged, then every table a write touched is exported
again. Each file is written under a temporary name and renamed over the old one, so Spark
never reads a half-written table."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from generator.errors import GeneratorError, one_line
from generator.schema import TABLES, Table
from generator.targets.base import RunRecord, TableChanges, Target, TargetSession
from generator.targets.duckdb_target import DuckDbTarget

WORKING_COPY = "oltp.duckdb"


def parquet_path(directory: Path, table: str) -> Path:
    """The file of one source table (the name dbt's spark source resolves to)."""
    return directory / f"{table}.parquet"


def _export_sql(spec: Table, path: Path) -> str:
    # Source timestamps are wall-clock UTC without a zone. DuckDB writes TIMESTAMP to Parquet
    # as "not adjusted to UTC", which Spark 3.4+ reads as TIMESTAMP_NTZ; cast to TIMESTAMPTZ
    # (in a UTC session) they are written adjusted to UTC, which Spark reads as its TIMESTAMP,
    # the type the warehouse's models and contracts expect. Decimals keep their precision
    # and scale as Parquet decimals.
    columns = ", ".join(
        f"cast({c.name} as timestamptz) as {c.name}" if c.kind == "ts" else c.name
        for c in spec.columns
    )
    return (
        f"COPY (SELECT {columns} FROM {spec.qualified} ORDER BY {spec.pk})"
        f" TO '{path}' (FORMAT parquet)"
    )


def export_tables(working_copy: Path, directory: Path, tables: list[Table]) -> None:
    """Write ``tables`` of the working copy as Parquet files into ``directory``."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(working_copy), read_only=True)
        try:
            con.execute("SET TimeZone = 'UTC'")
            for spec in tables:
                final = parquet_path(directory, spec.name)
                tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
                try:
                    con.execute(_export_sql(spec, tmp))
                    os.replace(tmp, final)
                finally:
                    with contextlib.suppress(FileNotFoundError):
                        tmp.unlink()
        finally:
            con.close()
    except (duckdb.Error, OSError) as exc:
        raise GeneratorError(f"cannot export the source to {directory}: {one_line(exc)}") from exc


class SparkTarget(Target):
    name = "spark"

    def __init__(self, directory: Path, working_copy: Path | None = None) -> None:
        self.directory = directory
        self.working = DuckDbTarget(working_copy or directory / WORKING_COPY)

    @property
    def location(self) -> str:
        return str(self.directory)

    def source_exists(self) -> bool:
        return self.working.source_exists()

    def write_base(
        self, tables: dict[str, pa.Table], run: RunRecord, *, checks: bool, replace: bool
    ) -> None:
        self.working.write_base(tables, run, checks=checks, replace=replace)
        export_tables(self.working.path, self.directory, list(TABLES))

    @contextlib.contextmanager
    def session(self) -> Iterator[TargetSession]:
        with self.working.session() as inner:
            session = SparkSourceSession(inner)
            yield session
        # the working copy is closed (and committed) here: export what the wave changed
        if session.changed:
            export_tables(self.working.path, self.directory, session.changed)


class SparkSourceSession(TargetSession):
    """The working copy's session, remembering the tables a wave wrote."""

    def __init__(self, inner: TargetSession) -> None:
        self.inner = inner
        self.changed: list[Table] = []

    def runs(self) -> list[RunRecord]:
        return self.inner.runs()

    def read_table(self, name: str) -> pa.Table:
        return self.inner.read_table(name)

    def max_values(self) -> dict[str, tuple[int, datetime | None]]:
        return self.inner.max_values()

    def apply(self, changes: list[TableChanges], run: RunRecord) -> None:
        self.inner.apply(changes, run)
        self.changed = list({change.table.name: change.table for change in changes}.values())
