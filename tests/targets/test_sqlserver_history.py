"""The history (snapshots, history dimensions) and the contracts on the SQL Server target,
verified statically through the stand-in connection (no SQL Server runs here).

Per module, two real ``dbt build --target sqlserver`` of the snapshots, the history
models and two dimensions (dim_regiao, dim_produto), data tests aside:

* against an empty warehouse: the first-build path. The contract DDL dbt-sqlserver
  sends must carry the contract's types as SQL Server has them (booleans ``bit``,
  timestamps ``datetime2``) and the primary keys (``nonclustered``, beside the
  clustered columnstore index);
* against a populated warehouse (the snapshots exist): dbt-sqlserver's snapshot merge,
  and our snapshot audit SQL (window planned, versions stamped, window closed).

Every batch our macros send (audit window, version stamps) and every compiled snapshot
and history model is checked as T-SQL by ``tsql_check``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner
from sqlserver_standin import ExecutedSql, PopulatedWarehouse, standin_sqlserver
from test_sqlserver_compiles import SQLSERVER_ENV, _invoke_dbt, _report, _run_dbt
from tsql_check import tsql_problems

SNAPSHOTS = ("snap_oltp__customers", "snap_oltp__products")
HISTORY = ("dim_cliente_historico", "dim_produto_historico", "vw_vendas_com_historico")
# two dimensions alone, not their upstream: built in the same invocation, the upstream
# views would exist for the load window, whose queries the empty stand-in cannot answer
SELECTION = [*SNAPSHOTS, *HISTORY, "dim_regiao", "dim_produto"]
CONTROL_TABLES = [("ctl", "etl_control"), ("audit", "etl_load_window"), ("audit", "etl_quarantine")]
_OURS = re.compile(r"etl_load_window|_etl_closed_invocation_id", re.I)
_OUR_STATEMENT = re.compile(r"\s*(?:select|insert|update|with)\b", re.I)


@dataclass(frozen=True)
class Build:
    success: bool
    error: str
    executed: list[ExecutedSql]

    def ours(self) -> list[ExecutedSql]:
        """Batches our macros sent: the audit window and the snapshot version stamps."""
        found = []
        for batch in self.executed:
            text = re.sub(r"/\*.*?\*/", " ", batch.sql, flags=re.S)
            if _OUR_STATEMENT.match(text) and _OURS.search(text):
                found.append(batch)
        return found

    def create_table(self, name: str) -> str:
        """The CREATE TABLE dbt-sqlserver sent for a model's first build (whitespace folded)."""
        for batch in self.executed:
            text = " ".join(batch.sql.split())
            found = re.search(
                rf'CREATE TABLE "[^"]+"\."\w+"\."{name}(?:__dbt_tmp)?" \((.*?)\) INSERT', text
            )
            if found:
                return found.group(1)
        raise AssertionError(f"no CREATE TABLE sent for {name}")


@dataclass(frozen=True)
class Runs:
    target_path: Path
    manifest: dict
    first: Build
    populated: Build


def _build(target_path: Path, runner: dbtRunner, warehouse: PopulatedWarehouse | None) -> Build:
    args = ["build", "--target", "sqlserver", "--select", *SELECTION]
    args += ["--exclude-resource-type", "test", "unit_test"]
    with standin_sqlserver(warehouse) as server:
        success, error = _invoke_dbt(args, target_path, SQLSERVER_ENV, runner)
    return Build(success, error, list(server.executed))


def _populated(manifest: dict) -> PopulatedWarehouse:
    """Every relation of the manifest exists; the snapshots with their documented columns."""
    relations = dict.fromkeys(CONTROL_TABLES, "table")
    columns: dict[tuple[str, str], list[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] not in {"model", "seed", "snapshot"}:
            continue
        key = (node["schema"].lower(), (node["alias"] or node["name"]).lower())
        relations[key] = "view" if node["config"].get("materialized") == "view" else "table"
        if node["resource_type"] == "snapshot":
            columns[key] = list(node["columns"])
    return PopulatedWarehouse(relations=relations, columns=columns)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    target_path = tmp_path_factory.mktemp("sqlserver_history")
    parsed = _run_dbt(["parse", "--target", "sqlserver"], target_path, SQLSERVER_ENV)
    assert parsed.success, f"dbt parse --target sqlserver failed:\n{parsed.exception}"
    runner = dbtRunner(manifest=parsed.result)
    manifest = json.loads((target_path / "manifest.json").read_text())
    first = _build(target_path, runner, None)
    populated = _build(target_path, runner, _populated(manifest))
    yield Runs(target_path, manifest, first, populated)


def test_snapshots_and_history_build_on_an_empty_and_a_populated_warehouse(runs: Runs) -> None:
    assert runs.first.success, f"first build failed:\n{runs.first.error}"
    assert runs.populated.success, f"build on a populated warehouse failed:\n{runs.populated.error}"
    nodes = {b.node.rsplit(".", 1)[-1] for b in runs.populated.executed}
    assert set(SNAPSHOTS) | set(HISTORY) <= nodes


def test_compiled_snapshots_and_history_models_are_valid_tsql(runs: Runs) -> None:
    results = json.loads((runs.target_path / "run_results.json").read_text())["results"]
    compiled = {
        result["unique_id"]: result["compiled_code"]
        for result in results
        if result["unique_id"].split(".")[-1] in SNAPSHOTS + HISTORY
    }
    assert len(compiled) == len(SNAPSHOTS + HISTORY), sorted(compiled)
    problems = [
        problem for node, sql in sorted(compiled.items()) for problem in tsql_problems(sql, node)
    ]
    assert not problems, _report(problems)


def test_snapshot_audit_sql_is_sent_for_each_snapshot_and_is_valid_tsql(runs: Runs) -> None:
    ours = runs.populated.ours()
    for snapshot in SNAPSHOTS:
        sent = [" ".join(b.sql.split()) for b in ours if b.node.endswith(f".{snapshot}")]
        assert any("'snapshot', 'planned'" in sql for sql in sent), (
            f"{snapshot}: window not planned"
        )
        assert any("set _etl_closed_invocation_id" in sql for sql in sent), f"{snapshot}: no stamp"
        assert any("set status = 'loaded'" in sql for sql in sent), f"{snapshot}: window not closed"
    problems = []
    for sql in dict.fromkeys(b.sql for b in runs.first.ours() + ours):
        problems += tsql_problems(sql, "snapshot audit SQL sent during dbt build")
    assert not problems, _report(problems)


def test_contract_ddl_has_sql_server_types_and_primary_keys(runs: Runs) -> None:
    dim_regiao = runs.first.create_table("dim_regiao")
    assert re.search(r"\bregiao_id BIGINT not null primary key nonclustered\b", dim_regiao)
    assert re.search(r"\beh_ativo BIT\b", dim_regiao), dim_regiao
    assert re.search(r"\bdata_cadastro DATETIME2\(6\)", dim_regiao), dim_regiao
    assert re.search(r"\bestado varchar\(2\)", dim_regiao), dim_regiao
    assert not re.search(r"\bboolean\b", dim_regiao, re.I), dim_regiao
    # a per-target type: the source's varchar(max) description
    assert re.search(r"\bdescricao_completa varchar\(max\)", runs.first.create_table("dim_produto"))

    history = runs.first.create_table("dim_cliente_historico")
    assert 'primary key nonclustered ("cliente_id", "numero_versao")' in history, history
    assert re.search(r"\bvalido_de DATETIME2\(6\) not null\b", history), history
    assert re.search(r"\beh_versao_atual BIT not null\b", history), history
