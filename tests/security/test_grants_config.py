"""dbt `grants` (dbt_project.yml) are for PostgreSQL with the roles of `make roles`: with
ETL_PG_GRANTS=1 every dim, fact and reporting relation grants SELECT to the reading roles
(the audit view never to bi_reader), and they are empty everywhere else, so dbt-duckdb
(which warns on any grant) and a PostgreSQL without the roles keep working. Read from the
manifest of a real `dbt parse`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from dbt.cli.main import dbtRunner

from tests.dbt_harness import ROOT, environment

READERS = ["bi_reader", "etl_monitor", "etl_backup"]


def _grants(target: str, enabled: bool, target_path: Path) -> dict[str, dict[str, Any]]:
    env = {"ETL_PG_GRANTS": "1" if enabled else "", "DBT_PROFILES_DIR": str(ROOT)}
    with environment(env):
        result = dbtRunner().invoke(
            [
                "parse",
                "--project-dir",
                str(ROOT),
                "--profiles-dir",
                str(ROOT),
                "--target",
                target,
                "--target-path",
                str(target_path),
                "--quiet",
            ]
        )
    assert result.success, result.exception
    manifest = json.loads((target_path / "manifest.json").read_text(encoding="utf-8"))
    return {
        node["name"]: node["config"].get("grants", {})
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
    }


@pytest.mark.parametrize(("target", "enabled"), [("duckdb", True), ("postgres", False)])
def test_no_grant_where_the_roles_may_not_exist(target: str, enabled: bool, tmp_path: Path) -> None:
    grants = _grants(target, enabled, tmp_path / "dbt")
    assert grants and all(value == {} for value in grants.values()), {
        name: value for name, value in grants.items() if value
    }


def test_postgres_with_the_roles_grants_select_to_the_readers(tmp_path: Path) -> None:
    grants = _grants("postgres", True, tmp_path / "dbt")
    marts = [name for name in grants if name.startswith(("dim_", "fact_", "vw_"))]
    # the 7 dimensions and the 2 history dimensions
    assert len([name for name in marts if name.startswith("dim_")]) == 9
    assert len([name for name in marts if name.startswith("fact_")]) == 3
    for name in marts:
        expected = (
            ["etl_monitor", "etl_backup"]
            if name == "vw_connection_login_events_recent"
            else READERS
        )
        assert grants[name] == {"select": expected}, name
    # staging, intermediate and the seeds expose raw or internal data: no grant
    others = [name for name in grants if name.startswith(("stg_", "int_"))]
    assert others and all(grants[name] == {} for name in others)
