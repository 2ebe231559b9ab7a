"""dbt run by hand (`dbt build`, without the orchestrator) is a first-class run: audited in
audit.etl_run / audit.etl_run_entity like an orchestrated one, and locked the same way.

On DuckDB dbt opens the warehouse file exclusively, so no other process can load it while
dbt runs: there is no lock to take. On PostgreSQL (and SQL Server, checked statically in
tests/targets) the on-run-start hooks take the orchestrator's lock; dbt closes the hooks'
session when on-run-start ends (it opens a connection per node), so the direct run's
'running' audit row holds the warehouse from then on, while dbt is connected.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest

from generator import generate
from orchestrator.audit import ddl_statements
from orchestrator.lock import PG_LOCK_KEY
from tests.dbt_harness import ENTITIES, ROOT, SNAPSHOTS, WAREHOUSE_TABLES, Warehouse
from tests.orchestrator.conftest import AS_OF, NOW, SCALE, SEED, Site

DBT = Path(sys.executable).parent / "dbt"
HELD = "another run holds the warehouse"
RUN_COLUMNS = (
    "select column_name, data_type, is_nullable, column_default from information_schema.columns"
    " where table_schema = 'audit' and table_name = 'etl_run' order by ordinal_position"
)


def _hand(site: Site, tmp_path: Path) -> Warehouse:
    """dbt on the site's warehouse as an analyst runs it, in this process (dbtRunner)."""
    env = {
        "ETL_DUCKDB_PATH": str(site.warehouse),
        "ETL_OLTP_DUCKDB_PATH": str(site.source),
        "USER": "analyst",
        "HOSTNAME": "laptop",
    }
    return Warehouse("duckdb", env, tmp_path / "hand", etl_now=NOW)


def _invocation(warehouse: Warehouse) -> str:
    results = json.loads((warehouse.target_path / "run_results.json").read_text())
    return str(results["metadata"]["invocation_id"])


def _run_row(site: Site, run_id: str) -> dict[str, Any]:
    columns = (
        "run_id, entities_requested, started_by, status, entities_succeeded, entities_failed,"
        " error_message, target, pid, dbt_invocation_id, finished_at, full_checks"
    )
    (row,) = site.dw(f"select {columns} from audit.etl_run where run_id = ?", run_id)
    return dict(zip(columns.split(", "), row, strict=True))


def _downstream_entities(warehouse: Warehouse, model: str) -> set[str]:
    manifest = json.loads((warehouse.target_path / "manifest.json").read_text())
    nodes = {**manifest["nodes"]}
    todo, seen = [f"model.ecommerce_dw.{model}"], set()
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo += manifest["child_map"].get(node, [])
    return {
        nodes[node]["name"]
        for node in seen
        if node in nodes and (nodes[node]["config"].get("meta") or {}).get("etl")
    }


# --- DuckDB ---------------------------------------------------------------------------------


