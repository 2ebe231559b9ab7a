"""Connection settings of the source targets, read from the environment at call time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DUCKDB_PATH = "data/ecommerce_oltp.duckdb"
SOURCE_SCHEMA = "core"
META_SCHEMA = "generator_meta"


def duckdb_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The DuckDB source file: explicit path, else ETL_OLTP_DUCKDB_PATH, else data/..."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("ETL_OLTP_DUCKDB_PATH") or DEFAULT_DUCKDB_PATH)


def spark_source_dir() -> Path:
    """The Parquet source Spark reads: ETL_SPARK_SOURCE_DIR, else ETL_SPARK_DIR/oltp (the
    profile's warehouse directory, default data/spark), as an absolute path since dbt's
    source names the files by it."""
    explicit = os.environ.get("ETL_SPARK_SOURCE_DIR")
    if explicit:
        return Path(explicit).resolve()
    return (Path(os.environ.get("ETL_SPARK_DIR") or "data/spark") / "oltp").resolve()


@dataclass(frozen=True)
class PostgresSettings:
    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def from_env(cls) -> PostgresSettings:
        return cls(
            host=os.environ.get("ETL_PG_HOST", "127.0.0.1"),
            port=int(os.environ.get("ETL_PG_PORT", "5432")),
            user=os.environ.get("ETL_PG_USER", "postgres"),
            password=os.environ.get("ETL_PG_PASSWORD", ""),
            database=os.environ.get("ETL_PG_DATABASE", "dw_ecommerce"),
        )

    def describe(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.database}"


@dataclass(frozen=True)
class SqlServerSettings:
    server: str
    port: int
    user: str
    password: str
    driver: str
    database: str

    @classmethod
    def from_env(cls) -> SqlServerSettings:
        return cls(
            server=os.environ.get("ETL_SQL_SERVER", "localhost"),
            port=int(os.environ.get("ETL_SQL_PORT", "1433")),
            user=os.environ.get("ETL_SQL_USER", ""),
            password=os.environ.get("ETL_SQL_PASSWORD", ""),
            driver=os.environ.get("ETL_SQL_DRIVER", "ODBC Driver 18 for SQL Server"),
            database=os.environ.get("ETL_OLTP_DATABASE", "ECOMMERCE_OLTP"),
        )

    def connection_string(self, database: str) -> str:
        parts = [
            f"DRIVER={{{self.driver}}}",
            f"SERVER={self.server},{self.port}",
            f"DATABASE={database}",
            "TrustServerCertificate=yes",
        ]
        if self.user:
            parts += [f"UID={self.user}", f"PWD={self.password}"]
        else:
            parts.append("Trusted_Connection=yes")
        return ";".join(parts)

    def describe(self) -> str:
        return f"mssql://{self.server}:{self.port}/{self.database}"
