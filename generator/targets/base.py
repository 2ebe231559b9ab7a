"""What every target does: write a base data set, keep the bookkeeping, read tables back and
apply a wave's changes, each write in one transaction.

Rows travel as Arrow tables in the contract's logical schema (flags as booleans); a target
whose flags are SMALLINT 0/1 encodes them on the way in (``encode_flags``) and reads them
back as booleans."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pyarrow as pa

from generator.config import META_SCHEMA
from generator.ddl import create_runs_sql, index_ddl, source_ddl
from generator.schema import BY_NAME, RUNS_COLUMNS, TABLES, Table
from generator.targets.arrow_io import encode_flags

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunRecord:
    """One row of generator_meta.runs: the base (wave 0) or an applied wave. ``flag_type`` is
    how the source stores its flags: boolean, smallint (0/1) or bit (SQL Server)."""

    wave: int
    seed: int
    scale: float
    as_of: date
    checks: bool
    flag_type: str
    applied_at: datetime

    def as_row(self) -> tuple[object, ...]:
        return (
            self.wave,
            self.seed,
            Decimal(str(round(self.scale, 6))),
            self.as_of,
            self.checks,
            self.flag_type,
            self.applied_at,
        )

    @classmethod
    def from_row(cls, row: tuple[object, ...]) -> RunRecord:
        wave, seed, scale, as_of, checks, flag_type, applied_at = row
        if isinstance(as_of, datetime):
            as_of = as_of.date()
        return cls(
            int(wave), int(seed), float(scale), as_of, bool(checks), str(flag_type), applied_at
        )


RUNS_TABLE = f"{META_SCHEMA}.runs"
RUNS_COLUMN_LIST = ", ".join(c.name for c in RUNS_COLUMNS)
RUNS_SELECT = f"SELECT {RUNS_COLUMN_LIST} FROM {RUNS_TABLE} ORDER BY wave"


def runs_insert_sql(marker: str = "?") -> str:
    """INSERT of one bookkeeping row, with the driver's parameter marker."""
    markers = ", ".join([marker] * len(RUNS_COLUMNS))
    return f"INSERT INTO {RUNS_TABLE} ({RUNS_COLUMN_LIST}) VALUES ({markers})"


def load_base(
    dialect: str,
    tables: dict[str, pa.Table],
    run: RunRecord,
    checks: bool,
    execute: Callable[[str, Sequence[object]], object],
    insert: Callable[[str, pa.Table], object],
    marker: str = "?",
) -> None:
    """The base write every target makes inside its own transaction, once its schemas exist:
    the table DDL, the rows (through the engine's bulk path, flags encoded as the source
    stores them), the indexes (built after the load, which is faster), then the bookkeeping
    table and its wave-0 row."""
    for ddl in source_ddl(dialect, checks, run.flag_type):
        execute(ddl, ())
    for spec in TABLES:
        log.info("loading %s (%d rows)", spec.qualified, tables[spec.name].num_rows)
        insert(spec.qualified, encode_flags(spec, tables[spec.name], run.flag_type))
    for ddl in index_ddl():
        execute(ddl, ())
    execute(create_runs_sql(dialect), ())
    execute(runs_insert_sql(marker), run.as_row())


@dataclass(frozen=True)
class TableChanges:
    """Rows to write into one table: ``rows`` replace the rows with the same key (updates and
    soft deletes) or are new (inserts)."""

    table: Table
    rows: pa.Table
    replaced_ids: list[int]

    @classmethod
    def of(cls, name: str, rows: pa.Table, replaced_ids: list[int]) -> TableChanges:
        return cls(BY_NAME[name], rows, replaced_ids)


class Target(ABC):
    """One engine holding the source. Methods raise GeneratorError with one-line messages."""

    name: str

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the source lives, for messages."""

    @abstractmethod
    def source_exists(self) -> bool: ...

    @abstractmethod
    def write_base(
        self, tables: dict[str, pa.Table], run: RunRecord, *, checks: bool, replace: bool
    ) -> None:
        """Create (or replace) the source with ``tables`` and the bookkeeping, atomically."""

    @abstractmethod
    def session(self) -> AbstractContextManager[TargetSession]:
        """An open connection for reading the state and applying one wave (fails with a
        GeneratorError when there is no source)."""


class TargetSession(ABC):
    @abstractmethod
    def runs(self) -> list[RunRecord]:
        """The bookkeeping rows, wave order (empty when there is no bookkeeping)."""

    @abstractmethod
    def read_table(self, name: str) -> pa.Table:
        """A whole source table in primary-key order, with the contract's Arrow schema."""

    @abstractmethod
    def max_values(self) -> dict[str, tuple[int, datetime | None]]:
        """Per table: (max primary key or 0, max updated_at or None)."""

    @abstractmethod
    def apply(self, changes: list[TableChanges], run: RunRecord) -> None:
        """Write all changes and the run row in one transaction."""
