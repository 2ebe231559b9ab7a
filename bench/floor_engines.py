"""Where the engine floor (`bench.floor`) runs, one engine each, and how each keeps the
floor's tables apart from the ones dbt built so the two can be compared.

The compiled code names relations "<database>"."<schema>"."<name>", so on both engines
the floor builds under the very names dbt used:

- DuckDB: a fresh file with the same name (catalog) as the warehouse dbt built, the
  source attached the way profiles.yml attaches it; timed from connect to close (so the
  tables are on disk). The comparison reads the floor file with dbt's warehouse attached
  as `bench_built`.
- PostgreSQL: the database dbt loaded (PostgreSQL cannot query across databases, and the
  source is its schema core), inside ONE transaction that is rolled back at the end. dbt's
  schemas are first renamed to `bench_built_<schema>` (untimed); the floor then builds its
  own under the original names, timed from its first `create schema` to its last
  statement. The comparison runs in the same transaction, and the rollback leaves the
  warehouse exactly as dbt built it, whatever happens. The commit the floor never makes
  (one WAL flush) is the only work it is not charged for.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from bench import postgres

if TYPE_CHECKING:
    from bench.floor import Engine, Statement

SOURCE_ALIAS = "ecommerce_oltp"  # profiles.yml: attach ... alias ecommerce_oltp, read_only
BUILT_ALIAS = "bench_built"
BUILT_SCHEMA_PREFIX = "bench_built_"
DUCKDB_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DECIMAL", "DOUBLE",
                  "FLOAT", "REAL", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")  # fmt: skip
DUCKDB_FLOAT = ("DOUBLE", "FLOAT", "REAL")
POSTGRES_NUMERIC = ("smallint", "integer", "bigint", "numeric", "real", "double precision")
POSTGRES_FLOAT = ("real", "double precision")


@dataclass(frozen=True)
class Column:
    name: str
    is_float: bool  # compared within 1e-9 (relative) instead of exactly


def split_relation(relation: str) -> tuple[str, str, str]:
    """'"db"."schema"."name"' -> (db, schema, name)."""
    database, schema, name = (part.strip('"').replace('""', '"') for part in relation.split("."))
    return database, schema, name


def quote(*parts: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in parts)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _schemas(statements: list[Statement]) -> list[str]:
    return sorted({split_relation(stmt.relation)[1] for stmt in statements})


def _one(row: tuple[Any, ...] | None, query: str) -> tuple[Any, ...]:
    if row is None:
        raise RuntimeError(f"no row from {query}")
    return tuple(row)


class DuckdbFloor:
    def __init__(self, source: Path, out: Path, built: Path) -> None:
        self.source, self.out, self.built_path = source, out, built
        self.conn: duckdb.DuckDBPyConnection | None = None

    def build(self, statements: list[Statement]) -> float:
        self.out.unlink(missing_ok=True)
        started = time.perf_counter()
        conn = duckdb.connect(str(self.out))
        try:
            conn.execute(f"attach {_literal(str(self.source))} as {SOURCE_ALIAS} (read_only)")
            for schema in _schemas(statements):
                conn.execute(f"create schema if not exists {quote(schema)}")
            for stmt in statements:
                conn.execute(self.sql(stmt))
        finally:
            conn.close()
        seconds = time.perf_counter() - started
        self.conn = duckdb.connect(str(self.out), read_only=True)
        self.conn.execute(f"attach {_literal(str(self.built_path))} as {BUILT_ALIAS} (read_only)")
        return seconds

    @staticmethod
    def sql(stmt: Statement) -> str:
        if stmt.kind == "seed":
            return f"create table {stmt.relation} as select * from read_csv({_literal(stmt.body)})"
        return f"create or replace {stmt.kind} {stmt.relation} as (\n{stmt.body}\n)"

    def built(self, relation: str) -> str:
        _, schema, name = split_relation(relation)
        return quote(BUILT_ALIAS, schema, name)

    def _conn(self) -> duckdb.DuckDBPyConnection:
        if self.conn is None:
            raise RuntimeError("the floor is not built yet")
        return self.conn

    def numeric_columns(self, relation: str) -> list[Column]:
        rows = self._conn().execute(f"describe {relation}").fetchall()
        types = [(str(name), str(kind).upper().split("(")[0]) for name, kind, *_ in rows]
        return [Column(name, kind in DUCKDB_FLOAT) for name, kind in types
                if kind in DUCKDB_NUMERIC]  # fmt: skip

    def fetchone(self, query: str) -> tuple[Any, ...]:
        return _one(self._conn().execute(query).fetchone(), query)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class PostgresFloor:
    def __init__(self, conn: postgres.PgConnection) -> None:
        self.conn = conn  # not autocommit: everything below is one transaction

    def build(self, statements: list[Statement]) -> float:
        schemas = _schemas(statements)
        with self.conn.cursor() as cur:
            for schema in schemas:
                cur.execute("select 1 from pg_namespace where nspname = %s", (schema,))
                if cur.fetchone():
                    cur.execute(f"alter schema {quote(schema)} rename to "
                                f"{quote(BUILT_SCHEMA_PREFIX + schema)}")  # fmt: skip
            started = time.perf_counter()
            for schema in schemas:
                cur.execute(f"create schema {quote(schema)}")
            for stmt in statements:
                self._run(cur, stmt)
            return time.perf_counter() - started

    def _run(self, cur: Any, stmt: Statement) -> None:
        if stmt.kind != "seed":
            cur.execute(f"create {stmt.kind} {stmt.relation} as (\n{stmt.body}\n)")
            return
        # dbt's seed column types, then the same CSV
        cur.execute(f"create table {stmt.relation} (like {self.built(stmt.relation)})")
        with open(stmt.body, "rb") as csv:
            cur.copy_expert(f"copy {stmt.relation} from stdin with (format csv, header true)", csv)

    def built(self, relation: str) -> str:
        database, schema, name = split_relation(relation)
        return quote(database, BUILT_SCHEMA_PREFIX + schema, name)

    def numeric_columns(self, relation: str) -> list[Column]:
        _, schema, name = split_relation(relation)
        with self.conn.cursor() as cur:
            cur.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = %s and table_name = %s order by ordinal_position",
                (schema, name),
            )
            rows = cur.fetchall()
        return [Column(str(column), kind in POSTGRES_FLOAT) for column, kind in rows
                if kind in POSTGRES_NUMERIC]  # fmt: skip

    def fetchone(self, query: str) -> tuple[Any, ...]:
        with self.conn.cursor() as cur:
            cur.execute(query)
            return _one(cur.fetchone(), query)


@contextmanager
def open_engine(args: argparse.Namespace) -> Iterator[Engine]:
    """The engine `python -m bench.floor` was asked for, closed on exit (PostgreSQL:
    rolled back, leaving dbt's warehouse as it was)."""
    if args.target == "postgres":
        with postgres.connect(args.database, autocommit=False) as conn:
            try:
                yield PostgresFloor(conn)
            finally:
                conn.rollback()
        return
    engine = DuckdbFloor(args.source, args.out, args.compare)
    try:
        yield engine
    finally:
        engine.close()
