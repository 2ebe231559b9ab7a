"""Per-run summaries: what a run (or the last dbt invocation) loaded, entity by entity.

python -m orchestrator.summary [--target duckdb|postgres] [--run-id RUN_ID | --last-run]

Without --run-id / --last-run: the newest dbt invocation in audit.etl_load_window (works
when dbt is run directly). With them: the orchestrator run's audit.etl_run_entity rows.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from orchestrator.warehouse import connect_warehouse

SUMMARY_SQL = """
    select
        entity_name,
        load_kind,
        status,
        extracted_count,
        upserted_count,
        soft_deleted_count,
        quarantined_count,
        batches,
        watermark_to_updated_at,
        watermark_to_id
    from audit.etl_load_window
    where invocation_id = (
        select invocation_id from audit.etl_load_window order by planned_at desc limit 1
    )
    order by planned_at
"""


@dataclass(frozen=True)
class EntityLoad:
    entity: str
    kind: str
    status: str
    extracted: int
    upserted: int | None
    soft_deleted: int | None
    quarantined: int | None
    batches: int
    watermark: str


def last_invocation_loads(target: str) -> list[EntityLoad]:
    """The per-entity loads of the newest dbt invocation recorded in the warehouse."""
    with connect_warehouse(target, read_only=True) as conn:
        cur = conn.cursor()
        cur.execute(SUMMARY_SQL)
        rows = cur.fetchall()
    return [
        EntityLoad(
            entity=row[0],
            kind=row[1],
            status=row[2],
            extracted=int(row[3]),
            upserted=None if row[4] is None else int(row[4]),
            soft_deleted=None if row[5] is None else int(row[5]),
            quarantined=None if row[6] is None else int(row[6]),
            batches=int(row[7]),
            watermark="-" if row[8] is None else f"{row[8]:%Y-%m-%d %H:%M:%S} #{row[9]}",
        )
        for row in rows
    ]


def format_table(loads: list[EntityLoad]) -> str:
    header = (
        "entity",
        "load",
        "status",
        "extracted",
        "upserted",
        "soft-del",
        "quarantined",
        "watermark",
    )
    body = [
        (
            load.entity,
            load.kind,
            load.status,
            str(load.extracted),
            "-" if load.upserted is None else str(load.upserted),
            "-" if load.soft_deleted is None else str(load.soft_deleted),
            "-" if load.quarantined is None else str(load.quarantined),
            load.watermark,
        )
        for load in loads
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


class RunEntityRow(Protocol):
    """What the per-run table needs of an entity outcome (audit.EntityOutcome has it)."""

    entity: str
    status: str
    extracted: int | None
    upserted: int | None
    quarantined: int | None

    @property
    def duration_seconds(self) -> float | None: ...


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def format_run_table(rows: Sequence[RunEntityRow]) -> str:
    """entity, extracted, upserted, quarantined, duration, rows/s, status."""
    header = ("entity", "extracted", "upserted", "quarantined", "duration", "rows/s", "status")
    body = []
    for row in rows:
        duration = row.duration_seconds
        rate = "-"
        if duration and row.upserted is not None:
            rate = f"{row.upserted / duration:,.0f}"
        body.append(
            (
                row.entity,
                _count(row.extracted),
                _count(row.upserted),
                _count(row.quarantined),
                "-" if duration is None else f"{duration:.1f}s",
                rate,
                row.status,
            )
        )
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    numeric = {1, 2, 3, 4, 5}
    lines = [
        "  ".join(
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


@dataclass(frozen=True)
class StoredEntity:
    entity: str
    status: str
    extracted: int | None
    upserted: int | None
    quarantined: int | None
    duration: float | None

    @property
    def duration_seconds(self) -> float | None:
        return self.duration


def run_entities(target: str, run_id: str | None) -> tuple[str, list[StoredEntity]]:
    """(run_id, rows) of an orchestrator run from audit.etl_run_entity; the newest run
    when run_id is None."""
    marker = "%s" if target == "postgres" else "?"
    with connect_warehouse(target, read_only=True) as conn:
        cur = conn.cursor()
        if run_id is None:
            cur.execute("select run_id from audit.etl_run order by started_at desc limit 1")
            found = cur.fetchall()
            if not found:
                return "", []
            run_id = str(found[0][0])
        cur.execute(
            "select entity_name, status, extracted_count, upserted_count, quarantined_count,"
            " started_at, finished_at from audit.etl_run_entity where run_id = "
            + marker
            + " order by started_at, entity_name",
            (run_id,),
        )
        rows = cur.fetchall()
    return run_id, [
        StoredEntity(
            entity=row[0],
            status=row[1],
            extracted=row[2],
            upserted=row[3],
            quarantined=row[4],
            duration=None
            if row[5] is None or row[6] is None
            else (row[6] - row[5]).total_seconds(),
        )
        for row in rows
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target", default=os.environ.get("ETL_TARGET", "duckdb"), choices=["duckdb", "postgres"]
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--run-id", help="an orchestrator run id (audit.etl_run)")
    which.add_argument("--last-run", action="store_true", help="the newest orchestrator run")
    args = parser.parse_args(argv)
    if args.run_id or args.last_run:
        run_id, rows = run_entities(args.target, args.run_id)
        if not rows:
            print("no orchestrator run recorded in audit.etl_run_entity", file=sys.stderr)
            return 1
        print(f"run {run_id}")
        print(format_run_table(rows))
        return 0 if all(row.status in ("success", "inactive", "dry_run") for row in rows) else 1
    loads = last_invocation_loads(args.target)
    if not loads:
        print("no load recorded yet in audit.etl_load_window", file=sys.stderr)
        return 1
    print(format_table(loads))
    return 0 if all(load.status in ("loaded", "inactive") for load in loads) else 1


if __name__ == "__main__":
    sys.exit(main())
