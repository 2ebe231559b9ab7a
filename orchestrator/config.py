"""The configuration of one run: what the operator asked for, validated, plus where things are.

Nothing here touches a database or dbt: it turns CLI arguments and the environment into a
frozen `RunConfig` (or a `UsageError` naming the bad value).
"""

from __future__ import annotations

import getpass
import hashlib
import os
import secrets
import socket
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from orchestrator.errors import UsageError

REPO_ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("duckdb", "postgres", "sqlserver", "spark")

# Limits of the run-level overrides (the same ranges ctl.etl_control and the macros enforce).
OVERRIDE_LIMITS: dict[str, tuple[int, int | None]] = {
    "batch_size": (1, 100000),
    "cutoff_minutes": (0, 1440),
    "max_batches": (1, None),
}


@dataclass(frozen=True)
class Overrides:
    """Run-level overrides of ctl.etl_control (None: the control row decides)."""

    batch_size: int | None = None
    cutoff_minutes: int | None = None
    max_batches: int | None = None

    def as_vars(self) -> dict[str, str]:
        """The dbt vars of the contract: strings of digits, or "" for none."""
        return {
            "etl_batch_size": "" if self.batch_size is None else str(self.batch_size),
            "etl_cutoff_minutes": "" if self.cutoff_minutes is None else str(self.cutoff_minutes),
            "etl_max_batches": "" if self.max_batches is None else str(self.max_batches),
        }


@dataclass(frozen=True)
class RunConfig:
    """Everything one orchestrator run needs to know before it starts."""

    entities: tuple[str, ...] | None  # None: all entities of the project
    target: str
    dry_run: bool = False
    full_refresh: bool = False
    full_checks: bool = False
    overrides: Overrides = field(default_factory=Overrides)
    etl_now: str = ""
    run_id: str = field(default_factory=lambda: new_run_id())
    repo_root: Path = REPO_ROOT

    @property
    def entities_requested(self) -> str:
        return "all" if self.entities is None else ",".join(self.entities)

    @property
    def checks_whole_warehouse(self) -> bool:
        """A full check: the run tests the whole warehouse, not only the rows it loads
        (--full-checks, or --full-refresh, which rebuilds everything it selects)."""
        return self.full_checks or self.full_refresh

    @property
    def dbt_executable(self) -> Path:
        """dbt of the same environment as this Python (the project's venv)."""
        return Path(sys.executable).parent / "dbt"

    @property
    def target_path(self) -> Path:
        """dbt's target path for this warehouse. Stable across runs, so dbt reuses its
        partial parse (a full parse costs seconds every run); the warehouse lock keeps two
        runs of one warehouse from sharing it, and other warehouses get their own."""
        key = hashlib.sha1(warehouse_key(self.target).encode()).hexdigest()[:10]
        return self.repo_root / "target" / "orchestrator" / f"{self.target}-{key}"

    @property
    def run_dir(self) -> Path:
        """Where this run's dbt artifacts (run_results.json) are kept after the run."""
        return self.repo_root / "target" / "runs" / self.run_id

    @property
    def data_dir(self) -> Path:
        return self.repo_root / "data"

    def dbt_vars(self, dry_run: bool | None = None) -> dict[str, object]:
        """The vars of every dbt command of the run. The run id is not among them (it goes
        in ETL_RUN_ID): vars that change every run would force dbt to re-parse fully."""
        return {
            "etl_now": self.etl_now,
            "etl_dry_run": self.dry_run if dry_run is None else dry_run,
            "etl_full_checks": self.full_checks,
            **self.overrides.as_vars(),
        }


def warehouse_key(target: str) -> str:
    """What identifies the warehouse of `target` (its file, or server and database)."""
    if target == "duckdb":
        return str(duckdb_warehouse_path().resolve())
    if target == "spark":
        return str(spark_dir().resolve())
    if target == "postgres":
        return "/".join(
            os.environ.get(name, default)
            for name, default in (
                ("ETL_PG_HOST", "127.0.0.1"),
                ("ETL_PG_PORT", "5432"),
                ("ETL_PG_DATABASE", "dw_ecommerce"),
            )
        )
    return "/".join(
        os.environ.get(name, default)
        for name, default in (("ETL_SQL_SERVER", "localhost"), ("ETL_DW_DATABASE", "DW_ECOMMERCE"))
    )


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: UTC start time plus 6 random hex digits."""
    moment = now or datetime.now(UTC)
    return f"{moment:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def started_by() -> str:
    """user@host of the operator (or service) starting the run."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"{user}@{socket.gethostname()}"


def validate_override(name: str, value: int | None) -> int | None:
    """The override, or a UsageError naming it and its valid range."""
    if value is None:
        return None
    low, high = OVERRIDE_LIMITS[name]
    if value < low or (high is not None and value > high):
        expected = f"from {low} to {high}" if high is not None else f">= {low}"
        flag = "--" + name.replace("_", "-")
        raise UsageError(f"invalid {flag} {value}: expected an integer {expected}")
    return value


def parse_entities(raw: str) -> tuple[str, ...] | None:
    """`all` -> None; `a,b` -> ('a', 'b') in the given order, without duplicates."""
    names = [part.strip() for part in raw.split(",") if part.strip()]
    if not names:
        raise UsageError("--entity needs 'all' or a comma-separated list of entities")
    if "all" in names:
        if len(names) > 1:
            raise UsageError("--entity all cannot be combined with other entities")
        return None
    return tuple(dict.fromkeys(names))


def validate_etl_now(raw: str) -> str:
    if not raw:
        return ""
    try:
        datetime.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"invalid --now {raw!r}: expected an ISO timestamp") from None
    return raw


def from_repo(raw: str) -> Path:
    """Relative paths are relative to the repository root (dbt's working directory)."""
    path = Path(raw)
    return path if path.is_absolute() else REPO_ROOT / path


def duckdb_warehouse_path() -> Path:
    return from_repo(os.environ.get("ETL_DUCKDB_PATH", "data/dw_ecommerce.duckdb"))


def duckdb_source_path() -> Path:
    return from_repo(os.environ.get("ETL_OLTP_DUCKDB_PATH", "data/ecommerce_oltp.duckdb"))


def spark_dir() -> Path:
    """The directory of a Spark warehouse in session mode: its tables and metastore."""
    return from_repo(os.environ.get("ETL_SPARK_DIR", "data/spark"))


def spark_source_dir() -> Path:
    """Where the generator writes the source for Spark, one Parquet file per table."""
    raw = os.environ.get("ETL_SPARK_SOURCE_DIR")
    return from_repo(raw) if raw else spark_dir() / "oltp"
