"""Command line of the orchestrator (the flow of a run is orchestrator/flow.py).

python orchestrator/run.py --entity all|<entity>[,<entity>...]
    [--target duckdb|postgres|sqlserver|spark] [--dry-run] [--full-refresh] [--full-checks]
    [--batch-size N] [--cutoff-minutes N] [--max-batches N]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from orchestrator.config import (
    TARGETS,
    Overrides,
    RunConfig,
    parse_entities,
    validate_etl_now,
    validate_override,
)
from orchestrator.errors import EXIT_INTERRUPTED, EXIT_USAGE, OrchestratorError, UsageError
from orchestrator.flow import (
    INTERRUPTED_MESSAGE,
    RUN_DIRS_KEPT,
    Orchestrator,
    first_line,
    prune_run_dirs,
)

EPILOG = """\
exit codes:
  0    every entity succeeded (or was inactive)
  1    some or all entities failed, or dbt itself broke (see audit.etl_run)
  2    usage or configuration error, nothing was run: unknown entity, invalid override,
       bad target, unreachable database, missing source table
  3    another run holds this warehouse (its run id, pid and start time are printed)
  130  interrupted (Ctrl-C / SIGTERM): dbt was stopped, the run closed as failed

environment: ETL_TARGET, ETL_DUCKDB_PATH, ETL_OLTP_DUCKDB_PATH, ETL_PG_* , ETL_SQL_*,
ETL_NOW (pin "now", for tests), ETL_LOG_LEVEL (default WARNING).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python orchestrator/run.py",
        description=(
            "Load the warehouse: runs dbt (build, or compile for --dry-run) for the ETL "
            "entities, writes audit.etl_run / audit.etl_run_entity from dbt's results and "
            "keeps ctl.etl_control true. Entities are the dbt models and snapshots with "
            "meta.etl."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--entity",
        required=True,
        help="'all' or a comma-separated list of entity models (dim_cliente,fact_vendas)",
    )
    parser.add_argument(
        "--target",
        default=os.environ.get("ETL_TARGET", "duckdb"),
        help="dbt target: duckdb (default), postgres, sqlserver or spark",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="compute the load windows (audit.etl_load_window status dry_run), load nothing",
    )
    parser.add_argument(
        "--full-refresh", action="store_true", help="rebuild the tables and reset watermarks"
    )
    parser.add_argument(
        "--full-checks",
        action="store_true",
        help="test the whole warehouse, not just the rows this run loads, and compare the"
        " snapshots with the whole source (rows deleted from it)",
    )
    parser.add_argument("--batch-size", type=int, help="rows per batch, 1-100000 (this run)")
    parser.add_argument(
        "--cutoff-minutes", type=int, help="ignore rows changed in the last N minutes, 0-1440"
    )
    parser.add_argument("--max-batches", type=int, help="stop each entity after N batches (>= 1)")
    parser.add_argument("--now", default=os.environ.get("ETL_NOW", ""), help=argparse.SUPPRESS)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    return parser


def parse_config(argv: list[str] | None) -> tuple[RunConfig, bool]:
    args = build_parser().parse_args(argv)
    if args.target not in TARGETS:
        raise UsageError(f"unknown target {args.target!r}: expected one of {', '.join(TARGETS)}")
    overrides = Overrides(
        batch_size=validate_override("batch_size", args.batch_size),
        cutoff_minutes=validate_override("cutoff_minutes", args.cutoff_minutes),
        max_batches=validate_override("max_batches", args.max_batches),
    )
    config = RunConfig(
        entities=parse_entities(args.entity),
        target=args.target,
        dry_run=args.dry_run,
        full_refresh=args.full_refresh,
        full_checks=args.full_checks,
        overrides=overrides,
        etl_now=validate_etl_now(args.now),
    )
    return config, args.verbose


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("ETL_LOG_LEVEL", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        config, verbose = parse_config(argv)
        if verbose:
            logging.getLogger().setLevel(logging.INFO)
        try:
            return Orchestrator(config).execute()
        finally:
            prune_run_dirs(config.run_dir.parent, keep=RUN_DIRS_KEPT)
    except OrchestratorError as exc:
        print(f"error: {first_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"error: {INTERRUPTED_MESSAGE}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit as exc:  # --help
        return int(exc.code or 0)


__all__ = ["EXIT_USAGE", "build_parser", "main"]
