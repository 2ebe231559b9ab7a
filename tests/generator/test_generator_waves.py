"""Waves change exactly the rows they claim, move time forward, and apply in order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from oltp_snapshots import AS_OF, Snapshot, query, snapshot

from generator import GeneratorError, WaveReport, apply_wave, generate
from generator.export import export_canonical
from generator.schema import BY_NAME, ORDER_STATUSES, TABLE_NAMES
from generator.volumes import WaveVolumes

SCALE = 0.05


def _col(table: str, column: str) -> int:
    return BY_NAME[table].column_names.index(column)


def diff(before: Snapshot, after: Snapshot) -> dict[str, dict[str, set[int]]]:
    """Per table: inserted, updated (live changed rows), soft_deleted, removed primary keys."""
    out: dict[str, dict[str, set[int]]] = {}
    for name in TABLE_NAMES:
        old, new = before[name], after[name]
        changed = {k for k in old.keys() & new.keys() if old[k] != new[k]}
        deleted_at = _col(name, "deleted_at")
        soft = {k for k in changed if old[k][deleted_at] is None and new[k][deleted_at] is not None}
        out[name] = {
            "inserted": set(new) - set(old),
            "updated": changed - soft,
            "soft_deleted": soft,
            "removed": set(old) - set(new),
        }
    return out


def _waved(path: Path) -> tuple[Path, Snapshot, Snapshot, WaveReport]:
    generate(scale=SCALE, as_of=AS_OF, duckdb_path=path)
    before = snapshot(path)
    report = apply_wave(1, duckdb_path=path)
    return path, before, snapshot(path), report


@pytest.fixture(scope="module")
def waved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Snapshot, Snapshot, WaveReport]:
    """A base with wave 1 applied, and snapshots before and after (tests only read it)."""
    return _waved(tmp_path_factory.mktemp("waved") / "oltp.duckdb")


@pytest.fixture
def waved_own(tmp_path: Path) -> tuple[Path, Snapshot, Snapshot, WaveReport]:
    """The same, for a test that changes the source."""
    return _waved(tmp_path / "oltp.duckdb")


def test_wave_changes_exactly_the_rows_its_report_claims(waved: tuple) -> None:
    _, before, after, report = waved
    changes = diff(before, after)
    for name in TABLE_NAMES:
        assert changes[name]["removed"] == set(), name
        assert len(changes[name]["inserted"]) == report.inserted[name], name
        assert len(changes[name]["updated"]) == report.updated[name], name
        assert len(changes[name]["soft_deleted"]) == report.soft_deleted[name], name


def test_wave_volumes_follow_the_scaled_spec_proportions(waved: tuple) -> None:
    _, _, after, report = waved
    vol = WaveVolumes.for_scale(SCALE)
    assert report.inserted["customers"] == vol.new_customers == 15
    assert report.inserted["products"] == vol.new_products == 6
    assert report.inserted["orders"] == vol.new_orders == 110
    assert report.updated["orders"] == vol.order_status_updates == 125
    assert report.updated["products"] == vol.product_updates == 30
    assert report.updated["customers"] == vol.customer_updates == 45
    assert report.soft_deleted["customers"] == vol.customer_soft_deletes == 2
    assert report.soft_deleted["products"] == vol.product_soft_deletes == 2
    assert report.inserted["order_items"] >= report.inserted["orders"]
    new_items = [k for k in after["order_items"] if k not in waved[1]["order_items"]]
    discounted = {k for k in new_items if k % 5 == 0}
    new_discounts = set(after["order_item_discounts"]) - set(waved[1]["order_item_discounts"])
    item_of = _col("order_item_discounts", "order_item_id")
    assert {after["order_item_discounts"][d][item_of] for d in new_discounts} == discounted
    for name in ("regions", "teams", "suppliers", "sellers"):
        assert report.inserted[name] == report.updated[name] == report.soft_deleted[name] == 0
    for name in ("discount_campaigns", "seller_targets_monthly"):  # running figures only
        assert report.inserted[name] == report.soft_deleted[name] == 0, name
        assert report.updated[name] > 0, name


def test_order_status_updates_move_forward_and_leave_items_alone(waved: tuple) -> None:
    _, before, after, _ = waved
    changes = diff(before, after)
    status, updated_at = _col("orders", "order_status"), _col("orders", "updated_at")
    stamp = {"Pago": "approved_at", "Enviado": "shipped_at", "Entregue": "delivered_at"}
    for order_id in changes["orders"]["updated"]:
        old, new = before["orders"][order_id], after["orders"][order_id]
        assert ORDER_STATUSES.index(new[status]) == ORDER_STATUSES.index(old[status]) + 1
        if new[status] in stamp:
            assert new[_col("orders", stamp[new[status]])] == new[updated_at]
        assert new[_col("orders", "payment_status")] == "Pago"
        changed = {c for c, (a, b) in enumerate(zip(old, new, strict=True)) if a != b}
        allowed = {status, updated_at, *(_col("orders", c) for c in stamp.values())}
        allowed.add(_col("orders", "payment_status"))
        assert changed <= allowed
    assert changes["order_items"]["updated"] == set()
    assert changes["order_item_discounts"]["updated"] == set()


def test_wave_keeps_campaign_counters_equal_to_the_approved_applications(waved: tuple) -> None:
    path, before, after, _ = waved
    changes = diff(before, after)["discount_campaigns"]["updated"]
    ((mismatches,),) = query(
        path,
        "select count(*) from core.discount_campaigns c left join (select discount_id,"
        " count(*) as n, sum(discount_amount) as d, sum(final_amount) as r"
        " from core.order_item_discounts where approved group by discount_id) a"
        " using (discount_id) where c.current_usage_count <> coalesce(a.n, 0)"
        " or c.total_discount_given <> coalesce(a.d, 0)"
        " or c.total_revenue_generated <> coalesce(a.r, 0)",
    )
    assert mismatches == 0
    usage = _col("discount_campaigns", "current_usage_count")
    for key in changes:
        assert after["discount_campaigns"][key][usage] > before["discount_campaigns"][key][usage]


def test_wave_adds_its_sales_to_the_open_month_realized_figures(waved: tuple) -> None:
    path, before, after, report = waved
    changes = diff(before, after)["seller_targets_monthly"]["updated"]
    amount, qty = (
        _col("seller_targets_monthly", c) for c in ("realized_amount", "realized_quantity")
    )
    month, closed = (_col("seller_targets_monthly", c) for c in ("target_month", "period_closed"))
    (open_month,) = {
        row[month] for row in after["seller_targets_monthly"].values() if not row[closed]
    }
    sellers = {
        s
        for (s,) in query(
            path,
            "select distinct o.seller_id from core.orders o where o.seller_id is not null"
            " and o.order_id > ?",
            [max(before["orders"])],
        )
    }
    seller = _col("seller_targets_monthly", "seller_id")
    assert {after["seller_targets_monthly"][k][seller] for k in changes} == sellers
    for key in changes:
        old, new = before["seller_targets_monthly"][key], after["seller_targets_monthly"][key]
        assert new[month] == open_month and not new[closed]
        assert new[amount] > old[amount] and new[qty] >= old[qty]
        changed = {c for c, (a, b) in enumerate(zip(old, new, strict=True)) if a != b}
        assert changed <= {amount, qty, _col("seller_targets_monthly", "updated_at")}
    assert report.updated["seller_targets_monthly"] == len(changes)


def test_wave_writes_whole_seconds_only(waved: tuple) -> None:
    path = waved[0]
    for name in TABLE_NAMES:
        stamps = [c.name for c in BY_NAME[name].columns if c.kind == "ts"]
        condition = " or ".join(f"date_trunc('second', {c}) <> {c}" for c in stamps)
        assert query(path, f"select count(*) from core.{name} where {condition}") == [(0,)], name


def test_customer_updates_never_move_the_customer(waved: tuple) -> None:
    _, before, after, _ = waved
    for key in diff(before, after)["customers"]["updated"]:
        for column in ("city", "state", "zip_code", "document_number", "customer_code"):
            c = _col("customers", column)
            assert before["customers"][key][c] == after["customers"][key][c]


def test_soft_deletes_stamp_deleted_at_and_deactivate(waved: tuple) -> None:
    _, before, after, _ = waved
    changes = diff(before, after)
    for name in ("customers", "products"):
        deleted_at, updated_at = _col(name, "deleted_at"), _col(name, "updated_at")
        for key in changes[name]["soft_deleted"]:
            row = after[name][key]
            assert row[deleted_at] == row[updated_at]
            if name == "customers":
                assert row[_col(name, "is_active")] is False


def test_wave_timestamps_move_forward_within_one_minute(waved: tuple) -> None:
    path, before, after, report = waved
    changes = diff(before, after)
    pre_max = max(row[_col(n, "updated_at")] for n in TABLE_NAMES for row in before[n].values())
    stamps = []
    for name in TABLE_NAMES:
        u = _col(name, "updated_at")
        for key in changes[name]["updated"] | changes[name]["soft_deleted"]:
            assert after[name][key][u] > before[name][key][u], (name, key)
            stamps.append(after[name][key][u])
        stamps += [after[name][k][u] for k in changes[name]["inserted"]]
        created = _col(name, "created_at")
        assert all(after[name][k][created] > pre_max for k in changes[name]["inserted"]), name
    assert min(stamps) == report.started_at and max(stamps) == report.ended_at
    assert report.started_at > pre_max
    assert report.started_at - pre_max == timedelta(seconds=1)
    assert report.ended_at - report.started_at <= timedelta(seconds=60)
    ((violations,),) = query(
        path,
        "select count(*) from core.products where list_price < cost_price or deleted_at is not"
        " null and deleted_at <> updated_at",
    )
    assert violations == 0


def test_second_wave_builds_on_the_first(waved_own: tuple) -> None:
    path, _, after_first, first = waved_own
    second = apply_wave(2, duckdb_path=path)
    after_second = snapshot(path)
    changes = diff(after_first, after_second)
    assert second.started_at > first.ended_at
    for name in TABLE_NAMES:
        assert len(changes[name]["inserted"]) == second.inserted[name]
        assert len(changes[name]["updated"]) == second.updated[name]
        assert len(changes[name]["soft_deleted"]) == second.soft_deleted[name]
    assert min(changes["orders"]["inserted"]) == max(after_first["orders"]) + 1
    deleted_at = _col("customers", "deleted_at")
    already_gone = {k for k, r in after_first["customers"].items() if r[deleted_at] is not None}
    assert not (
        already_gone & (changes["customers"]["updated"] | changes["customers"]["soft_deleted"])
    )
    runs = query(path, "select wave from generator_meta.runs order by wave")
    assert runs == [(0,), (1,), (2,)]


@pytest.mark.parametrize(
    ("wave", "message"),
    [(1, "wave 1 was already applied"), (3, "cannot apply wave 3: wave 2 has not been applied")],
)
def test_wave_out_of_order_is_refused_and_leaves_source_unchanged(
    waved: tuple, wave: int, message: str
) -> None:
    path = waved[0]  # refused: the shared source stays as it is
    before = export_canonical("duckdb", path)
    with pytest.raises(GeneratorError, match=message):
        apply_wave(wave, duckdb_path=path)
    assert export_canonical("duckdb", path) == before
    assert query(path, "select count(*) from generator_meta.runs") == [(2,)]


def test_wave_failing_midway_leaves_source_unchanged(
    make_source: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_source(scale=0.02)
    before = export_canonical("duckdb", path)
    from generator import api
    from generator.targets.base import TableChanges

    real_plan = api.plan_wave

    def broken_plan(*args: object, **kwargs: object):  # the last write hits a duplicate key
        plan = real_plan(*args, **kwargs)
        orders = plan.changes[2]
        duplicate = TableChanges(orders.table, orders.rows.slice(0, 1), [])
        plan.changes.append(duplicate)
        return plan

    monkeypatch.setattr(api, "plan_wave", broken_plan)
    with pytest.raises(GeneratorError, match="DuckDB error"):
        apply_wave(1, duckdb_path=path)
    assert export_canonical("duckdb", path) == before
    assert query(path, "select count(*) from generator_meta.runs") == [(1,)]


def test_wave_needs_a_generated_base(tmp_path: Path) -> None:
    with pytest.raises(GeneratorError, match="no source at"):
        apply_wave(1, duckdb_path=tmp_path / "missing.duckdb")
    foreign = tmp_path / "foreign.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("create schema core")
    con.close()
    with pytest.raises(GeneratorError, match="no generator bookkeeping"):
        apply_wave(1, duckdb_path=foreign)
