"""The benchmark's measuring tools: statistics, verdicts, memory of a process tree, the
floor's statement plan and its PostgreSQL engine, the source rows a run reads on
PostgreSQL (real server: the counters are the engine's own), the scratch databases, and
the per-run ratios of rows read."""

from __future__ import annotations

import json
import os
import sys
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench import postgres, report
from bench.figures import Target, source_reads, versus
from bench.floor import Statement, plan, run_floor
from bench.floor_engines import DuckdbFloor, PostgresFloor
from bench.measure import CommandFailed, Measurement, Stats, run_measured
from bench.postgres import SourceReads, read_source_reads, reset_reads
from bench.scenario import Bench, Repetition, RunInfo, ScaleResult, wave_changed_rows
from bench.slots import make_slot

ALLOCATE = "import time; block = bytearray({size}); time.sleep(0.5)"


def test_stats_are_median_min_max_of_the_samples() -> None:
    stats = Stats.of([3.0, 1.0, 2.0, 10.0])
    assert (stats.median, stats.min, stats.max, stats.n) == (2.5, 1.0, 10.0, 4)
    with pytest.raises(ValueError):
        Stats.of([])


def test_target_verdict_says_met_or_by_how_much_it_misses() -> None:
    assert Target("<= 3x", 3.0).verdict(2.5, "x") == (True, "met")
    met, text = Target("<= 3x", 3.0).verdict(4.5, "x")
    assert not met and "missed by 1.50x" in text
    met, text = Target("within 2 s", 2.0).verdict(5.0, "s")
    assert not met and text == "missed by 3.00 s"


def test_peak_memory_counts_the_grandchild_of_the_measured_command(tmp_path: Path) -> None:
    size = 200 * 2**20
    child = ALLOCATE.format(size=size)
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    measured = run_measured(
        [sys.executable, "-c", parent], env=dict(os.environ), cwd=tmp_path,
        log_file=tmp_path / "out.log",
    )  # fmt: skip
    assert measured.returncode == 0
    assert measured.peak_tree_rss_bytes >= size
    assert measured.max_single_rss_bytes >= size
    assert measured.wall_seconds > 0


def test_a_failing_command_stops_the_benchmark(tmp_path: Path) -> None:
    with pytest.raises(CommandFailed, match="exit 3"):
        run_measured(
            [sys.executable, "-c", "import sys; sys.exit(3)"], env=dict(os.environ),
            cwd=tmp_path, log_file=tmp_path / "out.log",
        )  # fmt: skip


def test_floor_plans_seeds_views_and_tables_in_dependency_order(tmp_path: Path) -> None:
    def node(name: str, schema: str, materialized: str, path: str = "") -> dict[str, object]:
        return {"database": "dw", "schema": schema, "name": name, "alias": name,
                "config": {"materialized": materialized}, "original_file_path": path}  # fmt: skip

    nodes = {
        "model.p.fact": node("fact", "fact", "incremental"),
        "model.p.stg": node("stg", "staging", "view"),
        "seed.p.days": node("days", "ref", "seed", "seeds/days.csv"),
        "model.p.dim": node("dim", "dim", "table"),
    }
    parents = {
        "model.p.fact": ["model.p.dim", "model.p.stg"],
        "model.p.dim": ["seed.p.days", "model.p.stg"],
        "model.p.stg": [],
        "seed.p.days": [],
    }
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": nodes, "parent_map": parents}))
    results = [
        {"unique_id": uid, "status": "success", "compiled_code": f"select 1 as {uid[8:]}"}
        for uid in nodes
    ]
    (tmp_path / "run_results.json").write_text(json.dumps({"results": results}))
    statements = plan(tmp_path, tmp_path)
    order = [stmt.unique_id for stmt in statements]
    assert order.index("model.p.stg") < order.index("model.p.dim") < order.index("model.p.fact")
    assert order.index("seed.p.days") < order.index("model.p.dim")
    kinds = {stmt.unique_id: stmt.kind for stmt in statements}
    assert kinds == {"model.p.fact": "table", "model.p.stg": "view", "seed.p.days": "seed",
                     "model.p.dim": "table"}  # fmt: skip
    fact = next(stmt for stmt in statements if stmt.unique_id == "model.p.fact")
    assert DuckdbFloor.sql(fact).startswith('create or replace table "dw"."fact"."fact" as (')
    # a manifest parsed for another database (PostgreSQL: the dbt slot's) names the load's
    relations = [stmt.relation for stmt in plan(tmp_path, tmp_path, database="loaded")]
    assert relations and all(relation.startswith('"loaded".') for relation in relations)


# --- the wave's changes ---------------------------------------------------------------

WAVE_REPORT = """applied wave 1 to db in 0.7 s (updated_at 2026-11-20 00:00:00 .. 00:00:58)
table                   inserted  updated  soft_deleted
regions                        0        0             0
customers                      5        9             2
orders                        22       25             0
order_items                   49        0             0
"""


