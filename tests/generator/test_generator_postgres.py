"""PostgreSQL and DuckDB sources of the same seed are identical row for row, before and after
a wave; the PostgreSQL writer is transactional."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg2
import pytest
from oltp_snapshots import AS_OF

from generator import GeneratorError, apply_wave, generate
from generator.export import export_canonical
from generator.schema import TABLE_NAMES, TABLES

pytestmark = pytest.mark.postgres


def _pg_query(env: dict[str, str], sql: str) -> list[tuple[object, ...]]:
    con = psycopg2.connect(
        host=env["ETL_PG_HOST"],
        port=int(env["ETL_PG_PORT"]),
        user=env["ETL_PG_USER"],
        password=env["ETL_PG_PASSWORD"],
        dbname=env["ETL_PG_DATABASE"],
    )
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


def test_postgres_and_duckdb_sources_are_identical_before_and_after_a_wave(
    pg_env: dict[str, str], make_source: Callable[..., Path]
) -> None:
    duck = make_source(scale=0.02, seed=9)
    report = generate(target="postgres", scale=0.02, seed=9, as_of=AS_OF)
    assert report.location.startswith("postgresql://")
    duck_rows = export_canonical("duckdb", duck)
    pg_rows = export_canonical("postgres")
    for name in TABLE_NAMES:
        assert pg_rows[name] == duck_rows[name], name

    duck_wave = apply_wave(1, duckdb_path=duck, seed=9)
    pg_wave = apply_wave(1, target="postgres", seed=9)
    assert (pg_wave.inserted, pg_wave.updated, pg_wave.soft_deleted) == (
        duck_wave.inserted,
        duck_wave.updated,
        duck_wave.soft_deleted,
    )
    duck_rows = export_canonical("duckdb", duck)
    pg_rows = export_canonical("postgres")
    for name in TABLE_NAMES:
        assert pg_rows[name] == duck_rows[name], name


def test_postgres_source_has_the_contract_ddl_and_bookkeeping(pg_env: dict[str, str]) -> None:
    generate(target="postgres", scale=0.01, as_of=AS_OF)
    tables = _pg_query(
        pg_env,
        "select table_name from information_schema.tables where table_schema = 'core'"
        " order by table_name",
    )
    assert sorted(t for (t,) in tables) == sorted(TABLE_NAMES)
    indexes = _pg_query(
        pg_env,
        "select indexdef from pg_indexes where schemaname = 'core'"
        " and indexname like 'ix_core_%_updated_id' order by indexname",
    )
    assert len(indexes) == len(TABLE_NAMES)
    assert all("(updated_at, " in d for (d,) in indexes)
    constraints = dict(
        _pg_query(
            pg_env,
            "select constraint_type, count(*) from information_schema.table_constraints"
            " where table_schema = 'core' and constraint_name like any"
            " (array['pk_core_%', 'uq_core_%', 'ck_core_%']) group by constraint_type",
        )
    )
    assert constraints == {
        "PRIMARY KEY": len(TABLES),
        "UNIQUE": sum(len(t.unique) for t in TABLES),
        "CHECK": sum(len(t.checks) for t in TABLES),
    }
    assert constraints["UNIQUE"] == 12 and constraints["CHECK"] == 38  # the original's
    assert _pg_query(pg_env, "select wave, seed, flag_type from generator_meta.runs") == [
        (0, 42, "boolean")
    ]
    with pytest.raises(psycopg2.errors.CheckViolation):
        _pg_query(pg_env, "update core.order_items set quantity = -1 where order_item_id = 1")
    with pytest.raises(psycopg2.errors.CheckViolation):
        _pg_query(pg_env, "update core.sellers set seller_status = 'Afastado' where seller_id = 1")
    with pytest.raises(psycopg2.errors.UniqueViolation):
        _pg_query(
            pg_env,
            "insert into core.regions (region_id, region_code, state, state_name, city)"
            " select 99, 'X', state, state_name, city from core.regions where region_id = 1",
        )
    ((fks,),) = _pg_query(
        pg_env,
        "select count(*) from information_schema.table_constraints"
        " where table_schema = 'core' and constraint_type = 'FOREIGN KEY'",
    )
    assert fks == 0  # no foreign keys: the warehouse copes with orphans


def test_postgres_refuses_to_overwrite_and_force_replaces(pg_env: dict[str, str]) -> None:
    generate(target="postgres", scale=0.01, seed=1, as_of=AS_OF)
    before = export_canonical("postgres")
    with pytest.raises(GeneratorError, match=r"already exists .*use --force"):
        generate(target="postgres", scale=0.01, seed=2, as_of=AS_OF)
    assert export_canonical("postgres") == before
    generate(target="postgres", scale=0.01, seed=2, as_of=AS_OF, force=True, checks=False)
    assert export_canonical("postgres")["orders"] != before["orders"]
    _pg_query(pg_env, "select 1")  # still reachable
    # legacy source: no CHECK, the primary key stays
    con = psycopg2.connect(
        host=pg_env["ETL_PG_HOST"],
        port=int(pg_env["ETL_PG_PORT"]),
        user=pg_env["ETL_PG_USER"],
        dbname=pg_env["ETL_PG_DATABASE"],
    )
    with con, con.cursor() as cur:
        cur.execute("update core.order_items set quantity = -1 where order_item_id = 1")
    with pytest.raises(psycopg2.errors.UniqueViolation), con, con.cursor() as cur:
        cur.execute("insert into core.regions select * from core.regions where region_id = 1")
    con.close()


def test_postgres_database_is_created_when_missing(
    pg_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = pg_env["ETL_PG_DATABASE"] + "_new"
    monkeypatch.setenv("ETL_PG_DATABASE", missing)
    try:
        generate(target="postgres", scale=0.01, as_of=AS_OF)
        assert export_canonical("postgres")["regions"].count(b"\n") == 16
    finally:
        admin = psycopg2.connect(
            host=pg_env["ETL_PG_HOST"],
            port=int(pg_env["ETL_PG_PORT"]),
            user=pg_env["ETL_PG_USER"],
            dbname="postgres",
        )
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{missing}" with (force)')
        admin.close()
