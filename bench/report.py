"""The benchmark's document: machine, versions, every scale's figures; as Markdown and JSON."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import postgres
from bench.figures import TARGET_NOTES, breakdown, checks, figures, source_reads, versus
from bench.scenario import ScaleResult

MEMORY_METHOD = (
    "peak of the summed VmRSS of the command's process tree, sampled from /proc every "
    "50 ms (psutil is not installed), or the kernel's exact ru_maxrss of the largest "
    "single process (os.wait4) when that is higher"
)


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


ADAPTERS = {
    "duckdb": ("dbt-duckdb", "duckdb"),
    "postgres": ("dbt-postgres", "psycopg2-binary"),
    # with the DuckDB baseline it runs beside
    "spark": ("dbt-spark", "pyspark", "snowpark-connect-deps-iceberg", "dbt-duckdb", "duckdb"),
}


def versions(target: str) -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("dbt-core", *ADAPTERS[target], "streamlit"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    if target == "postgres":
        found["postgresql"] = postgres.server_version()
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
    if unit == "rows":
        return f"{value:,.0f}"
    return f"{value:g}"


def _scale_json(result: ScaleResult, target: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "scale": result.scale,
        "figures": [figure.to_json() for figure in figures(result, target)],
        "breakdown": breakdown(result),
        "checks": checks(result),
        "source_reads": source_reads(result, target),
        "monitor": result.monitor,
    }
    if result.baseline is not None:
        found["versus_duckdb"] = versus(result, result.baseline)
        found["duckdb"] = _scale_json(result.baseline, "duckdb")
    return found


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
        "versions": versions(target),
        "command": " ".join([Path(sys.executable).name, "-m", "bench", *sys.argv[1:]]),
        "memory_method": MEMORY_METHOD,
        "targets_note": "the issue states the targets for scale 10 on this 2-core machine; "
        "they are evaluated at every scale",
        "notes": list(TARGET_NOTES[target]),
        "scales": [_scale_json(result, target) for result in results],
    }


def _figure_lines(scale: dict[str, Any]) -> list[str]:
    lines = [
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
    return lines


def _checks_line(found: dict[str, Any]) -> str:
    parts = []
    if "floor_matched" in found:
        parts.append(
            f"engine floor results equal to dbt's: {found['floor_matched']} "
            f"({found['floor_tables_checked'][0]} tables, "
            f"{found['floor_rows_checked'][0]:,} rows: counts and the sum of every numeric "
            f"column; {found['floor_key_measure']} = {found['floor_key_values'][0][0]:,.2f}"
            " in both)"
        )
    parts += [
        f"rows loaded by the no-change runs: {found['nochange_upserted_rows']}",
        f"source rows changed by the wave: {found['wave_changed_rows']}",
        f"rows extracted by the incremental runs: {found['incremental_extracted_rows']}",
    ]
    return "Checks: " + "; ".join(parts) + "."


def _breakdown_lines(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "Where the time goes (medians; dbt execution = run_results.json elapsed_time, "
        "per-type columns = summed node execution times; outside = wall - execution: "
        "Python and dbt start-up, parsing, the orchestrator's own work):",
        "",
        "| run | wall | dbt execution | models | data tests | unit tests | hooks | "
        "outside | peak memory |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['run']} | {row['wall_seconds']:.2f} s | "
            f"{row['dbt_execution_seconds']:.2f} s | {row['model_seconds']:.2f} s | "
            f"{row['test_seconds']:.2f} s | {row['unit_test_seconds']:.2f} s | "
            f"{row['operation_seconds']:.2f} s | {row['outside_execution_seconds']:.2f} s | "
            f"{row['peak_memory_mib']:,.0f} MiB |"
        )
    return lines


def _median(stats: dict[str, Any] | None, unit: str) -> str:
    return "-" if stats is None else _fmt(stats["median"], unit)


def _reads_lines(reads: dict[str, Any]) -> list[str]:
    lines = [
        f"Source rows read per run (medians; {reads['source_rows'][0]:,} source rows, "
        f"{reads['wave_changed_rows'][0]:,} changed by the wave; ratios taken repetition by "
        f"repetition). Method: {reads['method']}.",
        "",
        "| run | wall | / full load (time) | source rows read | per source row | "
        "per changed row | / full load (rows read) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in reads["runs"]:
        lines.append(
            f"| {run['run']} | {_median(run['wall_seconds'], 's')} | "
            f"{_median(run['over_full_seconds'], 'x')} | {_median(run['rows_read'], 'rows')} | "
            f"{_median(run['per_source_row'], 'x')} | {_median(run['per_changed_row'], 'x')} | "
            f"{_median(run['over_full_rows_read'], 'x')} |"
        )
    if not reads["measured"]:
        return lines
    runs = reads["runs"]
    lines += ["", "Source rows read by table (medians):", "",
              "| table | rows | " + " | ".join(run["run"] for run in runs) + " |",
              "|---|---:|" + "---:|" * len(runs)]  # fmt: skip
    for table, rows in reads["source_table_rows"].items():
        counts = " | ".join(f"{run['by_table'].get(table, 0):,.0f}" for run in runs)
        lines.append(f"| {table} | {rows:,} | {counts} |")
    return lines


def _versus_lines(target: str, rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        f"{target} beside DuckDB, in the same command (medians; the ratio {target} / DuckDB "
        "taken repetition by repetition):",
        "",
        f"| run | DuckDB | {target} | {target} / DuckDB (median) | min | max | rows (DuckDB) "
        f"| rows ({target}) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ratio = row["engine_over_duckdb"]
        lines.append(
            f"| {row['run']} | {_fmt(row['duckdb_seconds']['median'], 's')} | "
            f"{_fmt(row['engine_seconds']['median'], 's')} | {_fmt(ratio['median'], 'x')} | "
            f"{_fmt(ratio['min'], 'x')} | {_fmt(ratio['max'], 'x')} | "
            f"{', '.join(f'{n:,}' for n in row['duckdb_rows'])} | "
            f"{', '.join(f'{n:,}' for n in row['engine_rows'])} |"
        )
    return lines


def _scale_lines(scale: dict[str, Any], heading: str) -> list[str]:
    return [heading, "", *_figure_lines(scale), "", _checks_line(scale["checks"]), "",
            *_reads_lines(scale["source_reads"]), "", *_breakdown_lines(scale["breakdown"]),
            ""]  # fmt: skip


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
        *(f"- {note}" for note in document["notes"]),
        "",
    ]
    for scale in document["scales"]:
        heading = f"## Scale {scale['scale']:g}"
        if "versus_duckdb" not in scale:
            lines += _scale_lines(scale, heading)
            continue
        lines += [heading, "", *_versus_lines(document["target"], scale["versus_duckdb"]), "",
                  *_scale_lines(scale, f"### {document['target']}"),
                  *_scale_lines(scale["duckdb"], "### DuckDB, the same runs")]  # fmt: skip
    return "\n".join(lines)


def write(document: dict[str, Any], out: Path) -> tuple[Path, Path]:
    """bench/results/<target>-<date>-scale<s>[-<s>...].md and .json."""
    out.mkdir(parents=True, exist_ok=True)
    day = datetime.fromisoformat(document["date"]).astimezone(UTC).strftime("%Y-%m-%d")
    scales = "-".join(f"{scale['scale']:g}" for scale in document["scales"])
    stem = f"{document['target']}-{day}-scale{scales}"
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    json_path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    md_path.write_text(markdown(document))
    return md_path, json_path