def test_direct_build_is_audited_with_the_counts_it_loaded(fresh_site: Site, tmp_path) -> None:
    hand = _hand(fresh_site, tmp_path)

    hand.build()

    run_id = _invocation(hand)
    run = _run_row(fresh_site, run_id)
    assert run["started_by"] == "dbt:analyst@laptop"
    assert (run["status"], run["entities_requested"], run["target"]) == ("success", "all", "duckdb")
    assert (run["entities_succeeded"], run["entities_failed"]) == (11, 0)
    assert run["dbt_invocation_id"] == run_id and run["finished_at"] is not None
    assert run["full_checks"] is False  # tested only the rows it loaded
    entities = fresh_site.entities(run_id)
    assert set(entities) == set(ENTITIES) | set(SNAPSHOTS)
    watermarks = fresh_site.watermarks()
    for entity in ENTITIES:
        audit = entities[entity]
        loaded = fresh_site.dw(
            f"select count(*) from {WAREHOUSE_TABLES[entity]}.{entity} where _etl_run_id = ?",
            run_id,
        )[0][0]
        assert audit["status"] == "success", entity
        assert audit["upserted_count"] == loaded > 0, entity
        assert (audit["watermark_to_updated_at"], audit["watermark_to_id"]) == watermarks[entity]
        assert audit["tests_passed"] > 0 and audit["tests_failed"] == 0, entity
    for snapshot in SNAPSHOTS:
        written = fresh_site.dw(
            f"select count(*) from snapshots.{snapshot} where _etl_invocation_id = ?", run_id
        )[0][0]
        assert entities[snapshot]["upserted_count"] == written > 0, snapshot

    # no orchestrator ran here: dbt's on-run-start created the tables, as the orchestrator does
    columns = (
        "select table_name, column_name, data_type, is_nullable, column_default"
        " from information_schema.columns"
        " where table_schema = 'audit' and table_name in ('etl_run', 'etl_run_entity')"
        " order by table_name, ordinal_position"
    )
    with duckdb.connect(":memory:") as conn:
        for statement in ddl_statements("duckdb"):
            conn.execute(statement)
        assert conn.execute(columns).fetchall() == fresh_site.dw(columns)


def test_direct_build_of_a_selection_audits_only_its_entities(site: Site, tmp_path) -> None:
    orchestrated = site.last_run()
    hand = _hand(site, tmp_path)

    hand.build("dim_cliente+")

    run_id = _invocation(hand)
    selected = _downstream_entities(hand, "dim_cliente")
    assert {"dim_cliente", "fact_vendas"} <= selected and "dim_produto" not in selected
    run = _run_row(site, run_id)
    assert (run["status"], run["entities_requested"]) == ("success", ",".join(sorted(selected)))
    assert set(site.entities(run_id)) == selected
    assert site.dw("select run_id, status from audit.etl_run order by started_at") == [
        (orchestrated["run_id"], "success"),
        (run_id, "success"),
    ]


def test_direct_full_check_is_recorded_and_an_older_run_table_gets_the_column(
    site: Site, tmp_path
) -> None:
    new_table = site.dw(RUN_COLUMNS)
    orchestrated = site.last_run()["run_id"]
    with duckdb.connect(str(site.warehouse)) as conn:  # a warehouse from before full_checks
        conn.execute("alter table audit.etl_run drop column full_checks")
    hand = _hand(site, tmp_path)

    hand.build("dim_regiao", etl_full_checks=True)
    checked = _invocation(hand)
    hand.dbt("build", "--select", "dim_regiao", "--full-refresh")
    refreshed = _invocation(hand)

    assert site.dw(RUN_COLUMNS) == new_table  # dbt's on-run-start added it back, as it was
    assert site.dw("select run_id, status, full_checks from audit.etl_run order by started_at") == [
        (orchestrated, "success", False),  # the older row
        (checked, "success", True),  # var etl_full_checks
        (refreshed, "success", True),  # --full-refresh
    ]


def test_failed_model_gives_partial_then_failed_and_keeps_its_watermark(
    site: Site, tmp_path
) -> None:
    site.wave(1)
    before = site.watermarks()
    site.break_fact_descontos()
    hand = _hand(site, tmp_path)

    hand.build(expect_success=False)

    run = _run_row(site, _invocation(hand))
    assert run["status"] == "partial"
    entities = site.entities(run["run_id"])
    assert entities["fact_descontos"]["status"] == "failed"
    error = entities["fact_descontos"]["error_message"]
    assert run["error_message"] == f"fact_descontos: {error.strip().splitlines()[0]}"
    assert "Runtime Error in model fact_descontos" in error
    assert entities["dim_cliente"]["status"] == "success"
    after = site.watermarks()
    assert after["fact_descontos"] == before["fact_descontos"]
    assert after["dim_cliente"] != before["dim_cliente"]

    hand.build("fact_descontos", expect_success=False)

    run = _run_row(site, _invocation(hand))
    assert (run["status"], run["entities_succeeded"], run["entities_failed"]) == ("failed", 0, 1)
    assert set(site.entities(run["run_id"])) == {"fact_descontos"}


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg(env: dict[str, str]):
    conn = psycopg2.connect(
        host=env["ETL_PG_HOST"],
        port=int(env["ETL_PG_PORT"]),
        user=env["ETL_PG_USER"],
        password=env["ETL_PG_PASSWORD"],
        dbname=env["ETL_PG_DATABASE"],
    )
    conn.autocommit = True
    return conn


