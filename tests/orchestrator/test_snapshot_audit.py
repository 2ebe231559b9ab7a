"""The history snapshots in the orchestrated load: `--entity all` runs them (dbt build) and
audits each like the entity models, in audit.etl_run_entity, with counts equal to
counts made independently from the source and the snapshot tables."""

from __future__ import annotations

import subprocess
from typing import Any

from tests.orchestrator.conftest import Site

SNAPSHOTS = {
    "snap_oltp__customers": ("customers", "customer_id"),
    "snap_oltp__products": ("products", "product_id"),
}


def _audit(site: Site, run_id: str, entity: str) -> dict[str, Any]:
    columns = (
        "status, load_kind, extracted_count, upserted_count, soft_deleted_count, batches,"
        " watermark_to_updated_at, watermark_to_id, tests_passed, tests_failed"
    )
    row = site.dw(
        f"select {columns} from audit.etl_run_entity where run_id = ? and entity_name = ?",
        run_id,
        entity,
    )
    assert len(row) == 1, (run_id, entity)
    return dict(zip(columns.split(", "), row[0], strict=True))


def _newest(site: Site, table: str, key: str) -> tuple[Any, Any]:
    newest = site.oltp(f"select max(updated_at) from core.{table}")[0][0]
    return newest, site.oltp(f"select max({key}) from core.{table} where updated_at = ?", newest)[
        0
    ][0]


def test_full_run_audits_each_snapshot_with_true_counts(
    built_site: tuple[Site, subprocess.CompletedProcess],
) -> None:
    site, result = built_site
    assert result.returncode == 0, result.stdout + result.stderr
    run_id = site.last_run()["run_id"]
    for snapshot, (table, key) in SNAPSHOTS.items():
        audit = _audit(site, run_id, snapshot)
        rows = site.oltp(f"select count(*) from core.{table}")[0][0]
        written = site.dw(
            f"select count(*) from snapshots.{snapshot} where _etl_run_id = ?", run_id
        )
        assert (audit["status"], audit["load_kind"]) == ("success", "snapshot")
        assert audit["extracted_count"] == audit["upserted_count"] == written[0][0] == rows
        assert (audit["watermark_to_updated_at"], audit["watermark_to_id"]) == _newest(
            site, table, key
        )
        assert audit["tests_passed"] > 0 and audit["tests_failed"] == 0, snapshot
    assert f"{'snap_oltp__customers':<20}" in result.stdout  # in the run's summary table


def test_run_after_a_wave_and_a_hard_delete_audits_what_each_snapshot_wrote(site: Site) -> None:
    current = {
        snapshot: dict(
            site.dw(
                f"select {key}, dbt_valid_from from snapshots.{snapshot} where dbt_valid_to is null"
            )
        )
        for snapshot, (_, key) in SNAPSHOTS.items()
    }
    site.wave(1)
    gone = site.oltp(
        "select min(customer_id) from core.customers as c where not exists"
        " (select 1 from core.orders as o where o.customer_id = c.customer_id)"
    )[0][0]
    site.oltp("delete from core.customers where customer_id = ?", gone, write=True)
    expected = {}
    for snapshot, (table, key) in SNAPSHOTS.items():
        source = {
            r[0]: r[1:]
            for r in site.oltp(f"select {key}, updated_at, deleted_at from core.{table}")
        }
        changed = [
            k
            for k, (updated, _) in source.items()
            if k not in current[snapshot] or current[snapshot][k] < updated
        ]
        hard = len(set(current[snapshot]) - set(source))
        soft = sum(1 for k in changed if source[k][1] is not None)
        expected[snapshot] = (len(changed) + hard, len(changed), soft + hard)

    # a full check: the snapshots compare the whole source, so the hard delete is seen
    result = site.run("--entity", "all", "--full-checks")

    assert result.returncode == 0, result.stdout + result.stderr
    run_id = site.last_run()["run_id"]
    for snapshot, (table, key) in SNAPSHOTS.items():
        audit = _audit(site, run_id, snapshot)
        counts = (audit["extracted_count"], audit["upserted_count"], audit["soft_deleted_count"])
        assert counts == expected[snapshot], snapshot
        written = site.dw(
            f"select count(*) from snapshots.{snapshot} where _etl_run_id = ?", run_id
        )
        assert audit["upserted_count"] == written[0][0] > 0, snapshot
        assert (audit["watermark_to_updated_at"], audit["watermark_to_id"]) == _newest(
            site, table, key
        )
    assert expected["snap_oltp__customers"][2] >= 1  # the hard delete is counted
    closed = site.dw(
        "select count(*) from snapshots.snap_oltp__customers where customer_id = ?"
        " and dbt_valid_to is not null",
        gone,
    )
    assert closed == [(1,)]
