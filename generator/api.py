"""The Python API: ``generate`` a base data set, ``apply_wave`` an incremental wave."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from os import PathLike

from generator.build import build_base
from generator.errors import GeneratorError, UsageError
from generator.schema import DEFAULT_FLAG_TYPE, FLAG_TYPES, TABLE_NAMES
from generator.targets import TARGETS, RunRecord, open_target
from generator.volumes import MAX_SCALE
from generator.waves import plan_wave

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GenerationReport:
    target: str
    location: str
    scale: float
    seed: int
    as_of: date
    checks: bool
    flag_type: str
    rows: dict[str, int]
    elapsed_seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class WaveReport:
    wave: int
    target: str
    location: str
    seed: int
    inserted: dict[str, int]
    updated: dict[str, int]
    soft_deleted: dict[str, int]
    started_at: datetime  # min updated_at written by the wave
    ended_at: datetime  # max updated_at written by the wave
    elapsed_seconds: float


def validate_scale(scale: float) -> float:
    try:
        value = float(scale)
    except (TypeError, ValueError):
        raise UsageError(f"scale must be a number (got {scale!r})") from None
    if not math.isfinite(value) or value <= 0 or value > MAX_SCALE:
        raise UsageError(f"scale must be > 0 and <= {MAX_SCALE:g} (got {scale!r})")
    return value


def validate_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise UsageError(f"seed must be an integer >= 0 (got {seed!r})")
    return seed


def _validate_target(target: str) -> str:
    if target not in TARGETS:
        raise UsageError(f"unknown target {target!r} (choose from {', '.join(TARGETS)})")
    return target


def validate_flag_type(flag_type: str, target: str) -> str:
    """The flag encoding the source gets: boolean or smallint; SQL Server always uses BIT."""
    if flag_type not in FLAG_TYPES:
        raise UsageError(f"flag type must be one of {', '.join(FLAG_TYPES)} (got {flag_type!r})")
    if target == "sqlserver":
        if flag_type != DEFAULT_FLAG_TYPE:
            raise UsageError(
                f"--flag-type {flag_type} is for the duckdb and postgres targets"
                " (sqlserver always uses BIT)"
            )
        return "bit"
    return flag_type


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def generate(
    target: str = "duckdb",
    scale: float = 1.0,
    seed: int = 42,
    as_of: date | None = None,
    force: bool = False,
    duckdb_path: str | PathLike[str] | None = None,
    checks: bool = True,
    flag_type: str = DEFAULT_FLAG_TYPE,
) -> GenerationReport:
    """Generate the base source (3 years of orders ending the day before ``as_of``).
    ``flag_type="smallint"`` stores flags as SMALLINT 0/1 (duckdb and postgres only)."""
    started = time.perf_counter()
    _validate_target(target)
    stored_flags = validate_flag_type(flag_type, target)
    scale = validate_scale(scale)
    seed = validate_seed(seed)
    as_of = as_of or datetime.now(UTC).date()
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    sink = open_target(target, None if duckdb_path is None else str(duckdb_path))
    if not force and sink.source_exists():
        raise GeneratorError(
            f"source already exists at {sink.location} (use --force to replace it)"
        )
    data = build_base(scale, seed, as_of)
    log.info("built in %.2f s", time.perf_counter() - started)
    run = RunRecord(0, seed, scale, as_of, checks, stored_flags, _now())
    sink.write_base(data.tables, run, checks=checks, replace=force)
    return GenerationReport(
        target=target,
        location=sink.location,
        scale=scale,
        seed=seed,
        as_of=as_of,
        checks=checks,
        flag_type=stored_flags,
        rows=data.counts(),
        elapsed_seconds=time.perf_counter() - started,
    )


def apply_wave(
    wave: int,
    target: str = "duckdb",
    seed: int = 42,
    duckdb_path: str | PathLike[str] | None = None,
) -> WaveReport:
    """Apply incremental wave ``wave`` (1, 2, ... in order) to an existing source."""
    started = time.perf_counter()
    _validate_target(target)
    seed = validate_seed(seed)
    if isinstance(wave, bool) or not isinstance(wave, int) or wave < 1:
        raise UsageError(f"wave must be an integer >= 1 (got {wave!r})")
    sink = open_target(target, None if duckdb_path is None else str(duckdb_path))
    with sink.session() as session:
        runs = session.runs()
        if not runs or runs[0].wave != 0:
            raise GeneratorError(
                f"no generator bookkeeping at {sink.location} (generate the base first)"
            )
        applied = {r.wave for r in runs}
        last = max(applied)
        if wave in applied:
            raise GeneratorError(f"wave {wave} was already applied to {sink.location}")
        if wave != last + 1:
            raise GeneratorError(
                f"cannot apply wave {wave}: wave {last + 1} has not been applied yet"
                " (waves apply in order)"
            )
        base = runs[0]
        plan = plan_wave(session, seed, wave, base.scale)
        run = RunRecord(wave, seed, base.scale, base.as_of, base.checks, base.flag_type, _now())
        session.apply(plan.changes, run)
    return WaveReport(
        wave=wave,
        target=target,
        location=sink.location,
        seed=seed,
        inserted=plan.inserted,
        updated=plan.updated,
        soft_deleted=plan.soft_deleted,
        started_at=plan.started_at,
        ended_at=plan.ended_at,
        elapsed_seconds=time.perf_counter() - started,
    )


__all__ = ["TABLE_NAMES", "GenerationReport", "WaveReport", "apply_wave", "generate"]
