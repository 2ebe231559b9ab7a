"""Slots: where one step of the benchmark finds its warehouse and its source.

A slot is a scratch directory (dbt's target path, the connection audit's fallback file)
plus the warehouse and source it points the environment at:

- DuckDB: two files in the directory (`dw.duckdb`, `oltp.duckdb`); a copy is a file copy.
- PostgreSQL: a database of its own, `<prefix>_<slot>`, the source in its schema core and
  the warehouse beside it (PostgreSQL cannot query across databases); a copy is
  `create database ... template ...`. `release` drops it.
- Spark (session mode, Iceberg tables): the warehouse and its metastore in `spark/`, the
  Parquet source and its DuckDB working copy in `oltp/`. Iceberg's metadata records absolute
  file paths, so a warehouse cannot be copied: a copy is the source alone, which is all the
  runs-only sequence copies (into an empty warehouse, before the full load). Reads go
  through a child process (orchestrator.spark_query): a session holds the metastore.

Fixed names per slot keep dbt's partial parse valid from one repetition to the next (the
warehouse path, or database, is part of the profile dbt hashes).
"""

from __future__ import annotations

import os
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from bench import postgres
from orchestrator import spark_query

ROOT = Path(__file__).resolve().parents[1]
WAREHOUSE = "dw.duckdb"
SOURCE = "oltp.duckdb"
SOURCE_TABLES = (
    "select table_name from information_schema.tables where table_schema = 'core'"
    " and table_type = 'BASE TABLE'"
)


def count_source_rows(fetchall: Callable[[str], list[tuple[Any, ...]]]) -> dict[str, int]:
    """Rows of every table of schema core, through `fetchall(query) -> rows`."""
    tables = sorted(str(name) for (name,) in fetchall(SOURCE_TABLES))
    return {table: int(fetchall(f'select count(*) from core."{table}"')[0][0]) for table in tables}


def count_duckdb_source_rows(path: Path) -> dict[str, int]:
    """Rows of every table of schema core of the DuckDB file `path`."""
    with duckdb.connect(str(path), read_only=True) as conn:
        return count_source_rows(lambda query: conn.execute(query).fetchall())


class Slot(ABC):
    """The engine-independent half: the scratch directory and the environment."""

    target = ""
    placeholder = "?"  # bind parameter marker of the warehouse's driver

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)

    @property
    def target_path(self) -> Path:
        return self.path / "target"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("ETL_NOW", "ETL_RUN_ID")}
        env.update(
            {
                "DBT_PROFILES_DIR": str(ROOT),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                "ETL_TARGET": self.target,
                "ETL_CONNECTION_AUDIT_DIR": str(self.path),
                **self.engine_env(),
            }
        )
        return env

    @abstractmethod
    def engine_env(self) -> dict[str, str]:
        """What points dbt, the orchestrator and the generator at this slot."""


class DuckdbSlot(Slot):
    target = "duckdb"

    @property
    def warehouse(self) -> Path:
        return self.path / WAREHOUSE

    @property
    def source(self) -> Path:
        return self.path / SOURCE

    def engine_env(self) -> dict[str, str]:
        return {"ETL_DUCKDB_PATH": str(self.warehouse), "ETL_OLTP_DUCKDB_PATH": str(self.source)}

    def generator_args(self) -> list[str]:
        return ["--target", "duckdb", "--duckdb-path", str(self.source)]

    def floor_args(self, out_dir: Path) -> list[str]:
        return ["--target", "duckdb", "--source", str(self.source),
                "--out", str(out_dir / WAREHOUSE), "--compare", str(self.warehouse)]  # fmt: skip

    def clear(self) -> None:
        for item in self.path.iterdir():
            if item.name.startswith((WAREHOUSE, SOURCE)):
                item.unlink()

    def load_from(self, other: Slot) -> None:
        """Make this slot an identical copy of `other` (files only; cp is cheap)."""
        self.clear()
        for name in (SOURCE, SOURCE + ".wal", WAREHOUSE, WAREHOUSE + ".wal"):
            if (other.path / name).exists():
                shutil.copy2(other.path / name, self.path / name)

    def fetchone(self, query: str, params: list[Any]) -> tuple[Any, ...] | None:
        with duckdb.connect(str(self.warehouse), read_only=True) as conn:
            return conn.execute(query, params).fetchone()

    def source_rows(self) -> dict[str, int]:
        return count_duckdb_source_rows(self.source)

    def reset_reads(self) -> None:
        """DuckDB keeps no read counters (see bench.report's notes): nothing to reset."""

    def source_reads(self) -> postgres.SourceReads | None:
        return None

    def release(self) -> None:
        """The files stay in the scratch directory, which the CLI removes or keeps."""


