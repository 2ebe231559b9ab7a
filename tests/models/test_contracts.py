"""Enforced contracts: every dimension, fact, history dimension and reporting view declares
its columns' data types (and the tables their NOT NULL and primary keys), and a change
that breaks a contract fails the build with dbt's contract error before anything is
replaced, on the first build and on the incremental one (the custom etl_batched_merge),
on DuckDB and PostgreSQL. SQL Server's DDL is checked in tests/targets.

The breaking change is made in a copy of the project in a temp dir: a flag turned from
boolean into 0/1, the kind of edit a consumer (a dashboard filtering on `eh_ativo`)
would break on.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dbt.cli.main import dbtRunner, dbtRunnerResult

from generator import generate
from tests.conftest import PG_HOST, PG_PASSWORD, PG_PORT, PG_USER, _pg_connect
from tests.dbt_harness import ROOT, environment, release_duckdb
from tests.models.conftest import AS_OF, NOW, SCALE, SEED

CONTRACTED_FOLDERS = ("marts/dims/", "marts/facts/", "marts/history/", "marts/reporting/")
TABLE_KEYS = {
    "dim_cliente": ["cliente_id"],
    "dim_produto": ["produto_id"],
    "dim_regiao": ["regiao_id"],
    "dim_equipe": ["equipe_id"],
    "dim_vendedor": ["vendedor_id"],
    "dim_desconto": ["desconto_id"],
    "dim_data": ["data_id"],
    "fact_vendas": ["venda_id"],
    "fact_metas": ["meta_id"],
    "fact_descontos": ["desconto_aplicado_id"],
    "dim_cliente_historico": ["cliente_id", "numero_versao"],
    "dim_produto_historico": ["produto_id", "numero_versao"],
}
# dim_regiao's flag, as a boolean (the contract) and turned into 0/1 (the breaking change),
# in the rows of the load and in the unknown member of a full build
FLAG = {
    "{{ as_boolean(is_true('is_active') ~ ' and deleted_at is null') }} as eh_ativo": (
        "case when {{ is_true('is_active') }} and deleted_at is null then 1 else 0 end as eh_ativo"
    ),
    "{{ bool_literal(true) }} as eh_ativo": "1 as eh_ativo",
}


def _parse_manifest(target_path: Path) -> dict[str, Any]:
    project = ["--project-dir", str(ROOT), "--profiles-dir", str(ROOT)]
    result = dbtRunner().invoke(["parse", *project, "--target-path", str(target_path), "--quiet"])
    assert result.success, result.exception
    return json.loads((target_path / "manifest.json").read_text())


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _parse_manifest(tmp_path_factory.mktemp("contracts_parse"))


def _models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == "ecommerce_dw"
    }


def test_every_mart_has_an_enforced_contract_with_a_type_for_every_column(manifest):
    contracted = {
        name: node
        for name, node in _models(manifest).items()
        if node["original_file_path"].startswith(tuple(f"models/{f}" for f in CONTRACTED_FOLDERS))
    }
    assert len(contracted) >= 32, sorted(contracted)  # 7 dims, 3 facts, 3 history, 19 views
    problems = []
    for name, node in sorted(contracted.items()):
        if not node["config"]["contract"]["enforced"]:
            problems.append(f"{name}: contract not enforced")
        untyped = [col for col, spec in node["columns"].items() if not spec.get("data_type")]
        if untyped or not node["columns"]:
            problems.append(f"{name}: columns without data_type {untyped or '(none declared)'}")
    assert not problems, problems


def test_tables_declare_their_primary_key_and_not_null_where_tests_require_it(manifest):
    models = _models(manifest)
    for name, key in TABLE_KEYS.items():
        node = models[name]
        declared = [c["columns"] for c in node["constraints"] if c["type"] == "primary_key"] + [
            [col]
            for col, spec in node["columns"].items()
            for c in spec["constraints"]
            if c["type"] == "primary_key"
        ]
        assert declared == [key], (name, declared)
    # a not_null data test at error severity on a contracted table is also a NOT NULL
    # constraint (the engines enforce it on every load)
    missing = []
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or meta.get("name") != "not_null":
            continue
        if node["config"]["severity"].lower() != "error" or node["config"].get("where"):
            continue
        model = (
            models.get(node["attached_node"].split(".")[-1]) if node.get("attached_node") else None
        )
        if model is None or model["name"] not in TABLE_KEYS:
            continue
        column = model["columns"].get(node["column_name"], {})
        if not any(c["type"] == "not_null" for c in column.get("constraints", [])):
            missing.append(f"{model['name']}.{node['column_name']}")
    assert not missing, missing


# --- a broken column type fails the build ---------------------------------------------


def _copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy2(ROOT / name, destination / name)
    for folder in ("models", "macros", "snapshots", "seeds", "tests/dbt"):
        shutil.copytree(ROOT / folder, destination / folder)
    return destination


def _dbt(project: Path, env: dict[str, str], target: str, *args: str) -> dbtRunnerResult:
    command = [*args, "--project-dir", str(project), "--profiles-dir", str(project)]
    command += ["--target", target, "--target-path", str(project / "target")]
    command += ["--vars", json.dumps({"etl_now": NOW}), "--quiet"]
    with environment(env):
        try:
            return dbtRunner().invoke(command)
        finally:
            release_duckdb()


def _query(target: str, env: dict[str, str], sql: str) -> list[tuple[Any, ...]]:
    with environment(env):
        from orchestrator.warehouse import connect_warehouse

        with connect_warehouse(target, read_only=True) as conn:
            cursor = conn.cursor()
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]


def _pg_env() -> Iterator[dict[str, str]]:
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


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    if request.param == "duckdb":
        env = {
            "ETL_DUCKDB_PATH": str(tmp_path / "dw.duckdb"),
            "ETL_OLTP_DUCKDB_PATH": str(tmp_path / "oltp.duckdb"),
        }
        generate(
            target="duckdb",
            scale=SCALE,
            seed=SEED,
            as_of=AS_OF,
            duckdb_path=tmp_path / "oltp.duckdb",
        )
        yield "duckdb", env
        return
    request.getfixturevalue("postgres_server")
    for env in _pg_env():
        with environment(env):
            generate(target="postgres", scale=SCALE, seed=SEED, as_of=AS_OF)
        yield "postgres", env


def _contract_error(result: dbtRunnerResult) -> str:
    assert not result.success, "the broken model built"
    messages = [str(r.message) for r in result.result if str(r.status) == "error"]
    assert len(messages) == 1, messages
    return messages[0]


def test_broken_column_type_fails_the_build_with_the_contract_error(engine, tmp_path: Path):
    target, env = engine
    project = _copy_project(tmp_path / "project")
    built = _dbt(project, env, target, "run", "--select", "+dim_regiao")
    assert built.success, [r.message for r in built.result if str(r.status) == "error"]
    before = _query(target, env, "select * from dim.dim_regiao order by regiao_id")
    watermark = _query(
        target,
        env,
        "select watermark_updated_at, watermark_id from ctl.etl_control"
        " where entity_name = 'dim_regiao'",
    )

    model = project / "models" / "marts" / "dims" / "dim_regiao.sql"
    sql = model.read_text()
    for good, broken in FLAG.items():
        assert sql.count(good) == 1, good
        sql = sql.replace(good, broken)
    model.write_text(sql)

    for kind, extra in (("incremental", ()), ("full refresh", ("--full-refresh",))):
        message = _contract_error(
            _dbt(project, env, target, "run", "--select", "dim_regiao", *extra)
        )
        assert "This model has an enforced contract that failed" in message, (kind, message)
        assert "eh_ativo" in message and "data type mismatch" in message, (kind, message)
        # nothing was replaced: the table, its rows and the watermark are as they were
        after = _query(target, env, "select * from dim.dim_regiao order by regiao_id")
        assert after == before, kind
        assert (
            _query(
                target,
                env,
                "select watermark_updated_at, watermark_id from ctl.etl_control"
                " where entity_name = 'dim_regiao'",
            )
            == watermark
        ), kind
    failed = _query(
        target,
        env,
        "select status, error_message from audit.etl_load_window"
        " where entity_name = 'dim_regiao' order by planned_at desc",
    )[0]
    assert failed[0] == "failed" and "contract" in failed[1], failed
