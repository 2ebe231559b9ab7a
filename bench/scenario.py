"""One scale of the benchmark: `repeat` repetitions of the whole sequence, then the monitor.

Every repetition starts from a freshly generated source and an empty warehouse, in fixed
"slots" (`bench.slots`: files on DuckDB, scratch databases on PostgreSQL, replaced by
copies; fixed names keep dbt's partial parse valid for the dbt-alone slot):

1. generate the source (timed: figure 1);
2. orchestrator `--entity all --full-refresh` on an empty warehouse (figure 2; beside
   DuckDB, without --full-refresh: see FULL_LOAD_BESIDE);
3. the engine floor from that load's compiled SQL, checked against it (figure 6);
4. wave 1 applied to the source (its report says how many rows it changed); the
   orchestrator slot copied to the dbt slot;
5. incremental: orchestrator run and `dbt build` alone on identical copies (3, 5);
6. the orchestrator slot copied again; no-change: orchestrator and `dbt build` (4, 5);
7. dbt's bare start-up: `dbt build --select <nothing>` in the warm dbt slot (4);
   and, for information, `dbt parse` without partial parse (fresh target path).

Each orchestrator run also counts the source rows it read where the engine keeps exact
counters (PostgreSQL: `bench.postgres`). With `runs_only` only steps 1, 2, 4 and the
orchestrator's runs of 5 and 6 are made: the runs and what they read, nothing to compare
them with (no floor, no dbt alone, no start-up figures, no monitor).

Pairs run in alternating order (orchestrator first on even repetitions, dbt first on odd
ones), so neither side always enjoys a warmer page cache. Ratios are taken pair by pair.
The scratch databases are dropped at the end, whatever happens.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.measure import Measurement, run_measured
from bench.postgres import SourceReads
from bench.slots import WAREHOUSE, DuckdbSlot, Slot, make_slot

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SEED = 42
WAVE = 1
NOTHING = "bench_selects_nothing"  # a selector matching no node: dbt starts, finds no work
RUN_LINE = re.compile(r"^run (\S+): (success|partial|failed)\s*$", re.MULTILINE)
# the wave's report, one line per table: "<table>  <inserted>  <updated>  <soft_deleted>"
# (disjoint sets of rows, generator.waves)
MONITOR_DUCKDB_ONLY = (
    "DuckDB only: the monitor's target (SPEC 8) is for the embedded target, and its history "
    "fill is DuckDB SQL"
)
WAVE_LINE = re.compile(r"^[a-z_]+\s+(\d+)\s+(\d+)\s+(\d+)\s*$", re.MULTILINE)


def wave_changed_rows(report: str) -> int:
    """Rows the wave inserted, updated or soft-deleted, from its printed report."""
    lines = WAVE_LINE.findall(report)
    if not lines:
        raise RuntimeError(f"no per-table counts in the wave's report:\n{report[-2000:]}")
    return sum(int(count) for line in lines for count in line)


@dataclass
class RunInfo:
    """One orchestrator or dbt run: its measurement and what dbt recorded."""

    measurement: Measurement
    run_id: str = ""
    status: str = ""
    extracted: int = 0
    upserted: int = 0
    dbt_elapsed: float = 0.0
    by_type: dict[str, float] = field(default_factory=dict)
    reads: SourceReads | None = None  # None: the engine keeps no exact counters

    @property
    def seconds(self) -> float:
        return self.measurement.wall_seconds


@dataclass
class Comparisons:
    """What the runs of one repetition are compared with."""

    floor: dict[str, Any]
    dbt_incremental: RunInfo
    dbt_nochange: RunInfo
    bare: Measurement
    parse_cold: Measurement


@dataclass
class Repetition:
    index: int
    generate: Measurement
    source_table_rows: dict[str, int]  # after generation, before the wave
    full: RunInfo
    wave: Measurement
    wave_changed: int
    incremental: RunInfo
    nochange: RunInfo
    comparisons: Comparisons | None

    @property
    def source_rows(self) -> int:
        return sum(self.source_table_rows.values())


@dataclass
class ScaleResult:
    scale: float
    repetitions: list[Repetition]
    monitor: dict[str, Any]
    # the same sequence on DuckDB in the same command, repetition beside repetition (Spark)
    baseline: ScaleResult | None = None
    full_refresh: bool = True  # the full load ran with --full-refresh (and full checks)


def _python() -> str:
    return sys.executable


def _dbt() -> str:
    return str(Path(sys.executable).parent / "dbt")


def _dbt_flags(slot: Slot) -> list[str]:
    return [
        "--project-dir", str(ROOT),
        "--profiles-dir", str(ROOT),
        "--target", slot.target,
        "--target-path", str(slot.target_path),
        "--log-path", str(slot.target_path / "logs"),
        "--no-use-colors",
    ]  # fmt: skip


def _run_results(path: Path) -> tuple[float, dict[str, float]]:
    """dbt's execution phase (run_results elapsed_time) and execution time per node type."""
    if not path.exists():
        return 0.0, {}
    data = json.loads(path.read_text())
    by_type: dict[str, float] = {}
    for item in data.get("results", []):
        kind = item["unique_id"].split(".")[0]
        by_type[kind] = by_type.get(kind, 0.0) + float(item.get("execution_time") or 0.0)
    return float(data.get("elapsed_time") or 0.0), by_type


