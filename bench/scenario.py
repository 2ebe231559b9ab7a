"""One scale of the benchmark: `repeat` repetitions of the whole sequence, then the monitor.

Every repetition starts from a freshly generated source and an empty warehouse, in two
fixed "slots" (directories whose files are replaced by copies; fixed paths keep dbt's
partial parse valid for the dbt-alone slot, since the warehouse path is part of the
profile dbt hashes):

1. generate the source (timed: figure 1);
2. orchestrator `--entity all --full-refresh` on an empty warehouse (figure 2);
3. the engine floor from that load's compiled SQL, checked against it (figure 6);
4. wave 1 applied to the source; the orchestrator slot copied to the dbt slot;
5. incremental: orchestrator run and `dbt build` alone on identical copies (3, 5);
6. the orchestrator slot copied again; no-change: orchestrator and `dbt build` (4, 5);
7. dbt's bare start-up: `dbt build --select <nothing>` in the warm dbt slot (4);
   and, for information, `dbt parse` without partial parse (fresh target path).

Pairs run in alternating order (orchestrator first on even repetitions, dbt first on odd
ones), so neither side always enjoys a warmer page cache. Ratios are taken pair by pair.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from bench.measure import Measurement, run_measured

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SEED = 42
WAVE = 1
NOTHING = "bench_selects_nothing"  # a selector matching no node: dbt starts, finds no work
RUN_LINE = re.compile(r"^run (\S+): (success|partial|failed)\s*$", re.MULTILINE)
WAREHOUSE = "dw.duckdb"
SOURCE = "oltp.duckdb"


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

    @property
    def seconds(self) -> float:
        return self.measurement.wall_seconds


@dataclass
class Repetition:
    index: int
    generate: Measurement
    source_rows: int
    full: RunInfo
    floor: dict[str, Any]
    wave: Measurement
    incremental: RunInfo
    dbt_incremental: RunInfo
    nochange: RunInfo
    dbt_nochange: RunInfo
    bare: Measurement
    parse_cold: Measurement


@dataclass
class ScaleResult:
    scale: float
    repetitions: list[Repetition]
    monitor: dict[str, Any]


class Slot:
    """A directory holding a warehouse and its source, and the environment pointing at it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)

    @property
    def warehouse(self) -> Path:
        return self.path / WAREHOUSE

    @property
    def source(self) -> Path:
        return self.path / SOURCE

    @property
    def target_path(self) -> Path:
        return self.path / "target"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("ETL_NOW", "ETL_RUN_ID")}
        env.update(
            {
                "DBT_PROFILES_DIR": str(ROOT),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                "ETL_TARGET": "duckdb",
                "ETL_DUCKDB_PATH": str(self.warehouse),
                "ETL_OLTP_DUCKDB_PATH": str(self.source),
                "ETL_CONNECTION_AUDIT_DIR": str(self.path),
            }
        )
        return env

    def clear(self) -> None:
        for item in self.path.iterdir():
            if item.name.startswith((WAREHOUSE, SOURCE)):
                item.unlink()

    def load_from(self, other: Slot, *, warehouse: bool = True) -> None:
        """Make this slot an identical copy of `other` (files only; cp is cheap)."""
        self.clear()
        names = [SOURCE, SOURCE + ".wal"]
        if warehouse:
            names += [WAREHOUSE, WAREHOUSE + ".wal"]
        for name in names:
            if (other.path / name).exists():
                shutil.copy2(other.path / name, self.path / name)


def _python() -> str:
    return sys.executable


def _dbt() -> str:
    return str(Path(sys.executable).parent / "dbt")


