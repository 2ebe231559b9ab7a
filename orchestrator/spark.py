"""Spark for the orchestrator: the Spark session dbt-spark itself uses, in this process.

In session mode (profiles.yml, target spark) Spark runs inside the process that starts it:
its JVM holds the warehouse's metastore (an embedded Derby database in ETL_SPARK_DIR), which
admits one process at a time. The orchestrator could not write the audit while a dbt
subprocess holds it, and every JVM start costs seconds. So on Spark the orchestrator runs dbt
in its own process (dbtRunner): dbt-spark's session mode takes the active session, the one
the orchestrator opened with the same settings, and a run starts one JVM, not three.

The settings come from dbt's own rendering of profiles.yml (one definition of the session);
this module imports pyspark and dbt-spark only when the target is spark (the `spark` extra).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from orchestrator.config import REPO_ROOT
from orchestrator.errors import UsageError

PROFILE = "ecommerce_dw"
TARGET = "spark"
INSTALL_HINT = "pip install -c constraints.txt -e '.[spark]' (and a Java 17 runtime)"


def _profile_credentials() -> Any:
    """The spark output of profiles.yml, rendered by dbt with this environment."""
    try:
        from dbt.config.profile import Profile, read_profile
        from dbt.config.renderer import ProfileRenderer
        from dbt.flags import set_from_args
        from dbt_common.context import set_invocation_context
    except ImportError as exc:  # pragma: no cover - dbt is a base dependency
        raise UsageError(f"dbt is not installed: {exc}") from None
    set_invocation_context(dict(os.environ))
    from argparse import Namespace

    set_from_args(Namespace(), None)
    profiles_dir = os.environ.get("DBT_PROFILES_DIR", str(REPO_ROOT))
    try:
        profile = Profile.from_raw_profiles(
            read_profile(profiles_dir), PROFILE, ProfileRenderer({}), target_override=TARGET
        )
    except Exception as exc:
        if "spark" in str(exc).lower() and "adapter" in str(exc).lower():
            raise UsageError(f"the spark target needs dbt-spark: {INSTALL_HINT}") from None
        raise UsageError(f"profiles.yml, target spark: {str(exc).strip()}") from None
    return profile.credentials


def method() -> str:
    """How dbt reaches Spark: session (in process), thrift or http (ETL_SPARK_METHOD)."""
    return os.environ.get("ETL_SPARK_METHOD", "session")


def session_settings() -> dict[str, str]:
    """The Spark settings of the session (server_side_parameters of the profile), the jar
    globs expanded (a session started from Python does not expand them)."""
    credentials = _profile_credentials()
    settings = {key: str(value) for key, value in credentials.server_side_parameters.items()}
    jars = settings.get("spark.jars", "")
    if jars:
        settings["spark.jars"] = ",".join(_expand(part) for part in jars.split(","))
    return settings


def _expand(pattern: str) -> str:
    """A jar path or glob (relative to the project), as the one file it names."""
    path = Path(pattern)
    base = path if path.is_absolute() else REPO_ROOT / path
    if not any(char in pattern for char in "*?["):
        return str(base)
    matches = sorted(Path(base.anchor).glob(str(base.relative_to(base.anchor))))
    if not matches:
        raise UsageError(f"spark.jars: no file matches {pattern} (ETL_SPARK_JARS); {INSTALL_HINT}")
    return str(matches[-1])


@cache
def session() -> Any:
    """The process's Spark session, opened with the profile's settings (once)."""
    if method() != "session":
        raise UsageError(
            f"ETL_SPARK_METHOD={method()}: the orchestrator drives Spark in session mode only;"
            " on a cluster run `dbt build --target spark` (direct runs are audited by dbt's"
            " hooks), see README, Spark"
        )
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError(f"the spark target needs pyspark: {INSTALL_HINT}") from None
    # the driver runs inside this process: relative paths in the settings and the source's
    # file names are the project directory's, as for dbt run from there
    os.chdir(REPO_ROOT)
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in session_settings().items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


# `insert into <table> (<columns>) values (<values>)`, one row, as the audit writes it
_INSERT = re.compile(
    r"\s*insert\s+into\s+(?P<table>[\w.]+)\s*\((?P<columns>[^)]*)\)\s*values\s*\((?P<values>.*)\)\s*",
    re.IGNORECASE | re.DOTALL,
)


def _split_values(values: str) -> list[str]:
    """The items of a values list: `?` markers and literals, commas inside quotes or
    parentheses kept (`'a, b'`, `coalesce(?, 0)`)."""
    items, current, quoted, depth = [], "", False, 0
    for char in values:
        if char == "'":
            quoted = not quoted  # '' inside a literal toggles twice: still quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
        if char == "," and not quoted and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    items.append(current.strip())
    return items


def every_column(
    sql: str, params: Sequence[Any], columns: Callable[[str], list[tuple[str, str]]]
) -> tuple[str, list[Any]]:
    """An insert of some columns as one of every column, the others NULL: Spark writes
    every column of an Iceberg table (a column list that leaves one out fails), and the
    audit tables have columns this writer leaves to others. `columns(table)` gives the
    table's (name, Spark type) in order. The `?` markers move with their columns, and the
    parameters with them; any other statement is returned as it is."""
    match = _INSERT.fullmatch(sql)
    if match is None:
        return sql, list(params)
    names = [name.strip() for name in match["columns"].split(",")]
    bound = iter(params)
    given = {
        name: (True, next(bound)) if value == "?" else (False, value)
        for name, value in zip(names, _split_values(match["values"]), strict=True)
    }
    select, ordered = [], []
    for name, kind in columns(match["table"]):
        is_marker, value = given.get(name, (False, "null"))
        if is_marker:
            ordered.append(value)
        select.append(f"cast({'?' if is_marker else value} as {kind})")
    return f"insert into {match['table']} select {', '.join(select)}", ordered


class _Cursor:
    """A DB-API cursor over the session: `?` markers bound by Spark (spark.sql args)."""

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self.rows: list[tuple[Any, ...]] = []
        self.description: list[tuple[Any, ...]] | None = None

    def _columns(self, table: str) -> list[tuple[str, str]]:
        fields = self.spark.table(table).schema.fields
        return [(field.name, field.dataType.simpleString()) for field in fields]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        sql, bound = every_column(sql, params, self._columns)
        frame = self.spark.sql(sql, args=bound) if bound else self.spark.sql(sql)
        fields = frame.schema.fields
        self.description = [(f.name, f.dataType.simpleString()) for f in fields] or None
        self.rows = [tuple(row) for row in frame.collect()] if fields else []

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.rows

    def close(self) -> None:
        self.rows = []


class SparkConnection:
    """The session as a DB-API connection. Spark has no multi-statement transactions: every
    statement commits on its own (an Iceberg snapshot), so commit and rollback do nothing;
    the audit is written in an order that a later run can repair (see flow.py)."""

    def __init__(self) -> None:
        self.spark = session()

    def cursor(self) -> _Cursor:
        return _Cursor(self.spark)

    def commit(self) -> None:
        return None

    def rollback(self) -> None:
        return None

    def close(self) -> None:
        """The session stays: dbt runs in it, and the JVM ends with the process."""
        return None

    def table_exists(self, schema: str, table: str) -> bool:
        return bool(self.spark.catalog.tableExists(f"{schema}.{table}"))
