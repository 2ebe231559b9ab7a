"""Writers and readers of the source in its engines (DuckDB, PostgreSQL, SQL Server), and as
Parquet files for Spark."""

from __future__ import annotations

from pathlib import Path

from generator.errors import UsageError
from generator.targets.base import RunRecord, TableChanges, Target

TARGETS = ("duckdb", "postgres", "sqlserver", "spark")


def open_target(name: str, duckdb_path: str | None = None) -> Target:
    """The target named ``name`` with its connection settings from the environment."""
    if name == "duckdb":
        from generator.config import duckdb_path as resolve_path
        from generator.targets.duckdb_target import DuckDbTarget

        return DuckDbTarget(resolve_path(duckdb_path))
    if name == "postgres":
        from generator.config import PostgresSettings
        from generator.targets.postgres_target import PostgresTarget

        return PostgresTarget(PostgresSettings.from_env())
    if name == "sqlserver":
        from generator.config import SqlServerSettings
        from generator.targets.sqlserver_target import SqlServerTarget

        return SqlServerTarget(SqlServerSettings.from_env())
    if name == "spark":
        from generator.config import spark_source_dir
        from generator.targets.spark_target import SparkTarget

        return SparkTarget(spark_source_dir(), Path(duckdb_path) if duckdb_path else None)
    raise UsageError(f"unknown target {name!r} (choose from {', '.join(TARGETS)})")


__all__ = ["TARGETS", "RunRecord", "TableChanges", "Target", "open_target"]