def _dbt_flags(slot: Slot) -> list[str]:
    return [
        "--project-dir", str(ROOT),
        "--profiles-dir", str(ROOT),
        "--target", "duckdb",
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
    """Runs the sequence of one scale in `work` (scratch; large files at big scales)."""

    def __init__(self, scale: float, repeat: int, work: Path, monitor_runs: int) -> None:
        self.scale = scale
        self.repeat = repeat
        self.work = work
        self.monitor_runs = monitor_runs
        self.src = Slot(work / "src")
        self.orch = Slot(work / "orch")
        self.alone = Slot(work / "dbt")
        self.artifacts = work / "artifacts" / "runs"
        self.logs = work / "logs"

    # --- steps ------------------------------------------------------------------------

    def _log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def generate(self, rep: int) -> tuple[Measurement, int]:
        self.src.clear()
        # orders end two days ago: the wave's timestamps (just after the newest source row)
        # are then always older than the orchestrator's 2-minute cutoff, even right after
        # midnight UTC, when "yesterday's" rows would still be inside the cutoff
        as_of = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        command = [
            _python(), "-m", "generator", "--target", "duckdb", "--scale", f"{self.scale:g}",
            "--seed", str(SEED), "--as-of", as_of, "--duckdb-path", str(self.src.source),
            "--force",
        ]  # fmt: skip
        measurement = run_measured(
            command, env=self.src.env(), cwd=ROOT, log_file=self._log(f"r{rep}-generate")
        )
        with duckdb.connect(str(self.src.source), read_only=True) as conn:
            tables = conn.execute(
                "select table_name from information_schema.tables where table_schema = 'core'"
                " and table_type = 'BASE TABLE'"
            ).fetchall()
            rows = 0
            for (table,) in tables:
                found = conn.execute(f'select count(*) from core."{table}"').fetchone()
                rows += int(found[0]) if found else 0
        return measurement, rows

    def orchestrator(self, name: str, *, full_refresh: bool = False) -> RunInfo:
        command = [_python(), str(ROOT / "orchestrator" / "run.py"), "--entity", "all"]
        if full_refresh:
            command.append("--full-refresh")
        measurement = run_measured(command, env=self.orch.env(), cwd=ROOT, log_file=self._log(name))
        found = RUN_LINE.findall(measurement.stdout)
        if not found:
            raise RuntimeError(f"no run id in the orchestrator's output ({self._log(name)})")
        run_id, status = found[-1]
        info = RunInfo(measurement, run_id=run_id, status=status)
        with duckdb.connect(str(self.orch.warehouse), read_only=True) as conn:
            row = conn.execute(
                "select coalesce(sum(extracted_count), 0), coalesce(sum(upserted_count), 0)"
                " from audit.etl_run_entity where run_id = ?",
                [run_id],
            ).fetchone()
        info.extracted, info.upserted = (int(row[0]), int(row[1])) if row else (0, 0)
        # the orchestrator keeps each run's run_results.json in target/runs/<run_id>; the
        # manifest (the same graph for every run of the project) is taken from there when
        # present, else from the dbt slot's own parse of the project
        saved = self.artifacts / run_id
        saved.mkdir(parents=True, exist_ok=True)
        run_dir = ROOT / "target" / "runs" / run_id
        shutil.copy2(run_dir / "run_results.json", saved / "run_results.json")
        manifest = run_dir / "manifest.json"
        if not manifest.exists():
            manifest = self.alone.target_path / "manifest.json"
        shutil.copy2(manifest, saved / "manifest.json")
        info.dbt_elapsed, info.by_type = _run_results(saved / "run_results.json")
        if status != "success":
            raise RuntimeError(f"orchestrator run {run_id} ended {status} ({self._log(name)})")
        return info

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
            _python(), "-m", "bench.floor",
            "--artifacts", str(self.artifacts / run_id),
            "--source", str(self.orch.source),
            "--out", str(out_dir / WAREHOUSE),
            "--compare", str(self.orch.warehouse),
            "--json", str(result_path),
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

    def apply_wave(self, rep: int) -> Measurement:
        command = [
            _python(), "-m", "generator", "--wave", str(WAVE), "--seed", str(SEED),
            "--duckdb-path", str(self.orch.source),
        ]  # fmt: skip
        return run_measured(
            command, env=self.orch.env(), cwd=ROOT, log_file=self._log(f"r{rep}-wave")
        )

    # --- the sequence -----------------------------------------------------------------

    def warm_up(self) -> None:
        """The dbt slot's partial parse (untimed): `dbt build` alone starts warm, like a user's
        second command in a project."""
        self.alone.clear()
        command = [_dbt(), "parse", *_dbt_flags(self.alone)]
        run_measured(command, env=self.alone.env(), cwd=ROOT, log_file=self._log("warm-parse"))

    def repetition(self, rep: int) -> Repetition:
        log.info("scale %g, repetition %d/%d", self.scale, rep + 1, self.repeat)
        generated, source_rows = self.generate(rep)
        self.orch.load_from(self.src, warehouse=False)
        full = self.orchestrator(f"r{rep}-full", full_refresh=True)
        floor = self.floor(rep, full.run_id)
        wave = self.apply_wave(rep)
        self.alone.load_from(self.orch)

        def incremental_pair() -> tuple[RunInfo, RunInfo]:
            if rep % 2 == 0:
                mine = self.orchestrator(f"r{rep}-incremental")
                return mine, self.dbt_build(f"r{rep}-dbt-incremental")
            theirs = self.dbt_build(f"r{rep}-dbt-incremental")
            return self.orchestrator(f"r{rep}-incremental"), theirs

        incremental, dbt_incremental = incremental_pair()
        if incremental.extracted == 0:
            raise RuntimeError("the incremental run loaded nothing: the wave was not picked up")
        self.alone.load_from(self.orch)

        def nochange_pair() -> tuple[RunInfo, RunInfo]:
            if rep % 2 == 0:
                mine = self.orchestrator(f"r{rep}-nochange")
                return mine, self.dbt_build(f"r{rep}-dbt-nochange")
            theirs = self.dbt_build(f"r{rep}-dbt-nochange")
            return self.orchestrator(f"r{rep}-nochange"), theirs

        nochange, dbt_nochange = nochange_pair()
        bare = self.dbt_bare(f"r{rep}-bare")
        parse_cold = self.dbt_parse_cold(f"r{rep}-parse-cold", rep)
        return Repetition(
            index=rep,
            generate=generated,
            source_rows=source_rows,
            full=full,
            floor=floor,
            wave=wave,
            incremental=incremental,
            dbt_incremental=dbt_incremental,
            nochange=nochange,
            dbt_nochange=dbt_nochange,
            bare=bare,
            parse_cold=parse_cold,
        )

    def monitor(self) -> dict[str, Any]:
        app = ROOT / "dashboards" / "monitor" / "app.py"
        pages = ROOT / "dashboards" / "monitor" / "app_pages"
        if not app.exists() or not pages.is_dir():
            return {"skipped": "monitor not present"}
        site = Slot(self.work / "monitor")
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

    def run(self) -> ScaleResult:
        self.work.mkdir(parents=True, exist_ok=True)
        self.warm_up()
        repetitions = [self.repetition(rep) for rep in range(self.repeat)]
        return ScaleResult(self.scale, repetitions, self.monitor())