def test_wave_changed_rows_sum_inserted_updated_and_soft_deleted() -> None:
    assert wave_changed_rows(WAVE_REPORT) == 5 + 9 + 2 + 22 + 25 + 49
    with pytest.raises(RuntimeError, match="no per-table counts"):
        wave_changed_rows("generated 4,318 rows\nregions 15\n")


# --- rows read per run, ratios taken repetition by repetition ---------------------------


def _run(seconds: float, rows_read: dict[str, int]) -> RunInfo:
    measurement = Measurement(("run",), seconds, 0, 0, 0, "", "")
    return RunInfo(measurement, run_id="r", reads=SourceReads(rows_read))


def _repetition(index: int, source_rows: int, changed: int, full: RunInfo, wave: RunInfo,
                nochange: RunInfo) -> Repetition:  # fmt: skip
    measurement = Measurement(("generate",), 1.0, 0, 0, 0, "", "")
    tables = {"a": source_rows - 10, "b": 10}
    return Repetition(index, measurement, tables, full, measurement, changed, wave, nochange,
                      None)  # fmt: skip


def test_rows_read_ratios_are_taken_repetition_by_repetition() -> None:
    reps = [
        _repetition(0, 100, 10, _run(10.0, {"a": 150, "b": 50}), _run(5.0, {"a": 300}),
                    _run(4.0, {"a": 100})),
        _repetition(1, 100, 20, _run(20.0, {"a": 100, "b": 100}), _run(20.0, {"a": 800}),
                    _run(2.0, {"a": 50})),
    ]  # fmt: skip
    reads = source_reads(ScaleResult(0.01, reps, {}), "postgres")
    assert reads["measured"] and reads["source_rows"] == [100, 100]
    full, wave, nochange = reads["runs"]
    assert full["rows_read"]["samples"] == [200, 200]
    assert full["per_source_row"]["samples"] == [2.0, 2.0]
    assert full["per_changed_row"] is None and nochange["per_changed_row"] is None
    assert wave["per_changed_row"]["samples"] == [30.0, 40.0]
    assert wave["over_full_rows_read"]["samples"] == [1.5, 4.0]
    assert wave["over_full_seconds"]["samples"] == [0.5, 1.0]
    assert nochange["per_source_row"]["median"] == 0.75
    assert full["by_table"] == {"a": 125, "b": 75}


def test_rows_read_are_left_empty_where_the_engine_has_no_counter() -> None:
    def unmeasured(seconds: float) -> RunInfo:
        return RunInfo(Measurement(("run",), seconds, 0, 0, 0, "", ""))

    reps = [_repetition(0, 100, 10, unmeasured(10.0), unmeasured(5.0), unmeasured(4.0))]
    reads = source_reads(ScaleResult(0.01, reps, {}), "duckdb")
    assert not reads["measured"] and "not measured" in reads["method"]
    for run in reads["runs"]:
        assert run["rows_read"] is None and run["per_source_row"] is None
        assert run["wall_seconds"]["median"] > 0


def test_an_engine_beside_duckdb_is_compared_repetition_by_repetition() -> None:
    def run(seconds: float) -> RunInfo:  # no read counters, as on DuckDB and Spark
        return RunInfo(Measurement(("run",), seconds, 0, 0, 0, "", ""), upserted=50)

    def reps(full: tuple[float, float], wave: tuple[float, float]) -> list[Repetition]:
        return [_repetition(i, 100, 10, run(full[i]), run(wave[i]), run(1.0)) for i in range(2)]

    duck = ScaleResult(0.01, reps((2.0, 4.0), (1.0, 1.0)), {"skipped": "runs only"})
    spark = ScaleResult(0.01, reps((20.0, 20.0), (10.0, 30.0)), {"skipped": "runs only"},
                        baseline=duck)  # fmt: skip
    rows = {row["run"]: row for row in versus(spark, duck)}
    assert rows["Full load"]["engine_over_duckdb"]["samples"] == [10.0, 5.0]
    assert rows["Incremental (wave 1)"]["engine_over_duckdb"]["samples"] == [10.0, 30.0]
    assert rows["Incremental (wave 1)"]["duckdb_seconds"]["median"] == 1.0
    document = report.build_document("spark", 2, [spark], datetime.now(UTC), 1.0)
    scale = document["scales"][0]
    assert scale["duckdb"]["figures"][0]["key"] == "generate_seconds"
    text = report.markdown(document)
    assert "| Full load | 3.00 s | 20.00 s | 7.50x | 5.00x | 10.00x |" in text
    assert "### DuckDB, the same runs" in text and "### spark" in text


# --- PostgreSQL: counters, scratch databases, the floor ------------------------------


def _execute(database: str, *statements: str) -> None:
    with postgres.connect(database) as conn, conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)


def _source(database: str) -> None:
    _execute(
        database,
        "create schema core",
        "create table core.a (id integer primary key, v integer)",
        "insert into core.a select i, i * 2 from generate_series(1, 100) as i",
        "create table core.b (id integer primary key)",
        "insert into core.b select generate_series(1, 10)",
        "create table public.c as select generate_series(1, 50) as id",
        "analyze",
    )


