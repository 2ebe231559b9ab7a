"""SQL Server source: database ECOMMERCE_OLTP (created when missing), schema ``core``, written
with pyodbc (fast_executemany) in one transaction. No SQL Server runs on the development
machines: the DDL is checked statically (sqlglot, T-SQL) and this writer is exercised up to
the connection error."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pyarrow as pa

from generator.config import SOURCE_SCHEMA, SqlServerSettings
from generator.ddl import sqlserver_bootstrap_sql, sqlserver_drop_sql, sqlserver_schema_sql
from generator.errors import GeneratorError, one_line
from generator.schema import BY_NAME, TABLES
from generator.targets.arrow_io import rows_to_table, table_to_rows
from generator.targets.base import (
    RUNS_SELECT,
    RUNS_TABLE,
    RunRecord,
    TableChanges,
    Target,
    TargetSession,
    load_base,
    runs_insert_sql,
)

log = logging.getLogger(__name__)
_BATCH = 10_000


def _pyodbc() -> Any:
    try:
        import pyodbc
    except ImportError as exc:  # the ODBC driver manager (unixODBC) is missing
        raise GeneratorError(f"pyodbc is not usable: {one_line(exc)}") from exc
    return pyodbc


class SqlServerTarget(Target):
    name = "sqlserver"

    def __init__(self, settings: SqlServerSettings) -> None:
        self.settings = settings

    @property
    def location(self) -> str:
        return f"{self.settings.describe()} schema {SOURCE_SCHEMA}"

    def _connect(self, database: str, autocommit: bool = False) -> Any:
        pyodbc = _pyodbc()
        s = self.settings
        try:
            return pyodbc.connect(s.connection_string(database), autocommit=autocommit, timeout=5)
        except pyodbc.Error as exc:
            raise GeneratorError(
                f"cannot connect to SQL Server at {s.server}:{s.port} ({s.driver}): {one_line(exc)}"
            ) from exc

    def _ensure_database(self) -> None:
        master = self._connect("master", autocommit=True)
        try:
            for statement in sqlserver_bootstrap_sql(self.settings.database):
                master.cursor().execute(statement)
        finally:
            master.close()

    @staticmethod
    def _has_source(cur: Any) -> bool:
        cur.execute(
            "SELECT count(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ?", SOURCE_SCHEMA
        )
        return bool(cur.fetchone()[0])

    def source_exists(self) -> bool:
        con = self._connect(self.settings.database)
        try:
            return self._has_source(con.cursor())
        finally:
            con.close()

    def write_base(
        self, tables: dict[str, pa.Table], run: RunRecord, *, checks: bool, replace: bool
    ) -> None:
        pyodbc = _pyodbc()
        self._ensure_database()
        con = self._connect(self.settings.database)
        try:
            cur = con.cursor()
            cur.fast_executemany = True
            if self._has_source(cur) and not replace:
                raise GeneratorError(
                    f"source already exists at {self.location} (use --force to replace it)"
                )
            for statement in [*sqlserver_schema_sql(), *sqlserver_drop_sql()]:
                cur.execute(statement)
            load_base(
                "sqlserver",
                tables,
                run,
                checks,
                execute=lambda statement, params: cur.execute(statement, *params),
                insert=lambda name, table: _insert(cur, name, table),
            )
            con.commit()
        except pyodbc.Error as exc:
            con.rollback()
            raise GeneratorError(
                f"cannot write source at {self.location}: {one_line(exc)}"
            ) from exc
        except BaseException:
            con.rollback()
            raise
        finally:
            con.close()

    @contextlib.contextmanager
    def session(self) -> Iterator[TargetSession]:
        pyodbc = _pyodbc()
        con = self._connect(self.settings.database)
        try:
            if not self._has_source(con.cursor()):
                raise GeneratorError(f"no source at {self.location} (generate the base first)")
            yield SqlServerSession(con)
            con.commit()
        except pyodbc.Error as exc:
            con.rollback()
            raise GeneratorError(f"SQL Server error on {self.location}: {one_line(exc)}") from exc
        except BaseException:
            con.rollback()
            raise
        finally:
            con.close()


def _insert(cur: Any, qualified: str, data: pa.Table) -> None:
    columns = ", ".join(data.column_names)
    marks = ", ".join("?" for _ in data.column_names)
    statement = f"INSERT INTO {qualified} ({columns}) VALUES ({marks})"
    for batch in data.to_batches(max_chunksize=_BATCH):
        cur.executemany(statement, table_to_rows(pa.Table.from_batches([batch])))


class SqlServerSession(TargetSession):
    def __init__(self, con: Any) -> None:
        self.con = con

    def runs(self) -> list[RunRecord]:
        cur = self.con.cursor()
        cur.execute("SELECT OBJECT_ID(?)", RUNS_TABLE)
        if cur.fetchone()[0] is None:
            return []
        cur.execute(RUNS_SELECT)
        return [RunRecord.from_row(tuple(r)) for r in cur.fetchall()]

    def read_table(self, name: str) -> pa.Table:
        spec = BY_NAME[name]
        cur = self.con.cursor()
        cur.execute(f"SELECT * FROM {spec.qualified} ORDER BY {spec.pk}")
        return rows_to_table(spec, [tuple(r) for r in cur.fetchall()])

    def max_values(self) -> dict[str, tuple[int, datetime | None]]:
        query = " UNION ALL ".join(
            f"SELECT '{t.name}', coalesce(max({t.pk}), 0), max(updated_at) FROM {t.qualified}"
            for t in TABLES
        )
        cur = self.con.cursor()
        cur.execute(query)
        return {row[0]: (int(row[1]), row[2]) for row in cur.fetchall()}

    def apply(self, changes: list[TableChanges], run: RunRecord) -> None:
        cur = self.con.cursor()
        cur.fast_executemany = True
        for change in changes:
            spec = change.table
            if change.replaced_ids:
                cur.executemany(
                    f"DELETE FROM {spec.qualified} WHERE {spec.pk} = ?",
                    [(i,) for i in change.replaced_ids],
                )
            if change.rows.num_rows:
                _insert(cur, spec.qualified, change.rows)
        cur.execute(runs_insert_sql(), *run.as_row())
