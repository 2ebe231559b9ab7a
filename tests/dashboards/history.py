"""Fill a DuckDB warehouse's audit with synthetic run history, quickly (set-based SQL):
`runs` orchestrator runs over the last `days` days, each with one audit.etl_run_entity row
per entity of ctl.etl_control and two connection events. For the monitor's page-speed
checks (10,000 runs).

    python -m tests.dashboards.history WAREHOUSE.duckdb [--runs 10000] [--days 30]
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import duckdb


def fill_history(warehouse: Path, runs: int = 10_000, days: int = 30) -> int:
    """Insert `runs` finished runs (about 95% success, 4% partial, 1% failed) before now.
    Returns the number of audit.etl_run_entity rows written."""
    now = datetime.now(UTC).replace(tzinfo=None)
    span_seconds = days * 86_400
    with duckdb.connect(str(warehouse)) as conn:
        entities = [
            row[0] for row in conn.execute("select entity_name from ctl.etl_control").fetchall()
        ]
        conn.execute(
            """
            create temp table synthetic_runs as
            select
                'hist-' || lpad(cast(i as varchar), 6, '0') as run_id,
                cast(? as timestamp) - to_seconds(cast(? as bigint) * (i + 1) / ?) as started_at,
                case when i % 100 = 0 then 'failed' when i % 25 = 0 then 'partial'
                    else 'success' end as status,
                i
            from range(?) as r(i)
            """,
            [now, span_seconds, runs, runs],
        )
        conn.execute(
            """
            insert into audit.etl_run (run_id, entities_requested, started_by, started_at,
                finished_at, status, entities_succeeded, entities_failed, error_message,
                is_dry_run, target, pid, full_refresh)
            select run_id, 'all', 'history@bench', started_at,
                started_at + to_seconds(30), status,
                case when status = 'success' then ? else ? - 1 end,
                case when status = 'success' then 0 else 1 end,
                case when status = 'success' then null
                    else 'fact_vendas: [timeout] synthetic failure' end,
                false, 'duckdb', 1, false
            from synthetic_runs
            """,
            [len(entities), len(entities)],
        )
        conn.execute(
            "create temp table synthetic_entities as select unnest(?::varchar[]) as entity_name",
            [entities],
        )
        conn.execute(
            """
            insert into audit.etl_run_entity (run_id, entity_name, started_at, finished_at,
                status, load_kind, extracted_count, upserted_count, soft_deleted_count,
                quarantined_count, batches, backlog_after_count, tests_passed, tests_warned,
                tests_failed, error_message, error_category, error_action, is_dry_run)
            select run.run_id, entity.entity_name, run.started_at + to_seconds(2),
                run.started_at + to_seconds(4),
                case when run.status <> 'success' and entity.entity_name = 'fact_vendas'
                    then 'failed' else 'success' end,
                'incremental', 100 + run.i % 50, 100 + run.i % 50, 0, 0, 1, 0, 10, 0, 0,
                case when run.status <> 'success' and entity.entity_name = 'fact_vendas'
                    then 'synthetic failure: timeout' end,
                case when run.status <> 'success' and entity.entity_name = 'fact_vendas'
                    then 'timeout' end,
                null, false
            from synthetic_runs as run
            cross join synthetic_entities as entity
            """
        )
        conn.execute(
            """
            insert into audit.connection_login_events (event_time, login_name, host_name,
                program_name, database_name, status, client_address, error_message, run_id,
                source, event_kind)
            select started_at + to_seconds(offset_s), 'etl_user', 'bench-host',
                'ecommerce_dw orchestrator', 'dw', 'success', 'local', null, run_id,
                'orchestrator', 'connect'
            from synthetic_runs cross join (values (0), (30)) as moments(offset_s)
            """
        )
        written = conn.execute(
            "select count(*) from audit.etl_run_entity where run_id like 'hist-%'"
        ).fetchone()[0]
    return int(written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    rows = fill_history(args.warehouse, args.runs, args.days)
    print(f"{args.runs} runs, {rows} entity rows written to {args.warehouse}")


if __name__ == "__main__":
    main()
