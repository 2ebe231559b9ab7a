"""The orchestrator end to end on DuckDB: audit counts are true, failures are isolated and
classified, dry runs write nothing but audit, one run at a time, dead runs are recovered,
and every usage error exits with its code and one line."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from datetime import datetime, timedelta

import pytest

from tests.orchestrator.conftest import NOW, Site

ENTITIES = {
    "dim_cliente",
    "dim_produto",
    "dim_regiao",
    "dim_equipe",
    "dim_vendedor",
    "dim_desconto",
    "fact_vendas",
    "fact_metas",
    "fact_descontos",
}
# the history snapshots, ETL entities too (audited, no ctl.etl_control row: no watermark)
SNAPSHOTS = {"snap_oltp__customers", "snap_oltp__products"}
CUTOFF = datetime.fromisoformat(NOW) - timedelta(minutes=2)


def _output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def _pending(site: Site, table: str, pk: str, watermark: tuple[object, object]) -> int:
    """Source rows past a watermark and before the cutoff, counted straight from the source."""
    wm_ts, wm_id = watermark
    sql = f"select count(*) from core.{table} where updated_at <= ?"
    params: list[object] = [CUTOFF]
    if wm_ts is not None:
        sql += f" and (updated_at > ? or (updated_at = ? and {pk} > ?))"
        params += [wm_ts, wm_ts, wm_id]
    return site.oltp(sql, *params)[0][0]


def _pending_customers(site: Site, watermark: tuple[object, object]) -> int:
    """Customers past dim_cliente's watermark, counted straight from the source: a customer
    changes when its row, one of its orders or one of their items changes (dim_cliente
    carries the purchase history), so its change time is the newest of those."""
    wm_ts, wm_id = watermark
    sql = (
        "with changes as ("
        " select customer_id, updated_at as changed_at from core.customers"
        " union all select customer_id, updated_at from core.orders"
        " union all select o.customer_id, i.updated_at from core.order_items i"
        " join core.orders o on o.order_id = i.order_id),"
        " customers as (select c.customer_id, max(changes.changed_at) as changed_at"
        " from core.customers c join changes on changes.customer_id = c.customer_id"
        " group by c.customer_id)"
        " select count(*) from customers where changed_at <= ?"
    )
    params: list[object] = [CUTOFF]
    if wm_ts is not None:
        sql += " and (changed_at > ? or (changed_at = ? and customer_id > ?))"
        params += [wm_ts, wm_ts, wm_id]
    return site.oltp(sql, *params)[0][0]


def test_full_run_audit_counts_equal_independent_counts(built_site: tuple[Site, object]) -> None:
    site, result = built_site
    assert result.returncode == 0, _output(result)
    run = site.last_run()
    assert run["status"] == "success"
    assert run["entities_requested"] == "all"
    assert (run["entities_succeeded"], run["entities_failed"]) == (11, 0)
    assert run["finished_at"] is not None
    entities = site.entities(run["run_id"])
    assert set(entities) == ENTITIES | SNAPSHOTS
    assert {row["status"] for row in entities.values()} == {"success"}
    for entity, row in entities.items():
        schema = "snapshots" if entity in SNAPSHOTS else entity.split("_", 1)[0]
        stamped = site.dw(
            f"select count(*) from {schema}.{entity} where _etl_run_id = ?", run["run_id"]
        )[0][0]
        assert row["upserted_count"] == stamped, entity
        assert row["tests_passed"] > 0 and row["tests_failed"] == 0, entity
    assert entities["dim_cliente"]["extracted_count"] == _pending(
        site, "customers", "customer_id", (None, None)
    )
    assert (
        entities["fact_vendas"]["upserted_count"]
        == site.oltp("select count(*) from core.order_items")[0][0]
        - entities["fact_vendas"]["quarantined_count"]
    )
    # the watermark recorded is the control row's
    watermarks = site.watermarks()
    for entity in ENTITIES:
        row = entities[entity]
        assert (row["watermark_to_updated_at"], row["watermark_to_id"]) == watermarks[entity]
    progress = json.loads(site.warehouse.with_name("dw.duckdb.progress.json").read_text())
    assert progress["run_id"] == run["run_id"] and progress["status"] == "success"
    assert "run " + run["run_id"] + ": success" in result.stdout
    assert "rows/s" in result.stdout
    events = site.dw(
        "select status, program_name, run_id from audit.connection_login_events where run_id = ?",
        run["run_id"],
    )
    assert events and all(event[0] == "success" for event in events)
    assert not site.warehouse.with_name("dw.duckdb.lock").exists()


def test_run_after_wave_extracts_exactly_the_changed_rows(site: Site) -> None:
    before = site.watermarks()
    site.wave(1)
    expected_customers = _pending_customers(site, before["dim_cliente"])
    expected_products = _pending(site, "products", "product_id", before["dim_produto"])
    assert expected_customers > 0

    result = site.run("--entity", "all")

    assert result.returncode == 0, _output(result)
    run = site.last_run()
    entities = site.entities(run["run_id"])
    assert entities["dim_cliente"]["extracted_count"] == expected_customers
    assert entities["dim_produto"]["extracted_count"] == expected_products
    assert (
        entities["dim_cliente"]["watermark_from_updated_at"],
        entities["dim_cliente"]["watermark_from_id"],
    ) == before["dim_cliente"]
    stamped = site.dw("select count(*) from fact.fact_vendas where _etl_run_id = ?", run["run_id"])
    assert entities["fact_vendas"]["upserted_count"] == stamped[0][0] > 0
    deleted = site.dw(
        "select count(*) from dim.dim_cliente where _etl_run_id = ? and _etl_source_deleted",
        run["run_id"],
    )
    assert entities["dim_cliente"]["soft_deleted_count"] == deleted[0][0]


def test_failure_in_one_fact_gives_partial_and_keeps_its_watermark(site: Site) -> None:
    site.wave(1)
    before = site.watermarks()
    site.break_fact_descontos()

    result = site.run("--entity", "dim_cliente,fact_descontos")

    assert result.returncode == 1, _output(result)
    run = site.last_run()
    assert run["status"] == "partial"
    assert "fact_descontos" in run["error_message"]
    entities = site.entities(run["run_id"])
    assert entities["fact_descontos"]["status"] == "failed"
    assert entities["fact_descontos"]["error_category"] == "conversao"
    assert entities["fact_descontos"]["error_action"]
    assert entities["dim_cliente"]["status"] == "success"
    after = site.watermarks()
    assert after["fact_descontos"] == before["fact_descontos"]
    assert after["dim_cliente"] != before["dim_cliente"]
    control = site.dw(
        "select entity_name, last_status, last_run_id from ctl.etl_control"
        " where entity_name in ('dim_cliente', 'fact_descontos') order by entity_name"
    )
    assert control == [
        ("dim_cliente", "success", run["run_id"]),
        ("fact_descontos", "failed", run["run_id"]),
    ]
    assert "conversao" in result.stdout


def _state(site: Site) -> dict[str, object]:
    state: dict[str, object] = {"ctl": sorted(site.dw("select * from ctl.etl_control"))}
    for entity in ENTITIES:
        schema = "dim" if entity.startswith("dim") else "fact"
        state[entity] = site.dw(f"select count(*), max(_etl_run_id) from {schema}.{entity}")
    for snapshot in SNAPSHOTS:
        state[snapshot] = site.dw(f"select count(*), max(_etl_run_id) from snapshots.{snapshot}")
    state["quarantine"] = site.dw("select count(*) from audit.etl_quarantine")
    return state


def test_dry_run_writes_nothing_outside_audit(site: Site) -> None:
    site.wave(1)
    before = _state(site)

    result = site.run("--entity", "all", "--dry-run")

    assert result.returncode == 0, _output(result)
    assert _state(site) == before
    run = site.last_run()
    assert run["is_dry_run"] is True and run["status"] == "success"
    entities = site.entities(run["run_id"])
    assert set(entities) == ENTITIES | SNAPSHOTS
    assert {row["status"] for row in entities.values()} == {"dry_run"}
    assert all(row["is_dry_run"] for row in entities.values())


def test_second_run_is_refused_while_a_live_run_holds_the_lock(site: Site) -> None:
    lock = site.warehouse.with_name("dw.duckdb.lock")
    holder = {
        "run_id": "20260101T000000-abcdef",
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": "2026-01-01T00:00:00",
    }
    lock.write_text(json.dumps(holder))

    result = site.run("--entity", "dim_regiao")

    assert result.returncode == 3, _output(result)
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in result.stderr
    assert holder["run_id"] in line and str(os.getpid()) in line
    assert "2026-01-01T00:00:00" in line
    assert lock.exists()  # the holder's lock is left alone


def test_sigkilled_run_is_recovered_by_the_next_run(site: Site) -> None:
    site.wave(1)
    progress_file = site.warehouse.with_name("dw.duckdb.progress.json")
    process = site.popen("--entity", "all")
    deadline = time.monotonic() + 180
    snapshot: dict = {}
    while time.monotonic() < deadline:
        if progress_file.exists():
            try:
                snapshot = json.loads(progress_file.read_text())
            except ValueError:
                snapshot = {}
            if snapshot.get("current_entity"):
                break
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    assert snapshot.get("current_entity"), "the run never started an entity"
    killed_pid = process.pid
    process.send_signal(signal.SIGKILL)
    process.communicate()
    dbt_pid = snapshot.get("dbt_pid")
    while dbt_pid and _alive(dbt_pid) and time.monotonic() < deadline:
        time.sleep(0.1)  # dbt dies with its parent (PR_SET_PDEATHSIG)
    assert site.warehouse.with_name("dw.duckdb.lock").exists()
    dead_run = snapshot["run_id"]

    result = site.run("--entity", "dim_regiao")

    assert result.returncode == 0, _output(result)
    assert f"recovered run {dead_run}" in result.stdout
    row = site.dw(
        "select status, error_message, finished_at from audit.etl_run where run_id = ?", dead_run
    )[0]
    assert row[0] == "failed"
    assert row[1] == f"processo morreu (lock obsoleto de {killed_pid})"
    assert row[2] is not None
    planned = site.dw(
        "select count(*) from audit.etl_load_window where run_id = ? and status = 'planned'",
        dead_run,
    )
    assert planned[0][0] == 0
    failed = site.entities(dead_run)
    assert any(item["status"] == "failed" for item in failed.values())
    assert site.last_run()["status"] == "success"
    assert not site.warehouse.with_name("dw.duckdb.lock").exists()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--entity", "all", "--batch-size", "0"], "invalid --batch-size 0"),
        (["--entity", "all", "--cutoff-minutes", "5000"], "invalid --cutoff-minutes 5000"),
        (["--entity", "all", "--max-batches", "0"], "invalid --max-batches 0"),
        (["--entity", "all", "--target", "oracle"], "unknown target 'oracle'"),
        (["--target", "duckdb"], "--entity"),
    ],
)
def test_invalid_arguments_exit_2_with_one_line(site: Site, args: list[str], message: str) -> None:
    result = site.run(*args)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_entity_exits_2_naming_it_and_the_valid_ones(site: Site) -> None:
    result = site.run("--entity", "dim_cliente,dim_nada")
    assert result.returncode == 2, _output(result)
    line = result.stderr.strip()
    assert "\n" not in line
    assert "unknown entity dim_nada" in line
    assert all(entity in line for entity in ENTITIES)


def test_missing_source_file_and_table_exit_2_naming_them(site: Site, fresh_site: Site) -> None:
    site.oltp("drop table core.customers cascade", write=True)
    result = site.run("--entity", "dim_cliente")
    assert result.returncode == 2, _output(result)
    assert "source table missing: core.customers" in result.stderr
    assert result.stderr.strip().count("\n") == 0

    fresh_site.source.unlink()
    result = fresh_site.run("--entity", "all")
    assert result.returncode == 2, _output(result)
    assert "source database missing" in result.stderr and str(fresh_site.source) in result.stderr


def test_unreachable_postgres_exits_2_and_records_the_failed_connection(site: Site) -> None:
    result = site.run(
        "--entity",
        "all",
        "--target",
        "postgres",
        env={"ETL_PG_PORT": "1", "ETL_PG_HOST": "127.0.0.1"},
    )
    assert result.returncode == 2, _output(result)
    line = result.stderr.strip()
    assert "\n" not in line and "cannot connect to postgres 127.0.0.1:1" in line
    assert "[conexao]" in line
    events = [
        json.loads(text)
        for text in (site.path / "connection_login_events.jsonl").read_text().splitlines()
    ]
    assert events[-1]["status"] == "failed" and events[-1]["database_name"]


def _table(site: Site, entity: str) -> list[tuple[object, ...]]:
    schema = "dim" if entity.startswith("dim") else "fact"
    columns = [
        row[0]
        for row in site.dw(
            "select column_name from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position",
            schema,
            entity,
        )
        if not row[0].startswith("_etl_")
    ]
    return sorted(site.dw(f"select {', '.join(columns)} from {schema}.{entity}"), key=repr)


def test_small_batches_load_the_same_as_one_big_batch_and_max_batches_caps(
    site: Site, tmp_path
) -> None:
    from tests.orchestrator.conftest import _copy

    site.wave(1)
    capped = _copy(site.path, tmp_path / "capped")

    assert site.run("--entity", "all").returncode == 0
    big = site.entities(site.last_run()["run_id"])["fact_vendas"]
    assert big["batches"] == 1

    result = capped.run("--entity", "all", "--batch-size", "5", "--max-batches", "2")
    assert result.returncode == 0, _output(result)
    first = capped.entities(capped.last_run()["run_id"])["fact_vendas"]
    assert (first["extracted_count"], first["batches"]) == (10, 2)
    backlog = capped.dw(
        "select backlog_after_count from audit.etl_run_entity where run_id = ?"
        " and entity_name = 'fact_vendas'",
        capped.last_run()["run_id"],
    )[0][0]
    assert backlog > 0
    # the catch-up run drains the backlog in small batches too: the wave reached the capped
    # copy in batches of 5 and 7 only, and the other copy in one batch
    assert capped.run("--entity", "all", "--batch-size", "7").returncode == 0
    rest = capped.entities(capped.last_run()["run_id"])["fact_vendas"]
    assert rest["batches"] == -(-rest["upserted_count"] // 7) > 1
    assert first["upserted_count"] + rest["upserted_count"] == big["upserted_count"]
    for entity in ENTITIES:
        assert _table(capped, entity) == _table(site, entity), entity