class Bench:
    """Runs the sequence of one scale in `work` (scratch; large files at big scales) on
    `target`; PostgreSQL scratch databases are named `<database_prefix>_<slot>`."""

    def __init__(
        self,
        scale: float,
        repeat: int,
        work: Path,
        monitor_runs: int,
        *,
        target: str = "duckdb",
        database_prefix: str = "",
        runs_only: bool = False,
        full_refresh: bool = True,
    ) -> None:
        self.scale = scale
        self.repeat = repeat
        self.work = work
        self.monitor_runs = monitor_runs
        self.target = target
        self.runs_only = runs_only
        self.full_refresh = full_refresh
        self.src, self.orch, self.alone = (
            make_slot(target, work, name, database_prefix) for name in ("src", "orch", "dbt")
        )
        self.artifacts = work / "artifacts" / "runs"
        self.logs = work / "logs"

    # --- steps ------------------------------------------------------------------------

    def _log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def generate(self, rep: int) -> tuple[Measurement, dict[str, int]]:
        self.src.clear()
        # orders end two days ago: the wave's timestamps (just after the newest source row)
        # are then always older than the orchestrator's 2-minute cutoff, even right after
        # midnight UTC, when "yesterday's" rows would still be inside the cutoff
        as_of = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        command = [
            _python(), "-m", "generator", *self.src.generator_args(),
            "--scale", f"{self.scale:g}", "--seed", str(SEED), "--as-of", as_of, "--force",
        ]  # fmt: skip
        measurement = run_measured(
            command, env=self.src.env(), cwd=ROOT, log_file=self._log(f"r{rep}-generate")
        )
        return measurement, self.src.source_rows()

    def orchestrator(self, name: str, *, full_refresh: bool = False) -> RunInfo:
        command = [_python(), str(ROOT / "orchestrator" / "run.py"), "--entity", "all",
                   "--target", self.orch.target]  # fmt: skip
        if full_refresh:
            command.append("--full-refresh")
        self.orch.reset_reads()
        measurement = run_measured(command, env=self.orch.env(), cwd=ROOT, log_file=self._log(name))
        reads = self.orch.source_reads()
        found = RUN_LINE.findall(measurement.stdout)
        if not found:
            raise RuntimeError(f"no run id in the orchestrator's output ({self._log(name)})")
        run_id, status = found[-1]
        info = RunInfo(measurement, run_id=run_id, status=status, reads=reads)
        row = self.orch.fetchone(
            "select coalesce(sum(extracted_count), 0), coalesce(sum(upserted_count), 0)"
            f" from audit.etl_run_entity where run_id = {self.orch.placeholder}",
            [run_id],
        )
        info.extracted, info.upserted = (int(row[0]), int(row[1])) if row else (0, 0)
        self._save_artifacts(run_id)
        info.dbt_elapsed, info.by_type = _run_results(self.artifacts / run_id / "run_results.json")
        if status != "success":
            raise RuntimeError(f"orchestrator run {run_id} ended {status} ({self._log(name)})")
        return info

    def _save_artifacts(self, run_id: str) -> None:
        """The orchestrator keeps each run's run_results.json in target/runs/<run_id>; the
        manifest (the same graph for every run of the project, for the floor and the
        monitor) is taken from there when present, else from the dbt slot's own parse of
        the project (`warm_up`; `runs_only` makes none, and needs none)."""
        saved = self.artifacts / run_id
        saved.mkdir(parents=True, exist_ok=True)
        run_dir = ROOT / "target" / "runs" / run_id
        shutil.copy2(run_dir / "run_results.json", saved / "run_results.json")
        if self.runs_only:
            return
        manifest = run_dir / "manifest.json"
        if not manifest.exists():
            manifest = self.alone.target_path / "manifest.json"
        shutil.copy2(manifest, saved / "manifest.json")

    def dbt_build(self, name: str) -> RunInfo:
        command = [_dbt(), "build", *_dbt_flags(self.alone)]
        measurement = run_measured(
            command, env=self.alone.env(), cwd=ROOT, log_file=self._log(name)
        )
        info = RunInfo(measurement, status="success")
        info.dbt_elapsed, info.by_type = _run_results(self.alone.target_path / "run_results.json")
        return info

    def dbt_bare(self, name: str) -> Measurement:
        command = [_dbt(), "build", "--select", NOTHING, *_dbt_flags(self.alone)]
        return run_measured(command, env=self.alone.env(), cwd=ROOT, log_file=self._log(name))

    def dbt_parse_cold(self, name: str, rep: int) -> Measurement:
        """`dbt parse` without partial parse (fresh target path, vars): what a run costs
        when dbt has to re-parse the project (info)."""
        target = self.work / "parse" / f"r{rep}"
        shutil.rmtree(target, ignore_errors=True)
        flags = _dbt_flags(self.orch)
        flags[flags.index("--target-path") + 1] = str(target)
        flags[flags.index("--log-path") + 1] = str(target / "logs")
        command = [
            _dbt(), "parse", *flags, "--vars",
            json.dumps({"etl_run_id": f"bench-parse-{rep}", "etl_now": "", "etl_dry_run": False}),
        ]  # fmt: skip
        return run_measured(command, env=self.orch.env(), cwd=ROOT, log_file=self._log(name))

    def floor(self, rep: int, run_id: str) -> dict[str, Any]:
        out_dir = self.work / "floor"
        out_dir.mkdir(parents=True, exist_ok=True)
        result_path = out_dir / f"r{rep}.json"
        command = [
            _python(), "-m", "bench.floor", "--artifacts", str(self.artifacts / run_id),
            *self.orch.floor_args(out_dir), "--json", str(result_path),
        ]  # fmt: skip
        measurement = run_measured(
            command, env=self.orch.env(), cwd=ROOT, log_file=self._log(f"r{rep}-floor"),
            check=False,
        )  # fmt: skip
        if not result_path.exists():
            raise RuntimeError(f"the floor failed: {measurement.stderr[-2000:]}")
        result: dict[str, Any] = json.loads(result_path.read_text())
        result["wall_seconds"] = measurement.wall_seconds
        (out_dir / WAREHOUSE).unlink(missing_ok=True)
        return result

    def apply_wave(self, rep: int) -> tuple[Measurement, int]:
        command = [
            _python(), "-m", "generator", *self.orch.generator_args(),
            "--wave", str(WAVE), "--seed", str(SEED),
        ]  # fmt: skip
        measurement = run_measured(
            command, env=self.orch.env(), cwd=ROOT, log_file=self._log(f"r{rep}-wave")
        )
        return measurement, wave_changed_rows(measurement.stdout)

    # --- the sequence -----------------------------------------------------------------

    def warm_up(self) -> None:
        """The dbt slot's partial parse (untimed): `dbt build` alone starts warm, like a user's
        second command in a project."""
        self.alone.clear()
        command = [_dbt(), "parse", *_dbt_flags(self.alone)]
        run_measured(command, env=self.alone.env(), cwd=ROOT, log_file=self._log("warm-parse"))

    def pair(self, rep: int, name: str) -> tuple[RunInfo, RunInfo | None]:
        """The orchestrator's run `name` and (but with `runs_only`) `dbt build` alone on an
        identical copy, in alternating order."""
        if self.runs_only:
            return self.orchestrator(f"r{rep}-{name}"), None
        self.alone.load_from(self.orch)
        if rep % 2 == 0:
            mine = self.orchestrator(f"r{rep}-{name}")
            return mine, self.dbt_build(f"r{rep}-dbt-{name}")
        theirs = self.dbt_build(f"r{rep}-dbt-{name}")
        return self.orchestrator(f"r{rep}-{name}"), theirs

    def repetition(self, rep: int) -> Repetition:
        log.info("scale %g, repetition %d/%d", self.scale, rep + 1, self.repeat)
        generated, source_table_rows = self.generate(rep)
        self.orch.load_from(self.src)
        full = self.orchestrator(f"r{rep}-full", full_refresh=self.full_refresh)
        floor = {} if self.runs_only else self.floor(rep, full.run_id)
        wave, wave_changed = self.apply_wave(rep)
        incremental, dbt_incremental = self.pair(rep, "incremental")
        if incremental.extracted == 0:
            raise RuntimeError("the incremental run loaded nothing: the wave was not picked up")
        nochange, dbt_nochange = self.pair(rep, "nochange")
        comparisons = None
        if dbt_incremental is not None and dbt_nochange is not None:
            comparisons = Comparisons(
                floor=floor,
                dbt_incremental=dbt_incremental,
                dbt_nochange=dbt_nochange,
                bare=self.dbt_bare(f"r{rep}-bare"),
                parse_cold=self.dbt_parse_cold(f"r{rep}-parse-cold", rep),
            )
        return Repetition(
            index=rep,
            generate=generated,
            source_table_rows=source_table_rows,
            full=full,
            wave=wave,
            wave_changed=wave_changed,
            incremental=incremental,
            nochange=nochange,
            comparisons=comparisons,
        )

    def monitor(self) -> dict[str, Any]:
        app = ROOT / "dashboards" / "monitor" / "app.py"
        pages = ROOT / "dashboards" / "monitor" / "app_pages"
        if self.runs_only:
            return {"skipped": "not measured (--runs-only)"}
        if self.target != "duckdb":
            return {"skipped": MONITOR_DUCKDB_ONLY}
        if not app.exists() or not pages.is_dir():
            return {"skipped": "monitor not present"}
        site = DuckdbSlot(self.work / "monitor")
        site.load_from(self.orch)
        result_path = site.path / "monitor.json"
        command = [
            _python(), "-m", "bench.monitor",
            "--warehouse", str(site.warehouse),
            "--source", str(site.source),
            "--artifacts", str(self.artifacts.parent),
            "--runs", str(self.monitor_runs),
            "--repeat", str(self.repeat),
            "--json", str(result_path),
        ]  # fmt: skip
        measurement = run_measured(
            command, env=site.env(), cwd=ROOT, log_file=self._log("monitor"), check=False
        )
        if measurement.returncode != 0 or not result_path.exists():
            last = (measurement.stderr.strip().splitlines() or [""])[-1][:300]
            return {"skipped": f"monitor failed (exit {measurement.returncode}): {last}"}
        result: dict[str, Any] = json.loads(result_path.read_text())
        return result

    def release(self) -> None:
        for slot in (self.src, self.orch, self.alone):
            slot.release()

    def run(self) -> ScaleResult:
        self.work.mkdir(parents=True, exist_ok=True)
        try:
            if not self.runs_only:
                self.warm_up()
            repetitions = [self.repetition(rep) for rep in range(self.repeat)]
            return ScaleResult(self.scale, repetitions, self.monitor())
        finally:
            self.release()


