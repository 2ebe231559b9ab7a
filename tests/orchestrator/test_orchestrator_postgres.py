"""The orchestrator on PostgreSQL: a run writes its audit through bind parameters on a real
server, and the advisory lock refuses a second run while one holds the warehouse."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg2
import pytest

from generator import generate
from orchestrator.lock import PG_LOCK_KEY
from tests.orchestrator.conftest import AS_OF, NOW, ROOT, SCALE, SEED

pytestmark = pytest.mark.postgres


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "orchestrator/run.py", "--target", "postgres", *args],
        cwd=ROOT,
        env={**os.environ, **env, "ETL_NOW": NOW},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _connect(env: dict[str, str]):
    return psycopg2.connect(
        host=env["ETL_PG_HOST"],
        port=int(env["ETL_PG_PORT"]),
        user=env["ETL_PG_USER"],
        password=env["ETL_PG_PASSWORD"],
        dbname=env["ETL_PG_DATABASE"],
    )


def test_postgres_run_is_audited_and_the_lock_refuses_a_second_run(
    pg_env: dict[str, str], tmp_path
) -> None:
    generate(target="postgres", scale=SCALE, seed=SEED, as_of=AS_OF)
    env = {**pg_env, "ETL_CONNECTION_AUDIT_DIR": str(tmp_path)}

    result = _run(env, "--entity", "dim_regiao,dim_equipe")

    assert result.returncode == 0, result.stdout + result.stderr
    with _connect(env) as conn, conn.cursor() as cur:
        cur.execute("select run_id, status, target from audit.etl_run")
        ((run_id, status, target),) = cur.fetchall()
        assert (status, target) == ("success", "postgres")
        cur.execute(
            "select entity_name, upserted_count from audit.etl_run_entity where run_id = %s"
            " order by entity_name",
            (run_id,),
        )
        counts = dict(cur.fetchall())
        cur.execute("select count(*) from dim.dim_regiao where _etl_run_id = %s", (run_id,))
        assert counts["dim_regiao"] == cur.fetchone()[0] > 0
        cur.execute(
            "select status, client_address from audit.connection_login_events where run_id = %s",
            (run_id,),
        )
        assert {row[0] for row in cur.fetchall()} == {"success"}

    holder = _connect(env)
    try:
        with holder.cursor() as cur:
            cur.execute("select pg_try_advisory_lock(%s)", (PG_LOCK_KEY,))
            assert cur.fetchone()[0] is True
        refused = _run(env, "--entity", "dim_regiao")
        assert refused.returncode == 3, refused.stdout + refused.stderr
        assert "another run holds the warehouse" in refused.stderr
        assert refused.stderr.strip().count("\n") == 0
    finally:
        holder.close()


def test_postgres_failure_in_one_fact_gives_partial_and_keeps_its_watermark(
    pg_env: dict[str, str], tmp_path
) -> None:
    generate(target="postgres", scale=SCALE, seed=SEED, as_of=AS_OF)
    env = {**pg_env, "ETL_CONNECTION_AUDIT_DIR": str(tmp_path)}
    assert _run(env, "--entity", "all").returncode == 0
    with _connect(env) as conn, conn.cursor() as cur:
        cur.execute("select entity_name, watermark_updated_at, watermark_id from ctl.etl_control")
        before = {row[0]: row[1:] for row in cur.fetchall()}
        cur.execute(
            "update core.customers set updated_at = %s where customer_id = 1", ("2026-01-15 09:00",)
        )
        # break fact_descontos only: applied_at stops being a timestamp
        cur.execute("drop view staging.stg_oltp__order_item_discounts cascade")
        cur.execute(
            "alter table core.order_item_discounts alter column applied_at type varchar(30)"
            " using cast(applied_at as varchar(30))"
        )
        cur.execute("update core.order_item_discounts set applied_at = 'not a date'")

    result = _run(env, "--entity", "all")

    assert result.returncode == 1, result.stdout + result.stderr
    with _connect(env) as conn, conn.cursor() as cur:
        cur.execute("select run_id, status from audit.etl_run order by started_at desc limit 1")
        run_id, status = cur.fetchone()
        assert status == "partial"
        cur.execute(
            "select entity_name, status, error_category from audit.etl_run_entity"
            " where run_id = %s",
            (run_id,),
        )
        entities = {row[0]: row[1:] for row in cur.fetchall()}
        cur.execute("select entity_name, watermark_updated_at, watermark_id from ctl.etl_control")
        after = {row[0]: row[1:] for row in cur.fetchall()}
    assert entities["fact_descontos"] == ("failed", "conversao")
    assert entities["dim_cliente"][0] == "success"
    assert after["fact_descontos"] == before["fact_descontos"]
    assert after["dim_cliente"] != before["dim_cliente"]
