"""PostgreSQL source: schema ``core`` of ETL_PG_DATABASE (created when missing), loaded with
COPY from in-memory CSV, in one transaction (indexes after loading)."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from datetime import datetime

import psycopg2
import pyarrow as pa
from psycopg2 import sql
from psycopg2.extensions import connection as PgConnection

from generator.config import META_SCHEMA, SOURCE_SCHEMA, PostgresSettings
from generator.errors import GeneratorError, one_line
from generator.schema import BY_NAME, TABLES
from generator.targets.arrow_io import encode_flags, from_csv_bytes, to_csv_bytes
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


class PostgresTarget(Target):
    name = "postgres"

    def __init__(self, settings: PostgresSettings) -> None:
        self.settings = settings

    @property
    def location(self) -> str:
        return f"{self.settings.describe()} schema {SOURCE_SCHEMA}"

    def _connect(self, database: str) -> PgConnection:
        s = self.settings
        try:
            return psycopg2.connect(
                host=s.host,
                port=s.port,
                user=s.user,
                password=s.password,
                dbname=database,
                connect_timeout=5,
                application_name="oltp-generator",
            )
        except psycopg2.Error as exc:
            raise GeneratorError(
                f"cannot connect to PostgreSQL at {s.host}:{s.port} database {database}"
                f" as {s.user}: {one_line(exc)}"
            ) from exc

    def _database_exists(self) -> bool:
        admin = self._connect("postgres")
        try:
            with admin.cursor() as cur:
                cur.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (self.settings.database,)
                )
                return cur.fetchone() is not None
        finally:
            admin.close()

    def _ensure_database(self) -> None:
        if self._database_exists():
            return
        admin = self._connect("postgres")
        admin.autocommit = True
        try:
            with admin.cursor() as cur:
                cur.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.settings.database))
                )
            log.info("created database %s", self.settings.database)
        except psycopg2.errors.DuplicateDatabase:
            pass
        except psycopg2.Error as exc:
            raise GeneratorError(
                f"cannot create database {self.settings.database}: {one_line(exc)}"
            ) from exc
        finally:
            admin.close()

    @staticmethod
    def _has_source(cur: psycopg2.extensions.cursor) -> bool:
        cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
            (SOURCE_SCHEMA,),
        )
        row = cur.fetchone()
        return bool(row and row[0])

    def source_exists(self) -> bool:
        if not self._database_exists():
            return False
        con = self._connect(self.settings.database)
        try:
            with con.cursor() as cur:
                return self._has_source(cur)
        finally:
            con.close()

    def write_base(
        self, tables: dict[str, pa.Table], run: RunRecord, *, checks: bool, replace: bool
    ) -> None:
        self._ensure_database()
        con = self._connect(self.settings.database)
        try:
            with con.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '30s'")
                if self._has_source(cur) and not replace:
                    raise GeneratorError(
                        f"source already exists at {self.location} (use --force to replace it)"
                    )
                for schema in (SOURCE_SCHEMA, META_SCHEMA):
                    cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                    cur.execute(f"CREATE SCHEMA {schema}")
                load_base(
                    "postgres",
                    tables,
                    run,
                    checks,
                    execute=lambda statement, params: cur.execute(statement, params or None),
                    insert=lambda name, table: _copy_in(cur, name, table),
                    marker="%s",
                )
                for spec in TABLES:
                    cur.execute(f"ANALYZE {spec.qualified}")
            con.commit()
        except psycopg2.Error as exc:
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
        if not self._database_exists():
            raise GeneratorError(f"no source at {self.location} (generate the base first)")
        con = self._connect(self.settings.database)
        try:
            with con.cursor() as cur:
                if not self._has_source(cur):
                    raise GeneratorError(f"no source at {self.location} (generate the base first)")
            yield PostgresSession(con)
            con.commit()
        except psycopg2.Error as exc:
            con.rollback()
            raise GeneratorError(f"PostgreSQL error on {self.location}: {one_line(exc)}") from exc
        except BaseException:
            con.rollback()
            raise
        finally:
            con.close()


def _copy_in(cur: psycopg2.extensions.cursor, qualified: str, data: pa.Table) -> None:
    columns = ", ".join(data.column_names)
    cur.copy_expert(
        f"COPY {qualified} ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true)",
        to_csv_bytes(data),
    )


class PostgresSession(TargetSession):
    """Everything in one transaction: the state read and the changes written (the session
    commits on success, rolls back on any error)."""

    def __init__(self, con: PgConnection) -> None:
        self.con = con

    def runs(self) -> list[RunRecord]:
        with self.con.cursor() as cur:
            cur.execute("SELECT to_regclass(%s)", (RUNS_TABLE,))
            row = cur.fetchone()
            if not row or row[0] is None:
                return []
            cur.execute(f"LOCK TABLE {RUNS_TABLE} IN EXCLUSIVE MODE")
            cur.execute(RUNS_SELECT)
            return [RunRecord.from_row(r) for r in cur.fetchall()]

    def read_table(self, name: str) -> pa.Table:
        spec = BY_NAME[name]
        buffer = io.BytesIO()
        with self.con.cursor() as cur:
            cur.copy_expert(
                f"COPY (SELECT * FROM {spec.qualified} ORDER BY {spec.pk})"
                " TO STDOUT WITH (FORMAT csv, HEADER true)",
                buffer,
            )
        return from_csv_bytes(spec, buffer)

    def max_values(self) -> dict[str, tuple[int, datetime | None]]:
        query = " UNION ALL ".join(
            f"SELECT '{t.name}', coalesce(max({t.pk}), 0), max(updated_at) FROM {t.qualified}"
            for t in TABLES
        )
        with self.con.cursor() as cur:
            cur.execute(query)
            return {row[0]: (int(row[1]), row[2]) for row in cur.fetchall()}

    def apply(self, changes: list[TableChanges], run: RunRecord) -> None:
        with self.con.cursor() as cur:
            for change in changes:
                spec = change.table
                if change.replaced_ids:
                    cur.execute(
                        f"DELETE FROM {spec.qualified} WHERE {spec.pk} = ANY(%s)",
                        (change.replaced_ids,),
                    )
                if change.rows.num_rows:
                    _copy_in(cur, spec.qualified, encode_flags(spec, change.rows, run.flag_type))
            cur.execute(runs_insert_sql("%s"), run.as_row())
