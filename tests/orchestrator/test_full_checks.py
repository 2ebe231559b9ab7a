"""Incremental runs and full checks, through the orchestrator on the real dbt (DuckDB).

An incremental run tests the rows it loads: dbt's unit tests and the intermediate models'
data tests are left out of its `dbt build`, while the entity tables' tests run. A full
check (`--full-checks`) runs them all, and audit.etl_run says which run was which.

The bad row: a sale whose order is in a status outside the domain ('Extraviado'). Its
product does not exist, so fact_vendas quarantines it and no entity table holds it: only
int_vendas_validated's accepted_values test on order_status sees it. The incremental run
does not report it; the full check reports that test failing, at its configured severity.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest

from orchestrator.config import RunConfig
from tests.orchestrator.conftest import ROOT, Site, _copy

BAD_STATUS = "Extraviado"
MISSING_PRODUCT = -999
CHANGED_AT = "2026-01-15 06:00:00"  # after the built watermarks, before the cutoff
# the source keeps CHECK (order_status in (...)): the bad order needs a table without it
UNCHECKED_ORDERS = (
    "create table core.orders_unchecked as select * from core.orders;"
    " drop table core.orders; alter table core.orders_unchecked rename to orders"
)

AUDIT_COLUMNS = ("run_id", "status", "error_message", "full_checks", "full_refresh")


@dataclass(frozen=True)
class Run:
    """One orchestrated run: its exit code and output, its audit.etl_run row and the
    status of each dbt node it ran (its copy of run_results.json)."""

    result: subprocess.CompletedProcess
    audit: dict[str, Any]
    nodes: dict[str, str]

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr


@dataclass(frozen=True)
class Project:
    """The nodes of the manifest the tests reason about."""

    unit_tests: set[str]
    intermediate_tests: set[str]  # data tests attached to models/intermediate models
    entity_tests: dict[str, set[str]]  # entity model -> the data tests attached to it
    status_test: str  # int_vendas_validated: accepted_values on order_status
    status_test_severity: str


@dataclass(frozen=True)
class Checked:
    site: Site
    bad_item: int
    incremental: Run
    full: Run
    project: Project


def _run(site: Site, *args: str) -> Run:
    result = site.run("--entity", "all", *args)
    audit = site.dw(
        f"select {', '.join(AUDIT_COLUMNS)} from audit.etl_run order by started_at desc limit 1"
    )[0]
    row = dict(zip(AUDIT_COLUMNS, audit, strict=True))
    # read at once: the orchestrator keeps the newest 20 run folders
    results = json.loads(
        (ROOT / "target" / "runs" / row["run_id"] / "run_results.json").read_text()
    )
    nodes = {item["unique_id"]: item["status"] for item in results["results"]}
    return Run(result, row, nodes)


def _project(site: Site) -> Project:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ETL_DUCKDB_PATH", str(site.warehouse))
        target_path = RunConfig(entities=None, target="duckdb").target_path
    manifest = json.loads((target_path / "manifest.json").read_text())
    models = {uid: node for uid, node in manifest["nodes"].items() if uid.startswith("model.")}
    intermediate = {
        uid
        for uid, node in models.items()
        if node["original_file_path"].startswith("models/intermediate/")
    }
    entities = {
        uid for uid, node in models.items() if (node["config"].get("meta") or {}).get("etl")
    }
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    entity_tests: dict[str, set[str]] = {models[uid]["name"]: set() for uid in entities}
    for test in tests:
        if test.get("attached_node") in entities:
            entity_tests[models[test["attached_node"]]["name"]].add(test["unique_id"])
    (status_test,) = [
        test
        for test in tests
        if test.get("attached_node") == "model.ecommerce_dw.int_vendas_validated"
        and test.get("column_name") == "order_status"
        and (test.get("test_metadata") or {}).get("name") == "accepted_values"
    ]
    return Project(
        unit_tests=set(manifest["unit_tests"]),
        intermediate_tests={
            test["unique_id"] for test in tests if test.get("attached_node") in intermediate
        },
        entity_tests=entity_tests,
        status_test=status_test["unique_id"],
        status_test_severity=str(status_test["config"]["severity"]).lower(),
    )


@pytest.fixture(scope="module")
def checked(
    built_site: tuple[Site, subprocess.CompletedProcess], tmp_path_factory: pytest.TempPathFactory
) -> Checked:
    """The built warehouse with the bad sale in its source, loaded by an incremental run,
    then checked in full (`--full-checks`)."""
    base, built = built_site
    assert built.returncode == 0, built.stdout + built.stderr
    site = _copy(base.path, tmp_path_factory.mktemp("full_checks"))
    ((order_id, item_id),) = site.oltp(
        "select (select max(order_id) + 1 from core.orders),"
        " (select max(order_item_id) + 1 from core.order_items)"
    )
    site.oltp(UNCHECKED_ORDERS, write=True)
    stamped = (
        "timestamp '" + CHANGED_AT + "' as created_at, timestamp '" + CHANGED_AT + "' as updated_at"
    )
    # a copy of the first order and of the first item, as a new order of one item
    site.oltp(
        f"insert into core.orders select * replace (? as order_id, ? as order_number,"
        f" ? as order_status, {stamped}) from core.orders"
        " where order_id = (select min(order_id) from core.orders)",
        order_id,
        f"FULL-CHECK-{order_id}",
        BAD_STATUS,
        write=True,
    )
    site.oltp(
        f"insert into core.order_items select * replace (? as order_item_id, ? as order_id,"
        f" ? as product_id, {stamped}) from core.order_items"
        " where order_item_id = (select min(order_item_id) from core.order_items)",
        item_id,
        order_id,
        MISSING_PRODUCT,
        write=True,
    )
    incremental = _run(site)
    project = _project(site)
    full = _run(site, "--full-checks")
    return Checked(site, item_id, incremental, full, project)


def _tested(run: Run, tests: set[str]) -> set[str]:
    return tests & set(run.nodes)


def test_incremental_run_leaves_out_unit_and_intermediate_tests_and_tests_its_entities(
    checked: Checked,
) -> None:
    run, project = checked.incremental, checked.project
    assert run.result.returncode == 0, run.output
    assert project.unit_tests and project.intermediate_tests  # there are some to leave out
    assert not [uid for uid in run.nodes if uid.startswith("unit_test.")]
    assert _tested(run, project.intermediate_tests) == set()
    for entity, tests in project.entity_tests.items():
        assert _tested(run, tests) == tests, entity
        assert {run.nodes[uid] for uid in tests} <= {"pass"}, entity
    assert sum(len(tests) for tests in project.entity_tests.values()) > 100
    assert (run.audit["full_checks"], run.audit["full_refresh"]) == (False, False)


def test_full_check_runs_unit_and_intermediate_tests_and_is_audited_as_one(
    checked: Checked,
) -> None:
    run, project = checked.full, checked.project
    # every one is in the build; dbt skips those downstream of the failing test (below)
    assert {uid for uid in run.nodes if uid.startswith("unit_test.")} == project.unit_tests
    assert _tested(run, project.intermediate_tests) == project.intermediate_tests
    unit_statuses = [run.nodes[uid] for uid in project.unit_tests]
    assert set(unit_statuses) == {"pass", "skipped"} and unit_statuses.count("pass") >= 10
    for entity, tests in project.entity_tests.items():
        assert _tested(run, tests) == tests, entity
    assert (run.audit["full_checks"], run.audit["full_refresh"]) == (True, False)
    # the incremental run before it stays recorded as what it was
    assert checked.site.dw(
        "select run_id, full_checks from audit.etl_run where run_id = ?",
        checked.incremental.audit["run_id"],
    ) == [(checked.incremental.audit["run_id"], False)]


def test_bad_intermediate_row_goes_unreported_incrementally_and_fails_the_full_check(
    checked: Checked,
) -> None:
    project, site = checked.project, checked.site
    # the sale reached no entity table: quarantined, as its product does not exist
    assert site.dw(
        "select count(*) from fact.fact_vendas where venda_id = ?", checked.bad_item
    ) == [(0,)]
    assert site.dw(
        "select reason from audit.etl_quarantine where entity_name = 'fact_vendas'"
        " and natural_key = ?",
        checked.bad_item,
    ) == [("produto_inexistente",)]

    incremental = checked.incremental
    assert incremental.result.returncode == 0, incremental.output
    assert project.status_test not in incremental.nodes
    assert (incremental.audit["status"], incremental.audit["error_message"]) == ("success", None)

    full = checked.full
    failing = "fail" if project.status_test_severity == "error" else "warn"
    assert full.nodes[project.status_test] == failing, full.output
    problems = {uid for uid, status in full.nodes.items() if status in ("fail", "error", "warn")}
    assert problems == {project.status_test}
    assert failing == "fail", "configured as an error: it fails the build (below)"
    assert full.result.returncode == 1, full.output
    assert full.audit["status"] == "partial"
    assert "fail" in (full.audit["error_message"] or "")
    # dbt build skips what reads the failing model: the facts built on the sales wait for
    # the source to be fixed; the other entities load
    entities = site.entities(full.audit["run_id"])
    skipped = {name for name, entity in entities.items() if entity["status"] == "skipped"}
    assert skipped == {"fact_vendas", "fact_metas"}
    assert {entity["status"] for name, entity in entities.items() if name not in skipped} == {
        "success"
    }
