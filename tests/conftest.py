"""Shared fixtures: real engines only (DuckDB in a temp dir, PostgreSQL on localhost)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PG_HOST = os.environ.get("ETL_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("ETL_PG_PORT", "5432"))
PG_USER = os.environ.get("ETL_PG_USER", "postgres")
PG_PASSWORD = os.environ.get("ETL_PG_PASSWORD", "")
# CI sets ETL_REQUIRE_POSTGRES=1: there a missing server is a failure, not a skip.
REQUIRE_POSTGRES = os.environ.get("ETL_REQUIRE_POSTGRES") == "1"


# The longest files, started first: xdist gives each worker whole files in collection
# order (the Makefile turns off its reordering by test count), so a long file collected
# last would leave the other worker idle at the end. Spark's end-to-end test is the
# longest by far (one JVM per run).
LONGEST_FIRST = (
    "tests/targets/test_spark.py",
    "tests/bench/test_bench_smoke.py",
    "tests/models/test_incremental_equals_full_refresh.py",
    "tests/models/test_original_source.py",
    "tests/orchestrator/test_orchestrator_duckdb.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within each file and among the rest is kept


def build_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], dict[str, Any]]
) -> tuple[Path, dict[str, Any]]:
    """A directory filled by `build`, which returns what it saw (JSON), and that outcome.

    Under xdist each worker holds its own session fixtures: without this, every worker that
    collects a file needing a built warehouse runs the orchestrator to build it again. The
    first worker to ask builds it in the directory the workers share, under a file lock;
    every worker then gets a private copy, so no two share a warehouse file (nor the dbt
    target path derived from it). A build that fails records nothing: the next worker
    tries again and fails the same way.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        path = tmp_path_factory.mktemp(name)
        return path, build(path)
    shared = tmp_path_factory.getbasetemp().parent / f"built-{name}"
    outcome_file = shared.with_name(f"{shared.name}.json")
    with open(shared.with_name(f"{shared.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not outcome_file.exists():
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir()
            outcome_file.write_text(json.dumps(build(shared)))
    private = tmp_path_factory.mktemp(name)
    shutil.copytree(shared, private, dirs_exist_ok=True)
    return private, json.loads(outcome_file.read_text())


def _pg_connect(dbname: str):
    import psycopg2

    return psycopg2.connect(
        host=PG_HOST,
        port=PG_PORT,
        user=PG_USER,
        password=PG_PASSWORD,
        dbname=dbname,
        connect_timeout=3,
    )


def _postgres_unavailable_reason() -> str | None:
    try:
        _pg_connect("postgres").close()
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_HOST}:{PG_PORT} as {PG_USER}: {exc}".strip()
    return None


@pytest.fixture(scope="session")
def postgres_server() -> dict[str, object]:
    """Connection settings of the local PostgreSQL server; skips (or fails in CI) without one."""
    reason = _postgres_unavailable_reason()
    if reason:
        if REQUIRE_POSTGRES:
            pytest.fail(f"ETL_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    return {"host": PG_HOST, "port": PG_PORT, "user": PG_USER, "password": PG_PASSWORD}


@pytest.fixture
def pg_database(postgres_server: dict[str, object]) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"dwtest_{uuid.uuid4().hex[:12]}"
    admin = _pg_connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'create database "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


@pytest.fixture
def pg_env(pg_database: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment pointing every component (generator, dbt, orchestrator) at the fresh database."""
    env = {
        "ETL_PG_HOST": PG_HOST,
        "ETL_PG_PORT": str(PG_PORT),
        "ETL_PG_USER": PG_USER,
        "ETL_PG_PASSWORD": PG_PASSWORD,
        "ETL_PG_DATABASE": pg_database,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env
