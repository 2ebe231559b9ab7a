"""Print what the last dbt invocation loaded, entity by entity, from audit.etl_load_window.

python -m orchestrator.summary [--target duckdb|postgres]
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target", default=os.environ.get("ETL_TARGET", "duckdb"), choices=["duckdb", "postgres"]
    )
    args = parser.parse_args(argv)
    loads = last_invocation_loads(args.target)
    if not loads:
        print("no load recorded yet in audit.etl_load_window", file=sys.stderr)
        return 1
    print(format_table(loads))
    return 0 if all(load.status in ("loaded", "inactive") for load in loads) else 1


if __name__ == "__main__":
    sys.exit(main())
