"""python -m bench --scale 1 --scale 10 [--target duckdb|postgres|spark] [--repeat 3]
[--out bench/results] [--pg-prefix NAME] [--runs-only]

On spark the runs only (--runs-only is implied), each repetition beside the same one on
DuckDB, with the ratios Spark / DuckDB."""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

from bench import report
from bench.measure import CommandFailed
from bench.scenario import Bench, ScaleResult, run_beside_duckdb

log = logging.getLogger("bench")

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED_TARGETS = ("duckdb", "postgres", "spark")
PG_PREFIX = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")  # + "_s<scale>_<slot>": within 63 chars


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark generation, full, incremental and no-change loads, the "
        "orchestrator's overhead, the engine floor and the monitor; writes a Markdown table "
        "and a JSON file.",
    )
    parser.add_argument(
        "--scale", type=float, action="append", help="scale factor; repeatable (default: 1, 10)"
    )
    parser.add_argument(
        "--target", default="duckdb", help=f"dbt target ({', '.join(SUPPORTED_TARGETS)})"
    )
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per figure (3)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--work-dir", type=Path, help="scratch directory (default: a new temp dir, removed)"
    )
    parser.add_argument("--keep-work", action="store_true", help="keep the scratch directory")
    parser.add_argument(
        "--monitor-runs", type=int, default=10_000, help="runs of audit history (10000)"
    )
    parser.add_argument(
        "--pg-prefix",
        default=f"bench_{uuid.uuid4().hex[:8]}",
        help="postgres: scratch databases are <prefix>_s<scale>_<slot>, dropped at the end "
        "(default: bench_<random>)",
    )
    parser.add_argument(
        "--runs-only",
        action="store_true",
        help="only the orchestrator's full, wave and no-change runs and the source rows they "
        "read: no engine floor, dbt alone, dbt start-up or monitor (implied on spark)",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


def database_prefix(prefix: str, scale: float) -> str:
    """The prefix of one scale's scratch databases: bench_1a2b3c4d_s0_01 for scale 0.01."""
    return f"{prefix}_s" + re.sub(r"[^0-9a-z]", "_", f"{scale:g}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.target not in SUPPORTED_TARGETS:
        print(f"error: target {args.target!r} is not benchmarked yet "
              f"(supported: {', '.join(SUPPORTED_TARGETS)})", file=sys.stderr)  # fmt: skip
        return 2
    if not PG_PREFIX.match(args.pg_prefix):
        print("error: --pg-prefix must be a lowercase identifier of at most 40 characters",
              file=sys.stderr)  # fmt: skip
        return 2
    if args.repeat < 1:
        print("error: --repeat must be >= 1", file=sys.stderr)
        return 2
    scales = args.scale or [1.0, 10.0]
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="bench-"))
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    results: list[ScaleResult] = []
    try:
        for scale in scales:
            print(f"bench: scale {scale:g}, {args.repeat} repetition(s) in {work}", flush=True)
            scale_work = work / f"scale-{scale:g}"
            if args.target == "spark":
                results.append(run_beside_duckdb(scale, args.repeat, scale_work, args.target))
            else:
                bench = Bench(
                    scale, args.repeat, scale_work, args.monitor_runs, target=args.target,
                    database_prefix=database_prefix(args.pg_prefix, scale),
                    runs_only=args.runs_only,
                )  # fmt: skip
                results.append(bench.run())
            document = report.build_document(  # written after every scale: kept on failure
                args.target, args.repeat, results, started_at, time.perf_counter() - started
            )
            md_path, json_path = report.write(document, args.out)
    except (CommandFailed, RuntimeError, psycopg2.Error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"scratch kept for inspection: {work}", file=sys.stderr)
        return 1
    if not (args.keep_work or args.work_dir):
        shutil.rmtree(work, ignore_errors=True)
    print(report.markdown(document))
    print(f"written: {md_path} and {json_path}")
    return 0
