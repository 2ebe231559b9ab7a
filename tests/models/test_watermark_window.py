"""The watermark window rule (macros/incremental): composite (updated_at, id) ordering with
ties, the cutoff boundary, capped runs, full refresh, inactive entities and bad overrides.
Driven through the real dbt on dim_regiao, whose source rows the tests shape exactly."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.dbt_harness import Warehouse
from tests.models.conftest import NOW

TIE = datetime(2026, 1, 15, 5, 0, 0)
ONLY_REGIONS = ("--select", "dim_regiao", "--exclude-resource-type", "test", "unit_test")


def _run_regions(warehouse: Warehouse, expect_success: bool = True, **run_vars):
    return warehouse.dbt("build", *ONLY_REGIONS, expect_success=expect_success, **run_vars)


@pytest.fixture
def built(warehouse: Warehouse) -> Warehouse:
    warehouse.run()
    return warehouse


def test_ties_on_updated_at_are_split_by_id_across_capped_runs(built: Warehouse, source_sql):
    ids = [row[0] for row in source_sql("select region_id from core.regions order by region_id")]
    source_sql("update core.regions set updated_at = ?", TIE)

    seen = []
    for _ in range(3):
        _run_regions(built, etl_batch_size="4", etl_max_batches="1")
        window = built.windows()["dim_regiao"]
        seen.append(
            (window["extracted_count"], window["backlog_after_count"], window["watermark_to_id"])
        )
        assert window["watermark_to_updated_at"] == TIE
    assert seen == [
        (4, len(ids) - 4, ids[3]),
        (4, len(ids) - 8, ids[7]),
        (4, len(ids) - 12, ids[11]),
    ]

    _run_regions(built)  # uncapped: the rest of the tie
    window = built.windows()["dim_regiao"]
    assert (window["extracted_count"], window["backlog_after_count"]) == (len(ids) - 12, 0)
    assert built.watermark("dim_regiao") == (TIE, ids[-1])
    assert built.scalar(
        "select count(*) from dim.dim_regiao where _etl_source_updated_at = "
        "timestamp '2026-01-15 05:00:00'"
    ) == len(ids)


def test_batches_are_counted_from_the_batch_size(built: Warehouse, source_sql):
    source_sql("update core.regions set updated_at = ?", TIE)
    _run_regions(built, etl_batch_size="4")
    window = built.windows()["dim_regiao"]
    assert window["batches"] == -(-window["extracted_count"] // 4)


def test_row_exactly_at_the_cutoff_loads_and_one_millisecond_later_waits(
    built: Warehouse, source_sql
):
    cutoff = datetime.fromisoformat(NOW) - timedelta(minutes=2)
    first, second = (
        row[0]
        for row in source_sql("select region_id from core.regions order by region_id limit 2")
    )
    source_sql("update core.regions set updated_at = ? where region_id = ?", cutoff, first)
    source_sql(
        "update core.regions set updated_at = ? where region_id = ?",
        cutoff + timedelta(milliseconds=1),
        second,
    )

    _run_regions(built)

    assert built.windows()["dim_regiao"]["extracted_count"] == 1
    assert built.watermark("dim_regiao") == (cutoff, first)


def test_cutoff_override_changes_the_window_for_one_run(built: Warehouse, source_sql):
    recent = datetime.fromisoformat(NOW) - timedelta(minutes=1)
    source_sql(
        "update core.regions set updated_at = ?"
        " where region_id = (select min(region_id) from core.regions)",
        recent,
    )

    _run_regions(built)
    assert built.windows()["dim_regiao"]["extracted_count"] == 0
    _run_regions(built, etl_cutoff_minutes="0")
    assert built.windows()["dim_regiao"]["extracted_count"] == 1
    # the override lasts one run: the control row still says 2 minutes
    assert (
        built.scalar("select cutoff_minutes from ctl.etl_control where entity_name = 'dim_regiao'")
        == 2
    )


def test_full_refresh_reloads_everything_and_resets_the_watermark(built: Warehouse, source_sql):
    source_sql("update core.regions set updated_at = ?", TIE)
    _run_regions(built, etl_batch_size="4", etl_max_batches="1")
    assert built.watermark("dim_regiao")[1] is not None

    built.dbt("build", "--full-refresh", *ONLY_REGIONS)

    window = built.windows()["dim_regiao"]
    total = source_sql("select count(*) from core.regions")[0][0]
    assert (window["load_kind"], window["watermark_from_updated_at"]) == ("full", None)
    assert window["extracted_count"] == total
    assert built.watermark("dim_regiao") == (
        TIE,
        source_sql("select max(region_id) from core.regions")[0][0],
    )


def test_inactive_entity_loads_nothing_and_keeps_its_watermark(built: Warehouse, source_sql):
    before = built.watermark("dim_regiao")
    built.execute("update ctl.etl_control set is_active = false where entity_name = 'dim_regiao'")
    source_sql("update core.regions set updated_at = ?", TIE)

    _run_regions(built)
    assert built.windows()["dim_regiao"]["status"] == "inactive"
    assert built.watermark("dim_regiao") == before

    built.execute("update ctl.etl_control set is_active = true where entity_name = 'dim_regiao'")
    _run_regions(built)
    assert built.windows()["dim_regiao"]["status"] == "loaded"
    assert built.watermark("dim_regiao")[0] == TIE


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("etl_batch_size", "0"),
        ("etl_batch_size", "100001"),
        ("etl_cutoff_minutes", "5000"),
        ("etl_max_batches", "x"),
    ],
)
def test_invalid_override_stops_with_a_message_naming_setting_and_entity(
    built: Warehouse, setting, value
):
    before = built.watermark("dim_regiao")
    result = _run_regions(built, expect_success=False, **{setting: value})
    messages = " ".join(str(r.message) for r in result.result if r.node.name == "dim_regiao")
    assert f"{setting}={value} is invalid for entity dim_regiao" in messages
    assert built.watermark("dim_regiao") == before