class PostgresSlot(Slot):
    target = "postgres"
    placeholder = "%s"

    def __init__(self, path: Path, database: str) -> None:
        super().__init__(path)
        self.database = database

    def engine_env(self) -> dict[str, str]:
        server = postgres.settings(self.database)
        return {"ETL_PG_HOST": server.host, "ETL_PG_PORT": str(server.port),
                "ETL_PG_USER": server.user, "ETL_PG_PASSWORD": server.password,
                "ETL_PG_DATABASE": self.database}  # fmt: skip

    def generator_args(self) -> list[str]:
        return ["--target", "postgres"]  # the database: ETL_PG_DATABASE

    def floor_args(self, out_dir: Path) -> list[str]:
        return ["--target", "postgres", "--database", self.database]

    def clear(self) -> None:
        postgres.drop_database(self.database)

    def load_from(self, other: Slot) -> None:
        if not isinstance(other, PostgresSlot):
            raise TypeError("a PostgreSQL slot copies another PostgreSQL slot")
        postgres.copy_database(other.database, self.database)

    def fetchone(self, query: str, params: list[Any]) -> tuple[Any, ...] | None:
        with postgres.connect(self.database) as conn, conn.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchone()

    def source_rows(self) -> dict[str, int]:
        with postgres.connect(self.database) as conn, conn.cursor() as cur:

            def fetchall(query: str) -> list[tuple[Any, ...]]:
                cur.execute(query)
                return list(cur.fetchall())

            return count_source_rows(fetchall)

    def reset_reads(self) -> None:
        postgres.reset_reads(self.database)

    def source_reads(self) -> postgres.SourceReads | None:
        return postgres.read_source_reads(self.database)

    def release(self) -> None:
        self.clear()


class SparkSlot(Slot):
    target = "spark"

    @property
    def warehouse(self) -> Path:
        return self.path / "spark"

    @property
    def source(self) -> Path:
        return self.path / "oltp"

    def engine_env(self) -> dict[str, str]:
        return {"ETL_SPARK_DIR": str(self.warehouse), "ETL_SPARK_SOURCE_DIR": str(self.source)}

    def generator_args(self) -> list[str]:
        return ["--target", "spark"]  # the directory: ETL_SPARK_SOURCE_DIR

    def floor_args(self, out_dir: Path) -> list[str]:
        raise RuntimeError("no engine floor on Spark: the benchmark runs it --runs-only")

    def clear(self) -> None:
        for item in (self.warehouse, self.source):
            shutil.rmtree(item, ignore_errors=True)

    def load_from(self, other: Slot) -> None:
        """The source of `other` and an empty warehouse (see the module's note)."""
        if not isinstance(other, SparkSlot):
            raise TypeError("a Spark slot copies another Spark slot")
        if other.warehouse.exists():
            raise RuntimeError(f"cannot copy the Spark warehouse {other.warehouse}: Iceberg "
                               "metadata holds absolute paths")  # fmt: skip
        self.clear()
        shutil.copytree(other.source, self.source)

    def fetchone(self, query: str, params: list[Any]) -> tuple[Any, ...] | None:
        first, *rest = query.split(self.placeholder)
        bound = first + "".join(
            _literal(p) + part for p, part in zip(params, rest, strict=True)
        )  # a marker without a parameter, or one too many, raises
        frame = spark_query.query(self.env(), {"row": bound})["row"]
        return None if frame.empty else tuple(frame.iloc[0])

    def source_rows(self) -> dict[str, int]:
        """From the source's DuckDB working copy, which the Parquet files are exported from."""
        return count_duckdb_source_rows(self.source / SOURCE)

    def reset_reads(self) -> None:
        """Spark keeps no read counters across its sessions: nothing to reset."""

    def source_reads(self) -> postgres.SourceReads | None:
        return None

    def release(self) -> None:
        """The directories stay in the scratch directory, which the CLI removes or keeps."""


def _literal(value: Any) -> str:
    """A bench parameter (a run id) as a SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def make_slot(
    target: str, work: Path, name: str, database_prefix: str
) -> DuckdbSlot | PostgresSlot | SparkSlot:
    """Slot `name` of `target`: directory `work/name`; PostgreSQL database
    `<database_prefix>_<name>`."""
    if target == "postgres":
        return PostgresSlot(work / name, f"{database_prefix}_{name}")
    if target == "spark":
        return SparkSlot(work / name)
    return DuckdbSlot(work / name)
