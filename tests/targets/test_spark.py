"""The project on Apache Spark (dbt-spark in session mode, Iceberg tables), end to end.

One warehouse, built once for the module because every run starts a JVM: the orchestrator
loads the source in full; a wave changes it; a run is killed in the middle of its load
(SIGKILL: no audit closed, no lock released, the entities after the kill point not loaded,
and Spark has no transaction to roll back); the next run recovers the dead run and loads
the rest. Then every warehouse table equals, row for row, the same source loaded on DuckDB
by a full run and an incremental one.

Spark needs Java 17 and the spark extra (`make setup-spark`, part of `make test`): where
they are missing the module is skipped, unless ETL_REQUIRE_SPARK=1 (CI), where that is a
failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from orchestrator import spark_query
from orchestrator.outcomes import STALE_MESSAGE
from tests.orchestrator.conftest import AS_OF, NOW, SCALE, SEED, Site
from tests.spark_compare import CENT_COLUMNS, WAREHOUSE_TABLES, compare_frames, read_duckdb_table

ROOT = Path(__file__).resolve().parents[2]
REQUIRE_SPARK = os.environ.get("ETL_REQUIRE_SPARK") == "1"
# the entity the kill waits for: the dimensions before it are loaded, the facts after not
KILL_AT = "[fact_vendas] started"


def _spark_missing() -> str | None:
    if shutil.which("java") is None:
        return "no Java runtime (make setup-spark installs openjdk-17-jre-headless)"
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        return f"the spark extra is not installed (make setup-spark): {exc}"
    return None


@pytest.fixture(scope="module", autouse=True)
def _spark_available() -> None:
    reason = _spark_missing()
    if reason is None:
        return
    if REQUIRE_SPARK:
        pytest.fail(f"ETL_REQUIRE_SPARK=1 but {reason}")
    pytest.skip(reason)


class SparkSite:
    """A Spark warehouse and its Parquet source in one directory."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "ETL_TARGET": "spark",
            "ETL_SPARK_DIR": str(self.path / "spark"),
            "ETL_SPARK_SOURCE_DIR": str(self.path / "oltp"),
            "ETL_NOW": NOW,
            "ETL_CONNECTION_AUDIT_DIR": str(self.path),
        }

    def generate(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "--target", "spark", "--seed", str(SEED), *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "orchestrator/run.py", "--target", "spark", *args]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args), cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=1200,
        )  # fmt: skip

    def run_killed_at(self, line: str, *args: str) -> tuple[int, str]:
        """A run killed (SIGKILL) as soon as it prints `line`: its pid and its output."""
        process = subprocess.Popen(
            self.command(*args), cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        assert process.stdout is not None
        seen: list[str] = []
        deadline = time.monotonic() + 1200
        for text in process.stdout:
            seen.append(text)
            if line in text or time.monotonic() > deadline:
                break
        process.send_signal(signal.SIGKILL)
        process.communicate()
        output = "".join(seen)
        assert line in output, f"the run ended before {line!r}:\n{output[-3000:]}"
        return process.pid, output

    def query(self, queries: dict[str, str]) -> dict[str, Any]:
        """{name: DataFrame} of `queries` on the warehouse, read by a separate process."""
        return spark_query.query(self.env, queries)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The Spark warehouse after: a full load, a wave, a run killed mid-load, the repair
    run; and the DuckDB warehouse of the same source after a full and an incremental run."""
    spark = SparkSite(tmp_path_factory.mktemp("spark"))
    spark.generate("--scale", f"{SCALE:g}", "--as-of", AS_OF.isoformat())
    full = spark.run("--entity", "all")
    assert full.returncode == 0, full.stdout + full.stderr
    spark.generate("--wave", "1")
    killed_pid, killed_output = spark.run_killed_at(KILL_AT, "--entity", "all")
    repair = spark.run("--entity", "all")

    duck = Site(tmp_path_factory.mktemp("spark-reference"))
    from generator import apply_wave, generate

    generate(target="duckdb", scale=SCALE, seed=SEED, as_of=AS_OF, duckdb_path=duck.source)
    reference_full = duck.run("--entity", "all")
    assert reference_full.returncode == 0, reference_full.stdout + reference_full.stderr
    apply_wave(1, target="duckdb", seed=SEED, duckdb_path=duck.source)
    reference = duck.run("--entity", "all")
    assert reference.returncode == 0, reference.stdout + reference.stderr
    queries = {table: _select(table, cols) for table, cols in WAREHOUSE_TABLES.items()}
    queries |= {
        "runs": "select run_id, status, target, entities_failed, error_message"
        " from audit.etl_run order by started_at",
        "entities": "select r.run_id, r.status as run_status, e.entity_name, e.status,"
        " e.extracted_count, e.upserted_count from audit.etl_run r join audit.etl_run_entity e"
        " on e.run_id = r.run_id order by r.started_at, e.entity_name",
        "windows": "select count(*) as planned from audit.etl_load_window where status = 'planned'",
    }
    return {
        "spark": spark,
        "duck": duck,
        "full": full,
        "killed_pid": killed_pid,
        "killed_output": killed_output,
        "repair": repair,
        # one child process (one JVM start) reads everything the tests look at
        "frames": spark.query(queries),
    }


def _select(table: str, columns: tuple[str, ...] | None) -> str:
    return f"select {', '.join(columns) if columns else '*'} from {table}"


def test_every_warehouse_table_equals_duckdbs_row_for_row(loaded: dict[str, Any]) -> None:
    duck, frames = loaded["duck"], loaded["frames"]
    diffs = [
        compare_frames(
            table,
            read_duckdb_table(duck.warehouse, table, columns),
            frames[table],
            CENT_COLUMNS.get(table, ()),
        )
        for table, columns in WAREHOUSE_TABLES.items()
    ]
    assert all(diff.equal for diff in diffs), "\n".join(d.summary() for d in diffs if not d.equal)
    assert all(diff.duckdb_rows > 0 for diff in diffs), [d.summary() for d in diffs]


def test_the_full_load_and_the_repair_are_audited_like_on_duckdb(loaded: dict[str, Any]) -> None:
    duck, runs = loaded["duck"], loaded["frames"]
    statuses = list(runs["runs"]["status"])
    assert statuses == ["success", "failed", "success"], runs["runs"]
    assert set(runs["runs"]["target"]) == {"spark"}
    assert int(runs["windows"]["planned"][0]) == 0  # the dead run's windows were closed
    # the full load's counts are DuckDB's, entity by entity
    full_id = runs["runs"]["run_id"][0]
    mine = runs["entities"][runs["entities"]["run_id"] == full_id]
    reference = duck.dw(
        "select entity_name, status, extracted_count, upserted_count from audit.etl_run_entity"
        " where run_id = (select run_id from audit.etl_run order by started_at limit 1)"
    )
    assert sorted(
        (r.entity_name, r.status, int(r.extracted_count), int(r.upserted_count))
        for r in mine.itertuples()
    ) == sorted(reference)


def test_a_run_killed_mid_load_is_closed_and_repaired_by_the_next(
    loaded: dict[str, Any],
) -> None:
    spark, repair, frames = loaded["spark"], loaded["repair"], loaded["frames"]
    assert repair.returncode == 0, repair.stdout + repair.stderr
    runs = frames["runs"]
    dead = runs[runs["status"] == "failed"]
    assert len(dead) == 1, runs
    dead_id, message = dead["run_id"].iloc[0], dead["error_message"].iloc[0]
    assert f"recovered run {dead_id}" in repair.stdout
    assert message == STALE_MESSAGE.format(pid=loaded["killed_pid"])
    assert "removed stale lock" in repair.stdout
    entities = frames["entities"][frames["entities"]["run_status"] == "failed"]
    by_entity = dict(zip(entities["entity_name"], entities["status"], strict=True))
    # loaded before the kill, and the entity the kill stopped
    assert by_entity["dim_cliente"] == "success", by_entity
    assert by_entity["fact_vendas"] == "failed", by_entity
    assert not (spark.path / "spark" / "warehouse.lock").exists()
    progress = list(spark.path.glob("progress.spark.*.json"))
    assert len(progress) == 1 and '"success"' in progress[0].read_text()
