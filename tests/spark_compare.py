"""Compare a Spark warehouse with a DuckDB one built from the same source, row for row.

The Spark side is read by orchestrator/spark_query.py (a child process: the session holds the
metastore for as long as its process lives).

Values are compared as canonical text, since the engines hand back the same value in
different Python types: Decimal or float, int or float, timestamps with or without a zone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

# What the two warehouses must hold alike: the dimensions, the facts, the history models and
# the watermarks. None compares every column but the load metadata (_etl_*, stamped with
# each run's ids and clock); a tuple compares those columns only.
WAREHOUSE_TABLES: dict[str, tuple[str, ...] | None] = {
    "dim.dim_cliente": None,
    "dim.dim_produto": None,
    "dim.dim_regiao": None,
    "dim.dim_equipe": None,
    "dim.dim_vendedor": None,
    "dim.dim_desconto": None,
    "dim.dim_data": None,
    "fact.fact_vendas": None,
    "fact.fact_metas": None,
    "fact.fact_descontos": None,
    "dim.dim_cliente_historico": None,
    "dim.dim_produto_historico": None,
    "fact.vw_vendas_com_historico": None,
    "ctl.etl_control": ("entity_name", "watermark_updated_at", "watermark_id"),
}
# Quotients of decimals rounded to two places (money averages, a percentage), which DuckDB
# computes in floating point (its decimal division gives a double): an exact half
# hundredth rounds down there, and up on Spark, which divides the exact decimal. These are
# compared to within 0.01, on rows equal in every other column.
CENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "dim.dim_cliente": ("ticket_medio_historico",),
    "fact.fact_metas": ("ticket_medio_realizado", "percentual_atingido"),
}
LOAD_COLUMN_PREFIX = "_etl_"
DECIMALS = 6  # places numbers are compared to (floats from DuckDB, Decimals from Spark)


def read_duckdb_table(
    path: str | Path, table: str, columns: Iterable[str] | None = None
) -> pd.DataFrame:
    """Every row of ``table`` (schema.name) of the DuckDB warehouse at ``path`` (read-only)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        selected = ", ".join(columns) if columns is not None else "*"
        return con.execute(f"select {selected} from {table}").fetch_df()
    finally:
        con.close()


def canonical(value: Any) -> str:
    """One text per value whatever engine and type it comes in (NULL, NaN and NaT alike)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)) or hasattr(value, "dtype"):
        number = float(value)
        if math.isnan(number):
            return ""
        return repr(round(number, DECIMALS) + 0.0)
    if isinstance(value, datetime):
        # DuckDB hands dates to pandas as midnight timestamps, Spark as dates: midnight is
        # written as the date on both sides
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def canonical_rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple[str, ...]]:
    """The rows of ``frame`` over ``columns``, each value canonical, sorted."""
    return sorted(
        tuple(canonical(value) for value in row)
        for row in frame[columns].astype(object).itertuples(index=False, name=None)
    )


@dataclass
class TableDiff:
    """How one table differs between the two warehouses (nothing, when ``equal``)."""

    table: str
    duckdb_rows: int
    spark_rows: int
    columns_only_in_duckdb: list[str] = field(default_factory=list)
    columns_only_in_spark: list[str] = field(default_factory=list)
    only_in_duckdb: list[tuple[str, ...]] = field(default_factory=list)
    only_in_spark: list[tuple[str, ...]] = field(default_factory=list)
    error: str = ""  # the table could not be read on one side

    @property
    def equal(self) -> bool:
        return not (
            self.error
            or self.columns_only_in_duckdb
            or self.columns_only_in_spark
            or self.only_in_duckdb
            or self.only_in_spark
        )

    def summary(self, examples: int = 3) -> str:
        if self.equal:
            return f"{self.table}: equal ({self.duckdb_rows} rows)"
        if self.error:
            return f"{self.table}: {self.error}"
        parts = [f"{self.table}: duckdb {self.duckdb_rows} rows, spark {self.spark_rows} rows"]
        if self.columns_only_in_duckdb or self.columns_only_in_spark:
            parts.append(
                f"columns only in duckdb {self.columns_only_in_duckdb},"
                f" only in spark {self.columns_only_in_spark}"
            )
        parts += [f"  only in duckdb: {row}" for row in self.only_in_duckdb[:examples]]
        parts += [f"  only in spark:  {row}" for row in self.only_in_spark[:examples]]
        return "\n".join(parts)


def compare_frames(
    table: str, duck: pd.DataFrame, spark: pd.DataFrame, cents: tuple[str, ...] = ()
) -> TableDiff:
    """Row-for-row comparison over the columns both hold, load metadata aside; the columns
    `cents` to within a cent, on rows equal in every other column."""
    duck = duck.rename(columns=str.lower)
    spark = spark.rename(columns=str.lower)
    duck_columns = [c for c in duck.columns if not c.startswith(LOAD_COLUMN_PREFIX)]
    spark_columns = [c for c in spark.columns if not c.startswith(LOAD_COLUMN_PREFIX)]
    shared = [c for c in duck_columns if c in spark_columns and c not in cents]
    duck_rows = canonical_rows(duck, shared)
    spark_rows = canonical_rows(spark, shared)
    duck_count, spark_count = Counter(duck_rows), Counter(spark_rows)
    diff = TableDiff(
        table=table,
        duckdb_rows=len(duck_rows),
        spark_rows=len(spark_rows),
        columns_only_in_duckdb=[c for c in duck_columns if c not in spark_columns],
        columns_only_in_spark=[c for c in spark_columns if c not in duck_columns],
        only_in_duckdb=sorted((duck_count - spark_count).elements()),
        only_in_spark=sorted((spark_count - duck_count).elements()),
    )
    if cents and diff.equal:
        by_row = _cent_values(duck, shared, cents)
        for row, values in _cent_values(spark, shared, cents).items():
            for mine, theirs in zip(by_row[row], values, strict=True):
                if any(not _within_a_cent(a, b) for a, b in zip(mine, theirs, strict=True)):
                    diff.only_in_duckdb.append((*row, *map(str, mine)))
                    diff.only_in_spark.append((*row, *map(str, theirs)))
    return diff


def _cent_values(
    frame: pd.DataFrame, shared: list[str], cents: tuple[str, ...]
) -> dict[tuple[str, ...], list[tuple[float, ...]]]:
    """The `cents` columns of each row, by the canonical text of its other columns."""
    values: dict[tuple[str, ...], list[tuple[float, ...]]] = {}
    rows = frame[shared + list(cents)].astype(object).itertuples(index=False, name=None)
    for row in rows:
        key = tuple(canonical(value) for value in row[: len(shared)])
        cells = (math.nan if canonical(v) == "" else float(v) for v in row[len(shared) :])
        values.setdefault(key, []).append(tuple(cells))
    return {key: sorted(found) for key, found in values.items()}


def _within_a_cent(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= 0.01 + 1e-9
