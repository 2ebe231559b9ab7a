"""Monitor and business dashboard page render times against a warehouse with a long audit
history.

Two steps, run in a subprocess of their own (AppTest runs the app in-process):

1. `fill_history`: adds `runs` finished orchestrator runs to audit.etl_run (one row per
   entity of ctl.etl_control in audit.etl_run_entity, two connection events each) over
   the last 30 days, set-based (`insert ... select ... from range(n)`): about a second
   for 10,000 runs. Only columns the audit tables really have are written, so the fill
   follows the orchestrator's DDL as it evolves.
2. `time_pages`: every page of dashboards/monitor/app_pages through
   `streamlit.testing.v1.AppTest`, each `repeat` times with cold caches (st.cache_data
   and st.cache_resource cleared: what the first visitor after a refresh waits for) and
   then once more on the same session (warm: cached loaders). One untimed render first,
   so Streamlit's own imports are not charged to the first page.
3. `time_dashboards`: the same for every page of the business dashboards (Vendas, Metas,
   Descontos e ROI), on the same warehouse, with each app's default period and filters.

    python -m bench.monitor --warehouse DW --source OLTP --artifacts DIR --json OUT
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboards" / "monitor" / "app.py"
PAGES_DIR = APP.parent / "app_pages"
BUSINESS_APPS = ("vendas", "metas", "descontos")
HISTORY_DAYS = 30

# column -> SQL expression over `synthetic_runs` (alias run) [and `synthetic_entities`]
RUN_COLUMNS: dict[str, str] = {
    "run_id": "run.run_id",
    "entities_requested": "'all'",
    "started_by": "'bench@history'",
    "started_at": "run.started_at",
    "finished_at": "run.started_at + to_seconds(30)",
    "status": "run.status",
    "entities_succeeded": "case when run.status = 'success' then $n else $n - 1 end",
    "entities_failed": "case when run.status = 'success' then 0 else 1 end",
    "error_message": "case when run.status <> 'success' "
    "then 'fact_vendas: [timeout] synthetic failure' end",
    "is_dry_run": "false",
    "target": "'duckdb'",
    "pid": "1",
    "full_refresh": "false",
}
ENTITY_FAILED = "run.status <> 'success' and entity.entity_name = 'fact_vendas'"
ENTITY_COLUMNS: dict[str, str] = {
    "run_id": "run.run_id",
    "entity_name": "entity.entity_name",
    "started_at": "run.started_at + to_seconds(2)",
    "finished_at": "run.started_at + to_seconds(4)",
    "status": f"case when {ENTITY_FAILED} then 'failed' else 'success' end",
    "load_kind": "'incremental'",
    "extracted_count": "100 + run.i % 50",
    "upserted_count": "100 + run.i % 50",
    "soft_deleted_count": "0",
    "quarantined_count": "0",
    "batches": "1",
    "backlog_after_count": "0",
    "tests_passed": "10",
    "tests_warned": "0",
    "tests_failed": "0",
    "error_message": f"case when {ENTITY_FAILED} then 'synthetic failure: timeout' end",
    "error_category": f"case when {ENTITY_FAILED} then 'timeout' end",
    "is_dry_run": "false",
}
EVENT_COLUMNS: dict[str, str] = {
    "event_time": "run.started_at + to_seconds(moment.offset_s)",
    "login_name": "'etl_user'",
    "host_name": "'bench-host'",
    "program_name": "'ecommerce_dw orchestrator'",
    "database_name": "'dw'",
    "status": "'success'",
    "client_address": "'local'",
    "run_id": "run.run_id",
    "source": "'orchestrator'",
    "event_kind": "'connect'",
}


@dataclass(frozen=True)
class PageTiming:
    page: str
    cold_seconds: list[float]
    warm_seconds: float
    exceptions: int


def _columns(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    rows = conn.execute(
        "select column_name from information_schema.columns"
        " where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return {str(row[0]) for row in rows}


def _insert(
    conn: duckdb.DuckDBPyConnection, table: str, wanted: dict[str, str], source: str, n: int
) -> None:
    present = _columns(conn, "audit", table)
    columns = [name for name in wanted if name in present]
    exprs = [wanted[name].replace("$n", str(n)) for name in columns]
    conn.execute(
        f"insert into audit.{table} ({', '.join(columns)}) select {', '.join(exprs)} from {source}"
    )


def fill_history(warehouse: Path, runs: int) -> int:
    """Add `runs` synthetic finished runs; returns the audit.etl_run_entity rows added."""
    with duckdb.connect(str(warehouse)) as conn:
        entities = [
            str(row[0])
            for row in conn.execute("select entity_name from ctl.etl_control").fetchall()
        ]
        now = conn.execute("select cast(now() at time zone 'UTC' as timestamp)").fetchone()
        conn.execute(
            """
            create temp table synthetic_runs as
            select
                'bench-' || lpad(cast(i as varchar), 6, '0') as run_id,
                cast(? as timestamp) - to_seconds(cast(? as bigint) * (i + 1) / ?) as started_at,
                case when i % 100 = 0 then 'failed' when i % 25 = 0 then 'partial'
                    else 'success' end as status,
                i
            from range(?) as r(i)
            """,
            [now[0] if now else None, HISTORY_DAYS * 86_400, runs, runs],
        )
        conn.execute(
            "create temp table synthetic_entities as select unnest(?) as entity_name",
            [entities],
        )
        _insert(conn, "etl_run", RUN_COLUMNS, "synthetic_runs as run", len(entities))
        _insert(
            conn,
            "etl_run_entity",
            ENTITY_COLUMNS,
            "synthetic_runs as run cross join synthetic_entities as entity",
            len(entities),
        )
        if "connection_login_events" in {
            str(row[0])
            for row in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'audit'"
            ).fetchall()
        }:
            _insert(
                conn,
                "connection_login_events",
                EVENT_COLUMNS,
                "synthetic_runs as run cross join (values (0), (30)) as moment(offset_s)",
                len(entities),
            )
        row = conn.execute(
            "select count(*) from audit.etl_run_entity where run_id like 'bench-%'"
        ).fetchone()
    return int(row[0]) if row else 0


def pages(folder: Path = PAGES_DIR) -> list[str]:
    return sorted(path.stem for path in folder.glob("*.py") if not path.stem.startswith("_"))


def _clear_caches() -> None:
    import streamlit as st

    from dashboards.common import cache

    st.cache_data.clear()
    st.cache_resource.clear()
    cache.clear_caches()  # the dashboards' own caches too (snapshot copies of small views)


def time_pages(
    repeat: int, timeout: float = 600.0, app: Path = APP, label: str = ""
) -> list[PageTiming]:
    """Cold (repeat times) and warm render time of every page of `app`; page names are
    prefixed with `label/` when given."""
    from streamlit.testing.v1 import AppTest

    for name in ("streamlit", "streamlit.runtime"):
        logging.getLogger(name).setLevel(logging.ERROR)
    AppTest.from_file(str(app), default_timeout=timeout).run()  # imports, untimed
    timings: list[PageTiming] = []
    for page in pages(app.parent / "app_pages"):
        cold: list[float] = []
        exceptions = 0
        test = None
        for _ in range(repeat):
            _clear_caches()
            test = AppTest.from_file(str(app), default_timeout=timeout)
            test.switch_page(f"app_pages/{page}.py")
            started = time.perf_counter()
            test.run()
            cold.append(time.perf_counter() - started)
            exceptions += len(test.exception)
        assert test is not None
        started = time.perf_counter()
        test.run()
        warm = time.perf_counter() - started
        exceptions += len(test.exception)
        if exceptions:
            log.warning("page %s raised: %s", page, [item.value for item in test.exception])
        timings.append(PageTiming(f"{label}/{page}" if label else page, cold, warm, exceptions))
    return timings


def time_dashboards(repeat: int) -> list[PageTiming]:
    """Every page of each business dashboard present (Vendas, Metas, Descontos e ROI)."""
    timings: list[PageTiming] = []
    for name in BUSINESS_APPS:
        app = ROOT / "dashboards" / name / "app.py"
        if app.exists():
            timings += time_pages(repeat, app=app, label=name)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="monitor and dashboard page render times")
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--artifacts", type=Path, required=True, help="ETL_DBT_TARGET_DIR")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    started = time.perf_counter()
    rows = fill_history(args.warehouse, args.runs)
    fill_seconds = time.perf_counter() - started
    os.environ.update(
        {
            "ETL_TARGET": "duckdb",
            "ETL_DUCKDB_PATH": str(args.warehouse),
            "ETL_OLTP_DUCKDB_PATH": str(args.source),
            "ETL_DBT_TARGET_DIR": str(args.artifacts),
            "ETL_CONNECTION_AUDIT_DIR": str(args.warehouse.parent),
        }
    )
    os.environ.pop("ETL_MONITOR_ALLOW_RUN", None)
    result: dict[str, Any] = {
        "runs": args.runs,
        "entity_rows": rows,
        "fill_seconds": fill_seconds,
        "pages": [asdict(timing) for timing in time_pages(args.repeat)],
        "dashboards": [asdict(timing) for timing in time_dashboards(args.repeat)],
    }
    args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