@pytest.mark.postgres
def test_source_reads_count_exactly_what_each_client_read_from_core(pg_database: str) -> None:
    _source(pg_database)
    reset_reads(pg_database)
    assert read_source_reads(pg_database).total == 0
    _execute(
        pg_database,
        "select count(*) from core.a",  # sequential: 100 rows
        "select * from core.b",  # 10
        "select * from core.b",  # 10 again
        "set enable_seqscan = off",
        "set enable_bitmapscan = off",
        "select v from core.a where id <= 5",  # index scan: 5 rows fetched
        "select count(*) from public.c",  # not the source: not counted
    )  # the connection closes, and read_source_reads waits for its backend to exit
    reads = read_source_reads(pg_database)
    assert reads.by_table == {"a": 105, "b": 20}
    assert reads.total == 125
    assert reads.per_row(250) == 0.5 and reads.per_row(0) is None
    reset_reads(pg_database)
    assert read_source_reads(pg_database).by_table == {"a": 0, "b": 0}


@pytest.mark.postgres
def test_source_reads_wait_for_a_client_still_connected(pg_database: str) -> None:
    _source(pg_database)
    reset_reads(pg_database)
    with postgres.connect(pg_database) as client:
        with client.cursor() as cur:
            cur.execute("select count(*) from core.b")
        closer = threading.Timer(0.5, client.close)
        closer.start()
        reads = read_source_reads(pg_database)  # returns once the client has gone
        closer.join()
    assert reads.by_table["b"] == 10


def _databases(prefix: str) -> set[str]:
    with postgres.connect(postgres.ADMIN_DATABASE) as conn, conn.cursor() as cur:
        cur.execute("select datname from pg_database where datname like %s", (prefix + "%",))
        return {str(name) for (name,) in cur.fetchall()}


@pytest.mark.postgres
def test_postgres_slots_copy_by_template_and_are_dropped_when_a_run_fails(
    postgres_server: dict[str, object], tmp_path: Path
) -> None:
    prefix = f"bunit_{uuid.uuid4().hex[:8]}"
    src, orch = (make_slot("postgres", tmp_path, name, prefix) for name in ("src", "orch"))
    try:
        _execute(postgres.ADMIN_DATABASE, f'create database "{src.database}"')
        _source(src.database)
        orch.load_from(src)
        assert orch.source_rows() == {"a": 100, "b": 10}  # core only: public.c is not the source
        assert orch.env()["ETL_PG_DATABASE"] == orch.database
        # a failing run (the generator refuses the scale) still drops the databases
        bench = Bench(-1.0, 1, tmp_path, 0, target="postgres", database_prefix=prefix,
                      runs_only=True)  # fmt: skip
        with pytest.raises(CommandFailed):
            bench.run()
        assert _databases(prefix) == set()
    finally:
        for slot in (src, orch):
            slot.release()


@pytest.mark.postgres
def test_postgres_floor_builds_beside_dbt_compares_and_rolls_back(
    pg_database: str, tmp_path: Path
) -> None:
    _source(pg_database)
    seed = tmp_path / "days.csv"
    seed.write_text("mes,dia\n1,1\n4,21\n")
    db = f'"{pg_database}"'
    _execute(  # what "dbt" built
        pg_database,
        "create schema staging",
        "create schema dim",
        "create schema ref",
        "create view staging.stg as select id, v from core.a",
        "create table dim.d as select id, v, v / 3.0 as ratio from staging.stg",
        "create table ref.days (mes integer, dia integer)",
        "insert into ref.days values (1, 1), (4, 21)",
    )
    statements = [
        Statement("seed.p.days", "seed", f'{db}."ref"."days"', str(seed)),
        Statement("model.p.stg", "view", f'{db}."staging"."stg"',
                  f'select id, v from {db}."core"."a"'),
        Statement("model.p.d", "table", f'{db}."dim"."d"',
                  f'select id, v, v / 3.0 as ratio from {db}."staging"."stg"'),
    ]  # fmt: skip

    def floor() -> object:
        with postgres.connect(pg_database, autocommit=False) as conn:
            try:
                return run_floor(PostgresFloor(conn), statements)
            finally:
                conn.rollback()

    result = floor()
    assert result.matched and result.tables_checked == 2 and result.rows_checked == 102
    assert result.seconds > 0
    with postgres.connect(pg_database) as conn, conn.cursor() as cur:
        cur.execute("select nspname from pg_namespace where nspname like 'bench_built_%'")
        assert cur.fetchall() == []  # rolled back: dbt's schemas are back under their names
    _execute(pg_database, "delete from dim.d where id = 1")
    result = floor()
    assert not result.matched
    (check,) = [c for c in result.checks if c.relation.endswith('"d"')]
    assert (check.rows_floor, check.rows_built) == (100, 99)
    assert any(m.startswith("sum(v)") for m in check.mismatches)
