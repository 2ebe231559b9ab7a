"""Command line: ``python -m generator`` / ``oltp-generate``.

Errors are one line on stderr: exit code 2 for usage errors, 1 for runtime or connection
errors (existing source, wave out of order, unreachable database), never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import date
from typing import NoReturn

from generator.api import apply_wave, generate, validate_scale
from generator.config import DEFAULT_DUCKDB_PATH
from generator.errors import GeneratorError, UsageError, one_line
from generator.schema import DEFAULT_FLAG_TYPE, FLAG_TYPES, TABLE_NAMES
from generator.targets import TARGETS


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see --help)\n")


def _scale(text: str) -> float:
    try:
        return validate_scale(float(text))
    except (ValueError, UsageError) as exc:
        raise argparse.ArgumentTypeError(
            str(exc) if isinstance(exc, UsageError) else f"scale must be a number (got {text!r})"
        ) from None


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"seed must be an integer (got {text!r})") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"seed must be >= 0 (got {value})")
    return value


def _wave(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"wave must be an integer (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"wave must be >= 1 (got {value})")
    return value


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD (got {text!r})") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m generator",
        description="Generate the e-commerce OLTP source (ECOMMERCE_OLTP.core, 11 tables), "
        "or apply an incremental wave to it.",
    )
    parser.add_argument("--target", choices=TARGETS, default="duckdb", help="default: duckdb")
    parser.add_argument(
        "--scale", type=_scale, default=None, help="volume factor, 1 = 90,000 orders (default 1)"
    )
    parser.add_argument("--seed", type=_seed, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--as-of",
        type=_as_of,
        default=None,
        metavar="YYYY-MM-DD",
        help="orders cover 3 years ending the day before (default: today UTC)",
    )
    parser.add_argument(
        "--wave", type=_wave, default=None, metavar="N", help="apply incremental wave N"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing source")
    parser.add_argument(
        "--duckdb-path",
        default=None,
        metavar="PATH",
        help=f"DuckDB file (default: $ETL_OLTP_DUCKDB_PATH or {DEFAULT_DUCKDB_PATH}); with"
        " --target spark, the working copy beside the Parquet files (default: oltp.duckdb in"
        " $ETL_SPARK_SOURCE_DIR, else $ETL_SPARK_DIR/oltp)",
    )
    parser.add_argument(
        "--no-checks",
        action="store_true",
        help="create tables without CHECK/UNIQUE/NOT NULL constraints (primary keys stay)",
    )
    parser.add_argument(
        "--flag-type",
        choices=FLAG_TYPES,
        default=None,
        help="how flag columns are stored on duckdb and postgres: boolean (default) or"
        " smallint 0/1; sqlserver always uses BIT",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    return parser


def _print_counts(header: list[str], rows: list[list[object]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [
            str(v).ljust(widths[0]) if i == 0 else str(v).rjust(widths[i])
            for i, v in enumerate(row)
        ]
        print("  ".join(cells))


def run(args: argparse.Namespace) -> None:
    if args.wave is not None:
        misplaced = [
            flag
            for flag, value in (
                ("--scale", args.scale),
                ("--as-of", args.as_of),
                ("--force", args.force or None),
                ("--no-checks", args.no_checks or None),
                ("--flag-type", args.flag_type),
            )
            if value is not None
        ]
        if misplaced:
            raise UsageError(f"{', '.join(misplaced)} cannot be combined with --wave")
        report = apply_wave(args.wave, args.target, args.seed, args.duckdb_path)
        print(
            f"applied wave {report.wave} to {report.location} in {report.elapsed_seconds:.1f} s"
            f" (updated_at {report.started_at.isoformat(sep=' ', timespec='seconds')}"
            f" .. {report.ended_at.isoformat(sep=' ', timespec='seconds')})"
        )
        _print_counts(
            ["table", "inserted", "updated", "soft_deleted"],
            [
                [t, report.inserted[t], report.updated[t], report.soft_deleted[t]]
                for t in TABLE_NAMES
            ],
        )
        return
    report = generate(
        target=args.target,
        scale=1.0 if args.scale is None else args.scale,
        seed=args.seed,
        as_of=args.as_of,
        force=args.force,
        duckdb_path=args.duckdb_path,
        checks=not args.no_checks,
        flag_type=args.flag_type or DEFAULT_FLAG_TYPE,
    )
    print(
        f"generated {report.total_rows:,} rows at {report.location} in"
        f" {report.elapsed_seconds:.1f} s (scale {report.scale:g}, seed {report.seed},"
        f" as-of {report.as_of}, {report.flag_type} flags"
        f"{', no checks' if not report.checks else ''})"
    )
    _print_counts(["table", "rows"], [[t, report.rows[t]] for t in TABLE_NAMES])


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error already printed (2)
        return exc.code if isinstance(exc.code, int) else 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        run(args)
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or an unexpected driver failure: still one line
        print(f"error: unexpected {type(exc).__name__}: {one_line(exc)}", file=sys.stderr)
        return 1
    return 0