SPARK_RUNS_ONLY = (
    "Spark: the runs only (no engine floor, dbt alone or monitor), each repetition beside "
    "the same repetition on DuckDB"
)
# beside DuckDB, the full load is the first run into an empty warehouse without
# --full-refresh: on Spark --full-refresh adds dbt's unit tests and the whole-warehouse
# checks, each a Spark job, which would make the full load a figure of the tests
FULL_LOAD_BESIDE = "orchestrator/run.py --entity all, empty warehouse (no --full-refresh)"


def run_beside_duckdb(scale: float, repeat: int, work: Path, target: str) -> ScaleResult:
    """The runs-only sequence on `target` and on DuckDB, repetition by repetition in
    alternating order (DuckDB first on even repetitions), from the same generated source
    (same scale, seed and date): `target`'s result, with DuckDB's as its baseline."""
    engine, duck = (
        Bench(scale, repeat, work / name, 0, target=name, runs_only=True, full_refresh=False)
        for name in (target, "duckdb")
    )
    done: dict[str, list[Repetition]] = {"engine": [], "duck": []}
    order = [("duck", duck), ("engine", engine)]
    try:
        for rep in range(repeat):
            for name, bench in order if rep % 2 == 0 else order[::-1]:
                done[name].append(bench.repetition(rep))
    finally:
        engine.release()
        duck.release()
    skipped = {"skipped": SPARK_RUNS_ONLY}
    baseline = ScaleResult(scale, done["duck"], skipped, full_refresh=False)
    return ScaleResult(scale, done["engine"], skipped, baseline=baseline, full_refresh=False)
