"""PostgreSQL for the benchmark: scratch databases and the source rows a run reads.

Scratch databases: every slot of the benchmark is a database of its own, named
`<prefix>_<scale>_<slot>`; a copy is `create database ... template ...` (a file copy of
the template: cheap, and nothing has to be re-generated or re-loaded).

Source rows read, from the engine's own counters: `pg_stat_user_tables.seq_tup_read`
(rows returned by sequential scans) plus `idx_tup_fetch` (live rows fetched through
indexes: plain index scans and bitmap heap scans) of the tables of schema `core`, the
source, in the database of the run. They are exact, not sampled, and the method makes
them exact for one run:

- A backend counts locally and flushes to shared memory at the end of a transaction (at
  most once a second) and always in its exit hook, which runs before its entry leaves
  `pg_stat_activity`. So once no other client backend is connected to the database, every
  row read by the processes that were is in the counters, and nothing read later than the
  reset can be missing or counted twice. `wait_idle` waits for that moment: before the
  reset (the generator's wave, for one, reads the source and exits just before) and after
  the run (dbt's and the orchestrator's connections close as their processes exit).
- `pg_stat_reset()` (superuser) zeroes the counters of the current database in shared
  memory, at once (PostgreSQL 15+: no statistics collector to wait for).
- The reading session itself reads no source table, and runs in autocommit, so every
  query sees fresh counters (stats_fetch_consistency caches them for a transaction).
- Autovacuum workers are not waited for: VACUUM and ANALYZE do not add to these counters.

`pg_stat_xact_user_tables` would be exact too, but only for the reading session's own
transaction; `pg_stat_force_next_flush()` likewise only flushes the calling backend.
Neither sees the rows that dbt's connections read, which is what is measured here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import psycopg2
from psycopg2 import sql
from psycopg2.extensions import connection as PgConnection

from generator.config import SOURCE_SCHEMA, PostgresSettings

ADMIN_DATABASE = "postgres"
IDLE_TIMEOUT_SECONDS = 120.0
IDLE_POLL_SECONDS = 0.02
OTHER_CLIENTS = (
    "select count(*) from pg_stat_activity where datname = %s and pid <> pg_backend_pid()"
    " and backend_type <> 'autovacuum worker'"
)
SOURCE_READS = (
    "select relname, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)"
    " from pg_stat_user_tables where schemaname = %s order by relname"
)


@dataclass(frozen=True)
class SourceReads:
    """Source rows one run read, by table, with the ratios the report shows."""

    by_table: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_table.values())

    def per_row(self, rows: int) -> float | None:
        """Rows read per row of `rows` (the source's, or the wave's changes); None for 0."""
        return self.total / rows if rows else None


def settings(database: str) -> PostgresSettings:
    """The server of ETL_PG_HOST / _PORT / _USER / _PASSWORD, database `database`."""
    return replace(PostgresSettings.from_env(), database=database)


@contextmanager
def connect(database: str, *, autocommit: bool = True) -> Iterator[PgConnection]:
    """A connection to `database` (autocommit unless asked otherwise), closed on exit."""
    server = settings(database)
    conn = psycopg2.connect(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        dbname=database,
        connect_timeout=5,
        application_name="bench",
    )
    conn.autocommit = autocommit
    try:
        yield conn
    finally:
        conn.close()


def wait_idle(conn: PgConnection, database: str) -> None:
    """Wait until no client but `conn` is connected to `database` (see the module doc)."""
    deadline = time.monotonic() + IDLE_TIMEOUT_SECONDS
    with conn.cursor() as cur:
        while True:
            cur.execute(OTHER_CLIENTS, (database,))
            row = cur.fetchone()
            if row is not None and row[0] == 0:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"clients still connected to {database} after "
                                   f"{IDLE_TIMEOUT_SECONDS:.0f} s")  # fmt: skip
            time.sleep(IDLE_POLL_SECONDS)


def drop_database(name: str) -> None:
    with connect(ADMIN_DATABASE) as admin, admin.cursor() as cur:
        cur.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def copy_database(template: str, name: str) -> None:
    """`name` becomes a fresh copy of `template` (replaced if it exists)."""
    drop_database(name)
    with connect(ADMIN_DATABASE) as admin:
        wait_idle(admin, template)
        with admin.cursor() as cur:
            cur.execute(
                sql.SQL("create database {} template {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )


def reset_reads(database: str) -> None:
    """Zero the table counters of `database` once every earlier client has flushed."""
    with connect(database) as conn:
        wait_idle(conn, database)
        with conn.cursor() as cur:
            cur.execute("select pg_stat_reset()")


def read_source_reads(database: str) -> SourceReads:
    """The source rows read since `reset_reads`, once every client of the run has exited."""
    with connect(database) as conn:
        wait_idle(conn, database)
        with conn.cursor() as cur:
            cur.execute(SOURCE_READS, (SOURCE_SCHEMA,))
            return SourceReads({str(name): int(rows) for name, rows in cur.fetchall()})


def server_version() -> str:
    with connect(ADMIN_DATABASE) as conn, conn.cursor() as cur:
        cur.execute("select current_setting('server_version')")
        row = cur.fetchone()
        return str(row[0]) if row else "unknown"
