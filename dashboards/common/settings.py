"""Where the warehouse is: the same ETL_* environment variables as profiles.yml and the
orchestrator, frozen into a hashable value (it keys the connection and data caches)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from orchestrator.config import REPO_ROOT, TARGETS, duckdb_source_path, duckdb_warehouse_path

DOCS_URL = "http://127.0.0.1:8080"
PROGRAM_NAME = "ecommerce_dw monitor"
# Whose login an app uses (`make roles` and the docker init create them): "monitor" (the
# monitor, the alert runner) reads as etl_monitor, "bi" (the business dashboards) as
# bi_reader; the values name their ETL_PG_<X>_USER / ETL_SQL_<X>_USER variables.
APP_LOGINS = {"monitor": "MONITOR", "bi": "BI"}


@dataclass(frozen=True)
class Settings:
    """One warehouse (a dbt target) and where its run artifacts are."""

    target: str
    duckdb_path: Path
    oltp_duckdb_path: Path
    pg_host: str
    pg_port: int
    pg_user: str
    pg_database: str
    pg_password: str = field(default="", repr=False, compare=False)
    artifacts_dir: Path = REPO_ROOT / "target"
    data_dir: Path = REPO_ROOT / "data"
    app: str = "monitor"  # a key of APP_LOGINS: whose login credentials_for() picks

    @classmethod
    def from_env(cls, app: str = "monitor") -> Settings:
        target = os.environ.get("ETL_TARGET", "duckdb")
        if target not in TARGETS:
            raise ValueError(f"ETL_TARGET={target!r}: expected one of {', '.join(TARGETS)}")
        if app not in APP_LOGINS:
            raise ValueError(f"app {app!r}: expected one of {', '.join(APP_LOGINS)}")
        artifacts = Path(os.environ.get("ETL_DBT_TARGET_DIR", str(REPO_ROOT / "target")))
        return cls(
            target=target,
            duckdb_path=duckdb_warehouse_path(),
            oltp_duckdb_path=duckdb_source_path(),
            pg_host=os.environ.get("ETL_PG_HOST", "127.0.0.1"),
            pg_port=int(os.environ.get("ETL_PG_PORT", "5432")),
            pg_user=os.environ.get("ETL_PG_USER", "postgres"),
            pg_database=os.environ.get("ETL_PG_DATABASE", "dw_ecommerce"),
            pg_password=os.environ.get("ETL_PG_PASSWORD", ""),
            artifacts_dir=artifacts if artifacts.is_absolute() else REPO_ROOT / artifacts,
            app=app,
        )

    def credentials_for(self, app: str | None = None) -> tuple[str, str]:
        """(user, password) an app logs in with (default: this settings' app). PostgreSQL:
        ETL_PG_MONITOR_USER / ETL_PG_MONITOR_PASSWORD for "monitor", ETL_PG_BI_USER /
        ETL_PG_BI_PASSWORD for "bi"; SQL Server the same with ETL_SQL_. When the app's user
        is unset, the warehouse's login: ETL_PG_USER / ETL_PG_PASSWORD (ETL_SQL_USER /
        ETL_SQL_PASSWORD), as before per-app logins existed."""
        name = APP_LOGINS[app or self.app]
        if self.target == "sqlserver":
            prefix = "ETL_SQL"
            fallback = (
                os.environ.get("ETL_SQL_USER", "etl_user"),
                os.environ.get("ETL_SQL_PASSWORD", ""),
            )
        else:
            prefix, fallback = "ETL_PG", (self.pg_user, self.pg_password)
        user = os.environ.get(f"{prefix}_{name}_USER", "")
        if not user:
            return fallback
        return user, os.environ.get(f"{prefix}_{name}_PASSWORD", "")

    @property
    def label(self) -> str:
        """Where the warehouse is, for the page header (no secret)."""
        if self.target == "duckdb":
            return f"DuckDB {self.duckdb_path}"
        if self.target == "postgres":
            return f"PostgreSQL {self.pg_host}:{self.pg_port}/{self.pg_database}"
        return "SQL Server " + os.environ.get("ETL_SQL_SERVER", "localhost")

    @property
    def lock_path(self) -> Path:
        """The orchestrator's DuckDB run lock (orchestrator/lock.py)."""
        return self.duckdb_path.with_name(self.duckdb_path.name + ".lock")

    @property
    def progress_path(self) -> Path:
        """The live progress file the orchestrator writes (orchestrator/progress.py)."""
        if self.target == "duckdb":
            return self.duckdb_path.with_name(self.duckdb_path.name + ".progress.json")
        database = (
            self.pg_database
            if self.target == "postgres"
            else os.environ.get("ETL_DW_DATABASE", "DW_ECOMMERCE")
        )
        return self.data_dir / f"progress.{self.target}.{database}.json"


def allow_run() -> bool:
    """Whether the monitor may start the orchestrator ("Executar agora"): off by default."""
    return os.environ.get("ETL_MONITOR_ALLOW_RUN", "") == "1"
