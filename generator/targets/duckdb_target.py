"""DuckDB source: one database file, tables in schema ``core`` (dbt attaches the file as
``ecommerce_oltp``). The base is built into a temporary file next to the target and renamed
at the end, so a failure never leaves a half-written source."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from generator.config import META_SCHEMA, SOURCE_SCHEMA
from generator.errors import GeneratorError, one_line
from generator.schema import BY_NAME, TABLES
from generator.targets.arrow_io import conform, encode_flags
from generator.targets.base import (
    RUNS_SELECT,
    RunRecord,
    TableChanges,
    Target,
    TargetSession,
    load_base,
    runs_insert_sql,
)

log = logging.getLogger(__name__)


def _remove(path: Path) -> None:
    for candidate in (path, Path(f"{path}.wal")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


class DuckDbTarget(Target):
    name = "duckdb"

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def location(self) -> str:
        return str(self.path)

    def source_exists(self) -> bool:
        return self.path.exists()

    def write_base(
        self, tables: dict[str, pa.Table], run: RunRecord, *, checks: bool, replace: bool
    ) -> None:
        if self.source_exists() and not replace:
            raise GeneratorError(
                f"source already exists at {self.path} (use --force to replace it)"
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GeneratorError(f"cannot create {self.path.parent}: {one_line(exc)}") from exc
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        _remove(tmp)
        try:
            con = duckdb.connect(str(tmp))
            try:
                self._load(con, tables, run, checks)
            finally:
                con.close()
            _remove(Path(f"{self.path}.wal"))
            os.replace(tmp, self.path)
        except (duckdb.Error, OSError) as exc:
            raise GeneratorError(
                f"cannot write DuckDB source at {self.path}: {one_line(exc)}"
            ) from exc
        finally:
            _remove(tmp)

    @staticmethod
    def _load(
        con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table], run: RunRecord, checks: bool
    ) -> None:
        con.execute(f"CREATE SCHEMA {SOURCE_SCHEMA}")
        con.execute(f"CREATE SCHEMA {META_SCHEMA}")
        load_base(
            "duckdb",
            tables,
            run,
            checks,
            execute=lambda statement, params: con.execute(statement, list(params)),
            insert=lambda name, table: _insert(con, name, table),
        )
        con.execute("CHECKPOINT")

    @contextlib.contextmanager
    def session(self) -> Iterator[TargetSession]:
        if not self.path.exists():
            raise GeneratorError(f"no source at {self.path} (generate the base first)")
        try:
            con = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            raise GeneratorError(f"cannot open {self.path}: {one_line(exc)}") from exc
        try:
            yield DuckDbSession(con)
        except duckdb.Error as exc:
            raise GeneratorError(f"DuckDB error on {self.path}: {one_line(exc)}") from exc
        finally:
            con.close()


def _insert(con: duckdb.DuckDBPyConnection, qualified: str, data: pa.Table) -> None:
    con.register("_generator_rows", data)
    try:
        con.execute(f"INSERT INTO {qualified} SELECT * FROM _generator_rows")
    finally:
        con.unregister("_generator_rows")


class DuckDbSession(TargetSession):
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def runs(self) -> list[RunRecord]:
        found = self.con.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema = ? AND table_name = 'runs'",
            [META_SCHEMA],
        ).fetchone()
        if not found or not found[0]:
            return []
        return [RunRecord.from_row(row) for row in self.con.execute(RUNS_SELECT).fetchall()]

    def read_table(self, name: str) -> pa.Table:
        spec = BY_NAME[name]
        result = self.con.execute(f"SELECT * FROM {spec.qualified} ORDER BY {spec.pk}")
        return conform(spec, result.to_arrow_table())

    def max_values(self) -> dict[str, tuple[int, datetime | None]]:
        sql = " UNION ALL ".join(
            f"SELECT '{t.name}', coalesce(max({t.pk}), 0), max(updated_at) FROM {t.qualified}"
            for t in TABLES
        )
        return {row[0]: (int(row[1]), row[2]) for row in self.con.execute(sql).fetchall()}

    def apply(self, changes: list[TableChanges], run: RunRecord) -> None:
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            for change in changes:
                spec = change.table
                if change.replaced_ids:
                    ids = pa.table({"id": pa.array(change.replaced_ids, pa.int64())})
                    con.register("_generator_ids", ids)
                    con.execute(
                        f"DELETE FROM {spec.qualified}"
                        f" WHERE {spec.pk} IN (SELECT id FROM _generator_ids)"
                    )
                    con.unregister("_generator_ids")
                if change.rows.num_rows:
                    _insert(con, spec.qualified, encode_flags(spec, change.rows, run.flag_type))
            con.execute(runs_insert_sql(), list(run.as_row()))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
