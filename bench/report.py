"""Figures from the repetitions, the targets of the issue, and the Markdown / JSON files."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.measure import Stats
from bench.scenario import Repetition, RunInfo, ScaleResult

MIB = 2**20
MEMORY_METHOD = (
    "peak of the summed VmRSS of the command's process tree, sampled from /proc every "
    "50 ms (psutil is not installed), or the kernel's exact ru_maxrss of the largest "
    "single process (os.wait4) when that is higher"
)


@dataclass(frozen=True)
class Target:
    """A goal of the issue: the median must be <= limit (targets are stated for scale 10)."""

    text: str
    limit: float

    def verdict(self, median: float, unit: str) -> tuple[bool, str]:
        if median <= self.limit:
            return True, "met"
        over = median - self.limit
        if unit == "x":
            return False, f"missed by {over:.2f}x ({median / self.limit:.1f} times the limit)"
        if unit == "MiB":
            return False, f"missed by {over:,.0f} MiB"
        return False, f"missed by {over:.2f} s"


@dataclass(frozen=True)
class Figure:
    key: str
    number: int  # the item of the issue
    label: str
    unit: str  # s, rows/s, MiB, x
    stats: Stats
    target: Target | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "number": self.number,
            "label": self.label,
            "unit": self.unit,
            **{k: v for k, v in asdict(self.stats).items() if k != "samples"},
            "samples": list(self.stats.samples),
            "note": self.note,
            "target": None,
        }
        if self.target is not None:
            met, verdict = self.target.verdict(self.stats.median, self.unit)
            data["target"] = {"text": self.target.text, "limit": self.target.limit,
                              "met": met, "verdict": verdict}  # fmt: skip
        return data


def _per(reps: list[Repetition], fn: Any) -> Stats:
    return Stats.of([fn(rep) for rep in reps])


def figures(result: ScaleResult) -> list[Figure]:
    reps = result.repetitions
    out = [
        Figure("generate_seconds", 1, "Source generation: wall time", "s",
               _per(reps, lambda r: r.generate.wall_seconds),
               note="python -m generator --scale S --seed 42 (11 tables, DuckDB)"),
        Figure("generate_rows_per_second", 1, "Source generation: rows/s", "rows/s",
               _per(reps, lambda r: r.source_rows / r.generate.wall_seconds),
               note=f"{reps[0].source_rows:,} source rows"),
        Figure("full_seconds", 2, "Full load: wall time", "s",
               _per(reps, lambda r: r.full.seconds),
               note="orchestrator/run.py --entity all --full-refresh, empty warehouse"),
        Figure("full_rows_per_second", 2, "Full load: rows/s", "rows/s",
               _per(reps, lambda r: r.full.upserted / r.full.seconds),
               note=f"{reps[0].full.upserted:,} rows loaded (sum of upserted_count)"),
        Figure("full_peak_memory_mib", 2, "Full load: peak memory", "MiB",
               _per(reps, lambda r: r.full.measurement.peak_rss_bytes / MIB),
               Target("< 2 GiB at scale 10", 2048.0), note="orchestrator + dbt process tree"),
        Figure("incremental_seconds", 3, "Incremental (1 wave): wall time", "s",
               _per(reps, lambda r: r.incremental.seconds),
               note=f"wave {1}: {reps[0].incremental.extracted:,} rows extracted"),
        Figure("incremental_over_full", 3, "Incremental / full load", "x",
               _per(reps, lambda r: r.incremental.seconds / r.full.seconds),
               Target("<= 15% of the full load at scale 10", 0.15)),
        Figure("nochange_seconds", 4, "No-change run: wall time", "s",
               _per(reps, lambda r: r.nochange.seconds),
               note="orchestrator/run.py --entity all, nothing pending"),
        Figure("bare_startup_seconds", 4, "dbt bare start-up", "s",
               _per(reps, lambda r: r.bare.wall_seconds),
               note=f"dbt build --select {'<nothing>'}, warm partial parse"),
        Figure("nochange_minus_startup_seconds", 4, "No-change run - dbt bare start-up", "s",
               _per(reps, lambda r: r.nochange.seconds - r.bare.wall_seconds),
               Target("within 2 s of dbt's bare start-up", 2.0)),
        Figure("startup_share_of_nochange", 4, "dbt bare start-up / no-change run", "x",
               _per(reps, lambda r: r.bare.wall_seconds / r.nochange.seconds)),
        Figure("dbt_parse_cold_seconds", 4, "dbt parse without partial parse (info)", "s",
               _per(reps, lambda r: r.parse_cold.wall_seconds),
               note="fresh target path: what a full re-parse adds to any run"),
        Figure("dbt_incremental_seconds", 5, "dbt build alone, incremental", "s",
               _per(reps, lambda r: r.dbt_incremental.seconds),
               note="same wave, identical copy, warm partial parse"),
        Figure("orchestrator_over_dbt_incremental", 5, "Orchestrator / dbt build (incremental)",
               "x", _per(reps, lambda r: r.incremental.seconds / r.dbt_incremental.seconds),
               Target("<= 10% over dbt build", 1.10)),
        Figure("dbt_nochange_seconds", 5, "dbt build alone, no change", "s",
               _per(reps, lambda r: r.dbt_nochange.seconds)),
        Figure("orchestrator_over_dbt_nochange", 5, "Orchestrator / dbt build (no change)", "x",
               _per(reps, lambda r: r.nochange.seconds / r.dbt_nochange.seconds),
               Target("<= 10% over dbt build", 1.10)),
        Figure("floor_seconds", 6, "Engine floor: compiled SQL in one connection", "s",
               _per(reps, lambda r: float(r.floor["seconds"])),
               note=f"{reps[0].floor['models']} models + seed, results checked"),
        Figure("full_over_floor", 6, "Full load / engine floor", "x",
               _per(reps, lambda r: r.full.seconds / float(r.floor["seconds"])),
               Target("within 3x of the engine floor", 3.0)),
    ]  # fmt: skip
    pages = result.monitor.get("pages") or []
    for page in pages:
        out.append(
            Figure(f"monitor_{page['page']}_seconds", 7,
                   f"Monitor page `{page['page']}`, cold cache", "s",
                   Stats.of(page["cold_seconds"]),
                   Target("< 1 s (SPEC 8: dashboard queries on the embedded target)", 1.0),
                   note=f"warm {page['warm_seconds']:.2f} s; "
                        f"{result.monitor['runs']:,} runs of history"),
        )  # fmt: skip
    for page in result.monitor.get("dashboards") or []:
        app, _, name = page["page"].partition("/")
        out.append(
            Figure(f"dashboard_{app}_{name}_seconds", 7,
                   f"Dashboard {app} page `{name}`, cold cache", "s",
                   Stats.of(page["cold_seconds"]),
                   Target("< 1 s (SPEC 8: dashboard queries on the embedded target)", 1.0),
                   note=f"warm {page['warm_seconds']:.2f} s; default period and filters"),
        )  # fmt: skip
    return out


def _breakdown_row(label: str, infos: list[RunInfo]) -> dict[str, Any]:
    def med(values: list[float]) -> float:
        return Stats.of(values).median

    kinds = ("model", "test", "unit_test", "operation", "seed")
    row: dict[str, Any] = {
        "run": label,
        "wall_seconds": med([info.seconds for info in infos]),
        "dbt_execution_seconds": med([info.dbt_elapsed for info in infos]),
        "peak_memory_mib": med([info.measurement.peak_rss_bytes / MIB for info in infos]),
        "extracted_rows": med([float(info.extracted) for info in infos]),
    }
    for kind in kinds:
        row[f"{kind}_seconds"] = med([info.by_type.get(kind, 0.0) for info in infos])
    row["outside_execution_seconds"] = row["wall_seconds"] - row["dbt_execution_seconds"]
    return row


def breakdown(result: ScaleResult) -> list[dict[str, Any]]:
    reps = result.repetitions
    return [
        _breakdown_row("orchestrator, full load", [r.full for r in reps]),
        _breakdown_row("orchestrator, incremental", [r.incremental for r in reps]),
        _breakdown_row("dbt build, incremental", [r.dbt_incremental for r in reps]),
        _breakdown_row("orchestrator, no change", [r.nochange for r in reps]),
        _breakdown_row("dbt build, no change", [r.dbt_nochange for r in reps]),
    ]


def checks(result: ScaleResult) -> dict[str, Any]:
    reps = result.repetitions
    return {
        "floor_matched": [bool(r.floor["matched"]) for r in reps],
        "floor_tables_checked": [int(r.floor["tables_checked"]) for r in reps],
        "floor_rows_checked": [int(r.floor["rows_checked"]) for r in reps],
        "floor_key_measure": reps[0].floor["key_measure"],
        "floor_key_values": [[r.floor["key_floor"], r.floor["key_built"]] for r in reps],
        "floor_mismatches": [[c for c in r.floor["checks"] if not c.get("matched")] for r in reps],
        "nochange_extracted_rows": [r.nochange.extracted for r in reps],
        "nochange_upserted_rows": [r.nochange.upserted for r in reps],
        "incremental_extracted_rows": [r.incremental.extracted for r in reps],
        "full_loaded_rows": [r.full.upserted for r in reps],
        "source_rows": [r.source_rows for r in reps],
        "run_ids": [[r.full.run_id, r.incremental.run_id, r.nochange.run_id] for r in reps],
    }


# --- machine and versions -------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": round(memory / 2**30, 1),
        "platform": platform.platform(),
        "load_average_at_end": [round(value, 2) for value in load],
    }


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("dbt-core", "dbt-duckdb", "duckdb", "streamlit"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10,
            cwd=Path(__file__).resolve().parents[1],
        ).stdout.strip()  # fmt: skip
        found["commit"] = commit
    except (OSError, subprocess.SubprocessError):
        pass
    return found


# --- files ----------------------------------------------------------------------------


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "rows/s":
        return f"{value:,.0f}"
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:g}"


def build_document(
    target: str, repeat: int, results: list[ScaleResult], started: datetime, seconds: float
) -> dict[str, Any]:
    return {
        "benchmark": "python -m bench (make bench)",
        "target": target,
        "date": started.isoformat(timespec="seconds"),
        "duration_seconds": round(seconds, 1),
        "repeat": repeat,
        "machine": machine(),
        "versions": versions(),
        "command": " ".join([Path(sys.executable).name, "-m", "bench", *sys.argv[1:]]),
        "memory_method": MEMORY_METHOD,
        "targets_note": "the issue states the targets for scale 10 on this 2-core machine; "
        "they are evaluated at every scale",
        "scales": [
            {
                "scale": result.scale,
                "figures": [figure.to_json() for figure in figures(result)],
                "breakdown": breakdown(result),
                "checks": checks(result),
                "monitor": {k: v for k, v in result.monitor.items() if k != "pages"}
                | ({"pages": result.monitor["pages"]} if "pages" in result.monitor else {}),
            }
            for result in results
        ],
    }


def markdown(document: dict[str, Any]) -> str:
    mach, vers = document["machine"], document["versions"]
    lines = [
        f"# Benchmark: {document['target']}, {document['date']}",
        "",
        f"- Machine: {mach['cpus']} CPUs ({mach['cpu_model']}), {mach['memory_gib']} GiB; "
        f"load average at the end {mach['load_average_at_end']}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in vers.items()),
        f"- Command: `{document['command']}`; {document['repeat']} repetition(s) per figure, "
        f"{document['duration_seconds']:.0f} s in all",
        "- Each figure: median, min and max of the repetitions; ratios are taken pair by "
        "pair (repetition i with repetition i), then summarised.",
        f"- Peak memory: {document['memory_method']}.",
        f"- Targets: {document['targets_note']}.",
        "",
    ]
    for scale in document["scales"]:
        lines += [
            f"## Scale {scale['scale']:g}",
            "",
            "| # | figure | median | min | max | target | verdict | note |",
            "|---|---|---:|---:|---:|---|---|---|",
        ]
        for fig in scale["figures"]:
            unit = fig["unit"]
            target = fig["target"] or {}
            verdict = target.get("verdict", "")
            if verdict and not target.get("met"):
                verdict = f"**{verdict}**"
            lines.append(
                f"| {fig['number']} | {fig['label']} | {_fmt(fig['median'], unit)} | "
                f"{_fmt(fig['min'], unit)} | {_fmt(fig['max'], unit)} | "
                f"{target.get('text', '')} | {verdict} | {fig['note']} |"
            )
        if "skipped" in scale["monitor"]:
            lines.append(f"| 7 | Monitor pages | - | - | - | | | {scale['monitor']['skipped']} |")
        checks_ = scale["checks"]
        lines += [
            "",
            f"Checks: engine floor results equal to dbt's: {checks_['floor_matched']} "
            f"({checks_['floor_tables_checked'][0]} tables, "
            f"{checks_['floor_rows_checked'][0]:,} rows: counts and the sum of every numeric "
            f"column; {checks_['floor_key_measure']} = {checks_['floor_key_values'][0][0]:,.2f}"
            f" in both); rows loaded by the no-change runs: {checks_['nochange_upserted_rows']}"
            f"; rows extracted by the incremental runs: "
            f"{checks_['incremental_extracted_rows']}.",
            "",
            "Where the time goes (medians; dbt execution = run_results.json elapsed_time, "
            "per-type columns = summed node execution times; outside = wall - execution: "
            "Python and dbt start-up, parsing, the orchestrator's own work):",
            "",
            "| run | wall | dbt execution | models | data tests | unit tests | hooks | "
            "outside | peak memory |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in scale["breakdown"]:
            lines.append(
                f"| {row['run']} | {row['wall_seconds']:.2f} s | "
                f"{row['dbt_execution_seconds']:.2f} s | {row['model_seconds']:.2f} s | "
                f"{row['test_seconds']:.2f} s | {row['unit_test_seconds']:.2f} s | "
                f"{row['operation_seconds']:.2f} s | {row['outside_execution_seconds']:.2f} s | "
                f"{row['peak_memory_mib']:,.0f} MiB |"
            )
        lines.append("")
    return "\n".join(lines)


def write(document: dict[str, Any], out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    day = datetime.fromisoformat(document["date"]).astimezone(UTC).strftime("%Y-%m-%d")
    stem = f"{document['target']}-{day}"
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    json_path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    md_path.write_text(markdown(document))
    return md_path, json_path
