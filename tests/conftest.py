"""Shared fixtures: real engines only (DuckDB in a temp dir, PostgreSQL on localhost)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PG_HOST = os.environ.get("ETL_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("ETL_PG_PORT", "5432"))
PG_USER = os.environ.get("ETL_PG_USER", "postgres")
PG_PASSWORD = os.environ.get("ETL_PG_PASSWORD", "")
# CI sets ETL_REQUIRE_POSTGRES=1: there a missing server is a failure, not a skip.
REQUIRE_POSTGRES = os.environ.get("ETL_REQUIRE_POSTGRES") == "1"


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
