"""Governance: exposures for the four apps, model access, and dbt-project-evaluator's rules
for contracts and exposures, checked over the project's manifest.

dbt-project-evaluator (dbt Labs' project checker) is a dbt package from the hub, which
cannot be reached here. Its governance rules (models/marts/governance/*.sql of
dbt-labs/dbt-project-evaluator) and its exposure rule (models/marts/performance/
fct_exposure_parents_materializations.sql) are restated below over manifest.json, with
the same definitions: a finding is a row the evaluator's model would return, and an
exception is what its `dbt_project_evaluator_exceptions` seed would hold.

The exposures must list exactly the models each app queries: the apps' code is read for
the relations it names (`fact.vw_dash_vendas_r1`, `dim.dim_regiao.estado` ...), and the
monitor also reads every entity table ctl.etl_control names (meta.etl.target_table).
"""

from __future__ import annotations

import json
import re
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from dbt.cli.main import dbtRunner

from tests.dbt_harness import ROOT

APPS = {
    "monitor_etl": ("http://127.0.0.1:8501", ["dashboards/monitor", "observability"]),
    "dashboard_vendas": ("http://127.0.0.1:8502", ["dashboards/vendas"]),
    "dashboard_metas": ("http://127.0.0.1:8503", ["dashboards/metas"]),
    "dashboard_descontos": ("http://127.0.0.1:8504", ["dashboards/descontos"]),
}
RELATION = re.compile(r"\b(dim|fact|audit|snapshots)\.([a-z_][a-z0-9_]*)", re.I)
# fct_exposure_parents_materializations flags exposures that read views; the dashboards
# read the original system's consumption views by design (users' reports query them by
# name, and vw_dash_metas_r1 ranks "the last 24 months" as of the moment it is read).
EXCEPTIONS = {
    ("fct_exposure_parents_materializations", "vw_dash_vendas_r1"): "original's view, by name",
    ("fct_exposure_parents_materializations", "vw_dash_metas_r1"): "original's view, now-relative",
    ("fct_exposure_parents_materializations", "vw_dash_descontos_r1"): "original's view, by name",
}


def _dbt(*args: str, target_path: Path) -> Any:
    project = ["--project-dir", str(ROOT), "--profiles-dir", str(ROOT)]
    result = dbtRunner().invoke([*args, *project, "--target-path", str(target_path), "--quiet"])
    assert result.success, result.exception
    return result


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    target_path = tmp_path_factory.mktemp("governance")
    _dbt("parse", target_path=target_path)
    manifest = json.loads((target_path / "manifest.json").read_text())
    listed = {}
    for exposure in APPS:
        result = _dbt(
            "ls",
            "--select",
            f"+exposure:{exposure}",
            "--resource-type",
            "model",
            "--output",
            "name",
            target_path=target_path,
        )
        listed[exposure] = set(result.result)
    return {"manifest": manifest, "listed": listed}


def _models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == "ecommerce_dw"
    }


def _by_relation(manifest: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (node["schema"].lower(), (node["alias"] or node["name"]).lower()): uid
        for uid, node in _models(manifest).items()
    }


def _models_read_by(manifest: dict[str, Any], folders: list[str]) -> set[str]:
    """The models an app's code names as schema.relation (audit/ctl tables are not models)."""
    relations = _by_relation(manifest)
    found = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for schema, name in RELATION.findall(path.read_text(encoding="utf-8")):
                uid = relations.get((schema.lower(), name.lower()))
                if uid:
                    found.add(uid)
    return found


def _entity_tables(manifest: dict[str, Any]) -> set[str]:
    """The tables ctl.etl_control names (meta.etl.target_table of the entity models)."""
    relations = _by_relation(manifest)
    tables = set()
    for node in _models(manifest).values():
        etl = (node["config"].get("meta") or {}).get("etl")
        if etl:
            schema, table = etl["target_table"].lower().split(".")
            tables.add(relations[(schema, table)])
    return tables


def test_manifest_has_one_exposure_per_app_with_the_models_it_reads(project):
    manifest = project["manifest"]
    exposures = {node["name"]: node for node in manifest["exposures"].values()}
    assert set(exposures) == set(APPS)
    for name, (url, folders) in APPS.items():
        exposure = exposures[name]
        assert exposure["url"] == url, name
        assert exposure["owner"].get("name") and exposure["owner"].get("email"), name
        assert exposure["description"].strip() and exposure["type"] in ("dashboard", "application")
        expected = _models_read_by(manifest, folders)
        if name == "monitor_etl":
            expected |= _entity_tables(manifest)
        assert expected, f"{name}: the app's code names no model"
        assert set(exposure["depends_on"]["nodes"]) == expected, name


