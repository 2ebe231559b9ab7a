"""The whole product on a source with the original system's exact schema and domains, on
PostgreSQL, with the source's flags ported both ways a `bit` column is commonly ported
(boolean and smallint 0/1): the orchestrated load builds every model, skips no fact,
reconciles with the source month by month, loads every value outside a known domain and
reports it, and the two encodings give the same warehouse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from generator import apply_wave, generate
from tests.conftest import PG_HOST, PG_PASSWORD, PG_PORT, PG_USER, _pg_connect
from tests.dbt_harness import ENTITIES, SNAPSHOTS, WAREHOUSE_TABLES
from tests.models.conftest import AS_OF, NOW, SCALE, SEED

ROOT = Path(__file__).resolve().parents[2]

# Values outside each attribute's known domain, written into the source before the first
# load: (table, key column, key, column, value, warehouse table, warehouse key, column,
# value the warehouse must hold). The CHECK-guarded columns get theirs with the CHECK
# dropped, as a source without that CHECK would hold them.
UNKNOWN_VALUES = (
    (
        "customers",
        "customer_id",
        1,
        "value_category",
        "Premium",
        "dim_cliente",
        "cliente_id",
        "categoria_valor",
        "Premium",
    ),
    (
        "customers",
        "customer_id",
        2,
        "customer_type",
        "Corporativo",
        "dim_cliente",
        "cliente_id",
        "tipo_cliente",
        "Corporativo",
    ),
    (
        "sellers",
        "seller_id",
        1,
        "seller_status",
        "Ferias",
        "dim_vendedor",
        "vendedor_id",
        "situacao",
        "Ativo",
    ),
    (
        "discount_campaigns",
        "discount_id",
        1,
        "discount_type",
        "Relampago",
        "dim_desconto",
        "desconto_id",
        "tipo_desconto",
        "Relampago",
    ),
    (
        "orders",
        "order_id",
        1,
        "sales_channel",
        "WhatsApp",
        "fact_vendas",
        "pedido_original_id",
        "canal_venda",
        "WhatsApp",
    ),
    (
        "products",
        "product_id",
        1,
        "product_status",
        "Sob Encomenda",
        "dim_produto",
        "produto_id",
        "situacao",
        "Sob Encomenda",
    ),
)
# the dbt data tests that must report them (warn, not fail)
WARNING_TESTS = (
    "accepted_values_dim_cliente_categoria_valor",
    "accepted_values_dim_cliente_tipo_cliente",
    "accepted_values_stg_oltp__sellers_seller_status",
    "accepted_values_dim_desconto_tipo_desconto",
    "accepted_values_fact_vendas_canal_venda",
    "accepted_values_dim_produto_situacao",
)


def _connect(env: dict[str, str]):
    return psycopg2.connect(
        host=env["ETL_PG_HOST"],
        port=int(env["ETL_PG_PORT"]),
        user=env["ETL_PG_USER"],
        password=env["ETL_PG_PASSWORD"],
        dbname=env["ETL_PG_DATABASE"],
    )


def _query(env: dict[str, str], sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with _connect(env) as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []


def _write_unknown_values(env: dict[str, str]) -> None:
    with _connect(env) as conn, conn.cursor() as cur:
        for table, key_column, key, column, value, *_ in UNKNOWN_VALUES:
            cur.execute(
                "select con.conname from pg_constraint con"
                " join pg_class rel on rel.oid = con.conrelid"
                " join pg_namespace nsp on nsp.oid = rel.relnamespace"
                " where nsp.nspname = 'core' and rel.relname = %s and con.contype = 'c'"
                " and pg_get_constraintdef(con.oid) like %s",
                (table, f"%{column}%"),
            )
            for (constraint,) in cur.fetchall():
                cur.execute(f'alter table core.{table} drop constraint "{constraint}"')
            cur.execute(
                f"update core.{table} set {column} = %s where {key_column} = %s", (value, key)
            )


def _start_orchestrator(env: dict[str, str], workdir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "orchestrator/run.py", "--entity", "all", "--target", "postgres"],
        cwd=ROOT,
        env={
            **os.environ,
            **env,
            "ETL_NOW": NOW,
            "ETL_TARGET": "postgres",
            "ETL_CONNECTION_AUDIT_DIR": str(workdir),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=900)
    assert process.returncode == 0, output
    return output


def _last_run(env: dict[str, str]) -> tuple[str, str, dict[str, str]]:
    run_id, status = _query(
        env, "select run_id, status from audit.etl_run order by started_at desc limit 1"
    )[0]
    entities = dict(
        _query(
            env,
            "select entity_name, status from audit.etl_run_entity where run_id = %s",
            (run_id,),
        )
    )
    return run_id, status, entities


def _warehouse(env: dict[str, str]) -> dict[str, list[tuple[Any, ...]]]:
    tables = {}
    for entity in ENTITIES:
        schema = WAREHOUSE_TABLES[entity]
        columns = [
            row[0]
            for row in _query(
                env,
                "select column_name from information_schema.columns"
                " where table_schema = %s and table_name = %s order by ordinal_position",
                (schema, entity),
            )
            if not row[0].startswith("_etl_")
        ]
        rows = _query(env, f"select {', '.join(columns)} from {schema}.{entity}")
        tables[entity] = sorted(rows, key=repr)
    return tables


def _month_totals_source(env: dict[str, str]) -> dict[Any, tuple[Any, ...]]:
    """Per order month, from the source: the items that must load (live, not quarantined:
    an existing order and product, a positive quantity, net = gross - discount, a valid
    return, BRL)."""
    rows = _query(
        env,
        "select date_trunc('month', o.order_date)::date, count(*), sum(i.gross_amount),"
        " sum(i.discount_amount), sum(i.net_amount), count(distinct o.order_id)"
        " from core.order_items i join core.orders o on o.order_id = i.order_id"
        " join core.products p on p.product_id = i.product_id"
        " where i.deleted_at is null and o.deleted_at is null and i.quantity > 0"
        " and i.net_amount = i.gross_amount - i.discount_amount"
        " and i.return_quantity between 0 and i.quantity and o.currency_code = 'BRL'"
        " group by 1",
    )
    return {row[0]: row[1:] for row in rows}


def _month_totals_warehouse(env: dict[str, str]) -> dict[Any, tuple[Any, ...]]:
    rows = _query(
        env,
        "select date_trunc('month', data_pedido)::date, count(*), sum(valor_total_bruto),"
        " sum(valor_total_descontos), sum(valor_total_liquido), count(distinct numero_pedido)"
        " from fact.fact_vendas where not _etl_source_deleted group by 1",
    )
    return {row[0]: row[1:] for row in rows}


def _node_statuses(run_id: str) -> dict[str, str]:
    """Status of every dbt node of an orchestrated run (its copy of run_results.json)."""
    results = json.loads((ROOT / "target" / "runs" / run_id / "run_results.json").read_text())
    return {r["unique_id"].split(".")[2]: r["status"] for r in results["results"]}


@pytest.fixture
def pg_second_env(postgres_server: dict[str, object]) -> Iterator[dict[str, str]]:
    """A second fresh PostgreSQL database (settings only; the environment is untouched)."""
    name = f"dwtest_{uuid.uuid4().hex[:12]}"
    admin = _pg_connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'create database "{name}"')
    try:
        yield {
            "ETL_PG_HOST": PG_HOST,
            "ETL_PG_PORT": str(PG_PORT),
            "ETL_PG_USER": PG_USER,
            "ETL_PG_PASSWORD": PG_PASSWORD,
            "ETL_PG_DATABASE": name,
        }
    finally:
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


@pytest.mark.postgres
def test_original_source_loads_whole_with_both_flag_encodings_and_reports_unknown_values(
    tmp_path: Path, pg_env: dict[str, str], pg_second_env: dict[str, str]
):
    encodings = {"boolean": pg_env, "smallint": pg_second_env}
    for flag_type, env in encodings.items():
        with pytest.MonkeyPatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            generate(target="postgres", scale=SCALE, seed=SEED, as_of=AS_OF, flag_type=flag_type)
        _write_unknown_values(env)
    flag_types = {
        flag_type: _query(
            env,
            "select data_type from information_schema.columns where table_schema = 'core'"
            " and table_name = 'customers' and column_name = 'is_vip'",
        )[0][0]
        for flag_type, env in encodings.items()
    }
    assert flag_types == {"boolean": "boolean", "smallint": "smallint"}

    workdirs = {flag_type: tmp_path / flag_type for flag_type in encodings}
    processes = {
        flag_type: _start_orchestrator(env, workdirs[flag_type])
        for flag_type, env in encodings.items()
    }
    for process in processes.values():
        _finish(process)

    for flag_type, env in encodings.items():
        # every model built, no fact skipped, the run a success
        run_id, status, entities = _last_run(env)
        assert status == "success", (flag_type, entities)
        assert entities == dict.fromkeys((*ENTITIES, *SNAPSHOTS), "success"), flag_type
        statuses = _node_statuses(run_id)
        broken = {name: s for name, s in statuses.items() if s in ("error", "fail", "skipped")}
        assert not broken, (flag_type, broken)

        # counts and sums reconcile with the source, month by month
        assert _month_totals_warehouse(env) == _month_totals_source(env), flag_type

        # every value outside its domain loaded (as it is, or mapped as the original maps
        # it) and is reported by its data test as a warning, not an error
        for _, _, key, _, _, table, key_column, column, expected in UNKNOWN_VALUES:
            loaded = _query(
                env,
                f"select distinct {column} from {WAREHOUSE_TABLES[table]}.{table}"
                f" where {key_column} = %s",
                (key,),
            )
            assert loaded == [(expected,)], (flag_type, table, column, loaded)
        for name in WARNING_TESTS:
            matching = {k: v for k, v in statuses.items() if k.startswith(name)}
            assert matching and set(matching.values()) == {"warn"}, (flag_type, name, matching)

    # the two encodings of the same source give the same warehouse
    boolean, smallint = (_warehouse(encodings[flag]) for flag in ("boolean", "smallint"))
    for entity in ENTITIES:
        assert boolean[entity] == smallint[entity], entity

    # a wave on the smallint source loads incrementally, flags and all
    with pytest.MonkeyPatch.context() as patch:
        for key, value in pg_second_env.items():
            patch.setenv(key, value)
        report = apply_wave(1, target="postgres", seed=SEED)
    assert sum(report.inserted.values()) > 0
    _finish(_start_orchestrator(pg_second_env, workdirs["smallint"]))
    _, status, entities = _last_run(pg_second_env)
    assert (status, set(entities.values())) == ("success", {"success"})
    assert _month_totals_warehouse(pg_second_env) == _month_totals_source(pg_second_env)
    deleted = _query(
        pg_second_env,
        "select count(*) from dim.dim_cliente d join core.customers c"
        " on c.customer_id = d.cliente_id where c.deleted_at is not null and not d.eh_ativo",
    )[0][0]
    assert deleted > 0, "the wave's soft-deleted customers are inactive in the warehouse"