def _sql(env: dict[str, str], sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = _pg(env)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params or None)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def _dbt(env: dict[str, str], tmp_path: Path, *args: str) -> list[str]:
    """A dbt command as typed by hand (here with its own target path and the pinned now).
    `--indirect-selection cautious`: a relationship test to a model not built yet stays out."""
    target = tmp_path / f"dbt-{time.monotonic_ns()}"
    return [
        str(DBT),
        *args,
        "--target",
        "postgres",
        "--project-dir",
        str(ROOT),
        "--profiles-dir",
        str(ROOT),
        "--target-path",
        str(target),
        "--vars",
        json.dumps({"etl_now": NOW}),
        "--indirect-selection",
        "cautious",
    ]


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def _orchestrator(env: dict[str, str], *args: str) -> list[str]:
    return [sys.executable, "orchestrator/run.py", "--target", "postgres", *args]


@pytest.fixture
def pg_site(pg_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """A generated PostgreSQL source; the environment of every process started on it."""
    generate(target="postgres", scale=SCALE, seed=SEED, as_of=AS_OF)
    return {
        **os.environ,
        **pg_env,
        "ETL_NOW": NOW,
        "ETL_CONNECTION_AUDIT_DIR": str(tmp_path),
        "USER": "analyst",
        "HOSTNAME": "laptop",
    }


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def _paused_direct_run(env: dict[str, str], tmp_path: Path) -> tuple[subprocess.Popen, Any, str]:
    """A direct `dbt build` paused mid-run: the test holds an exclusive lock on the source
    table of customers, so dbt waits at the first node that reads it. Returns the dbt
    process, the blocking connection (roll it back to let dbt go on) and the run id."""
    blocker = _pg(env)
    blocker.autocommit = False
    blocker.cursor().execute("lock table core.customers in access exclusive mode")
    process = subprocess.Popen(
        _dbt(env, tmp_path, "build", "--select", "+dim_cliente"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    waiting = (
        "select count(*) from pg_stat_activity where datname = current_database()"
        " and application_name = 'dbt' and wait_event_type = 'Lock'"
    )

    def paused() -> bool:
        assert process.poll() is None, process.communicate()[0]
        return _sql(env, waiting)[0][0] > 0

    _wait_for(paused, "dbt to wait on the source table")
    ((run_id,),) = _sql(env, "select run_id from audit.etl_run where status = 'running'")
    return process, blocker, run_id


@pytest.mark.postgres
def test_direct_run_stops_at_on_run_start_while_the_orchestrator_holds_the_lock(
    pg_site: dict[str, str], tmp_path: Path
) -> None:
    assert (
        _run(_dbt(pg_site, tmp_path, "build", "--select", "+dim_regiao"), pg_site).returncode == 0
    )
    _sql(pg_site, "update core.regions set updated_at = %s where region_id = 1", "2026-01-15 09:00")
    watermark = _sql(pg_site, "select * from ctl.etl_control where entity_name = 'dim_regiao'")
    windows = _sql(pg_site, "select count(*) from audit.etl_load_window")
    holder = _pg(pg_site)
    try:
        with holder.cursor() as cur:  # what the orchestrator holds while it runs
            cur.execute("select pg_try_advisory_lock(%s)", (PG_LOCK_KEY,))
            assert cur.fetchone()[0] is True
            cur.execute(
                "insert into audit.etl_run (run_id, entities_requested, started_by, started_at,"
                " status, is_dry_run, target, pid, full_refresh) values ('20260116T080000-a1b2c3',"
                " 'all', 'ops@etl-host', '2026-01-16 08:00:00', 'running', false, 'postgres',"
                " 4242, false)"
            )

        refused = _run(_dbt(pg_site, tmp_path, "build", "--select", "dim_regiao"), pg_site)
    finally:
        holder.close()

    assert refused.returncode == 2, refused.stdout
    assert (
        f"{HELD}: run 20260116T080000-a1b2c3 (pid 4242 on etl-host, started 2026-01-16 08:00:00);"
        " nothing was run"
    ) in refused.stdout
    assert "START sql" not in refused.stdout  # no node ran
    assert _sql(pg_site, "select * from ctl.etl_control where entity_name = 'dim_regiao'") == (
        watermark
    )
    assert _sql(pg_site, "select count(*) from audit.etl_load_window") == windows
    assert _sql(pg_site, "select count(*) from audit.etl_run where started_by like 'dbt:%'") == [
        (1,)
    ]


@pytest.mark.postgres
def test_a_direct_run_holds_the_warehouse_until_its_on_run_end(
    pg_site: dict[str, str], tmp_path: Path
) -> None:
    process, blocker, run_id = _paused_direct_run(pg_site, tmp_path)
    try:
        # dbt closed the session of its on-run-start hooks: the advisory lock itself is free
        with _pg(pg_site) as probe, probe.cursor() as cur:
            cur.execute(
                "select pg_try_advisory_lock(%s), pg_advisory_unlock(%s)", (PG_LOCK_KEY,) * 2
            )
            assert cur.fetchone() == (True, True)
        started_at = _sql(pg_site, "select started_at from audit.etl_run where run_id = %s", run_id)
        held = f"{HELD}: run {run_id} (dbt:analyst@laptop, started {started_at[0][0]})"

        orchestrated = _run(_orchestrator(pg_site, "--entity", "dim_regiao"), pg_site)
        second = _run(_dbt(pg_site, tmp_path, "build", "--select", "dim_regiao"), pg_site)
    finally:
        blocker.rollback()
        blocker.close()
    output, _ = process.communicate(timeout=600)

    assert orchestrated.returncode == 3, orchestrated.stdout + orchestrated.stderr
    assert orchestrated.stderr.strip() == f"error: {held}"
    assert second.returncode == 2 and f"{held}; nothing was run" in second.stdout, second.stdout
    assert process.returncode == 0, output
    assert _sql(pg_site, "select status from audit.etl_run where run_id = %s", run_id) == [
        ("success",)
    ]
    after = _run(_orchestrator(pg_site, "--entity", "dim_regiao"), pg_site)
    assert after.returncode == 0, after.stdout + after.stderr
    assert _sql(pg_site, "select count(*) from audit.etl_run where status = 'running'") == [(0,)]


@pytest.mark.postgres
def test_a_killed_direct_run_does_not_hold_the_warehouse(
    pg_site: dict[str, str], tmp_path: Path
) -> None:
    process, blocker, run_id = _paused_direct_run(pg_site, tmp_path)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    blocker.rollback()  # the killed run's session waiting on it ends with it
    blocker.close()
    gone = (
        "select count(*) from pg_stat_activity where datname = current_database()"
        " and application_name = 'dbt'"
    )
    _wait_for(lambda: _sql(pg_site, gone)[0][0] == 0, "the killed run's sessions to end")

    result = _run(_orchestrator(pg_site, "--entity", "dim_regiao"), pg_site)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"recovered run {run_id}: processo morreu" in result.stdout
    ((status, message),) = _sql(
        pg_site, "select status, error_message from audit.etl_run where run_id = %s", run_id
    )
    assert status == "failed" and "dbt:analyst@laptop" in message