def test_dbt_ls_plus_exposure_selects_every_model_upstream_of_the_app(project):
    manifest = project["manifest"]
    parents = manifest["parent_map"]
    for exposure in manifest["exposures"].values():
        upstream, todo = set(), deque(exposure["depends_on"]["nodes"])
        while todo:
            node = todo.popleft()
            if node in upstream:
                continue
            upstream.add(node)
            todo.extend(parents.get(node, []))
        expected = {manifest["nodes"][uid]["name"] for uid in upstream if uid.startswith("model.")}
        listed = project["listed"][exposure["name"]]
        assert listed == expected, exposure["name"]
        assert any(name.startswith("stg_oltp__") for name in listed), exposure["name"]
    assert {"vw_dash_vendas_r1", "fact_vendas", "dim_cliente", "stg_oltp__orders"} <= project[
        "listed"
    ]["dashboard_vendas"]


def test_marts_are_public_and_building_blocks_protected(project):
    wrong = []
    for node in _models(project["manifest"]).values():
        path = node["original_file_path"]
        expected = "public" if path.startswith("models/marts/") else "protected"
        if node["access"] != expected:
            wrong.append(f"{node['name']}: {node['access']} (expected {expected})")
    assert not wrong, wrong


# --- dbt-project-evaluator's rules -----------------------------------------------------


def _findings(rule: str, rows: list[str]) -> list[str]:
    return [row for row in rows if (rule, row) not in EXCEPTIONS]


def test_evaluator_public_models_have_contracts(project):
    """fct_public_models_without_contract: access = public and contract not enforced."""
    rows = [
        node["name"]
        for node in project["manifest"]["nodes"].values()
        if node.get("access") == "public"
        and not (node.get("contract") or {}).get("enforced")
        and node["package_name"] == "ecommerce_dw"
    ]
    assert not _findings("fct_public_models_without_contract", rows), rows


def test_evaluator_public_models_are_documented(project):
    """fct_undocumented_public_models: a public model without a description, without
    columns, or with a column left undescribed."""
    rows = []
    for node in _models(project["manifest"]).values():
        if node["access"] != "public":
            continue
        columns = node["columns"].values()
        described = [column for column in columns if column["description"].strip()]
        if not node["description"].strip() or not columns or len(described) < len(columns):
            rows.append(node["name"])
    assert not _findings("fct_undocumented_public_models", rows), rows


def test_evaluator_exposures_depend_on_public_models(project):
    """fct_exposures_dependent_on_private_models: a direct parent of an exposure that is
    not a public model (a source counts as not public)."""
    manifest = project["manifest"]
    rows = []
    for exposure in manifest["exposures"].values():
        for parent in exposure["depends_on"]["nodes"]:
            node = manifest["nodes"].get(parent)
            if node is None or node["resource_type"] != "model" or node["access"] != "public":
                rows.append(f"{exposure['name']} <- {parent}")
    assert not _findings("fct_exposures_dependent_on_private_models", rows), rows


def test_evaluator_exposure_parents_are_materialized(project):
    """fct_exposure_parents_materializations: a direct parent of an exposure that is a
    source, or a model materialized as a view or ephemeral (the dashboards' views are
    documented exceptions)."""
    manifest = project["manifest"]
    rows = []
    for exposure in manifest["exposures"].values():
        for parent in exposure["depends_on"]["nodes"]:
            node = manifest["nodes"].get(parent) or manifest["sources"][parent]
            if node["resource_type"] == "source" or node["config"]["materialized"] in (
                "view",
                "ephemeral",
            ):
                rows.append(node["name"])
    assert not _findings("fct_exposure_parents_materializations", rows), rows
    unused = {name for rule, name in EXCEPTIONS if name not in rows}
    assert not unused, f"exceptions that no longer apply: {unused}"


def test_docs_overview_explains_the_warehouse_load_and_exposures(project):
    overview = project["manifest"]["docs"]["doc.ecommerce_dw.__overview__"]["block_contents"]
    for topic in ("How to read it", "How it loads", "Contracts", "Exposures", "valido_de"):
        assert topic in overview, topic
