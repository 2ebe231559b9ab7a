"""Incremental waves: the changes a day of business makes to the source (SPEC section 2).

At scale 1 a wave inserts 300 customers, 120 products and 2,200 orders (with their items and
discount rows), moves 2,500 orders one status forward (Pendente -> Pago -> Faturado ->
Enviado -> Entregue, setting approved_at / shipped_at / delivered_at and payment_status
Pago; items untouched), updates 600 products (price, rating, stock) and 900 customers
(credit score, type, value category, marketing flag, last purchase; never city or state),
and soft-deletes 40 customers and 30 products (deleted_at = updated_at = wave time,
is_active false). Volumes follow the base's scale (``volumes.WaveVolumes``); updated,
soft-deleted and new rows are disjoint sets.

Like the original's incremental seed, a wave also keeps the OLTP's own running figures up to
date: the campaigns its new discount rows used get their usage counters increased, and the
open month's target rows of the sellers who sold in the wave get their realized figures
increased by the wave's sales (with the same few percent of noise as the base's figures).

Every wave timestamp is a whole second in [t0, t0 + 60 s) with t0 = newest updated_at in the
source + 1 s, so each changed row's updated_at grows and a warehouse run just after the wave
sees it all. The changes depend only on (source state, seed, wave number).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from generator import entities, sales
from generator.build import seller_pool
from generator.clock import DAY_MS, SECOND_MS, ms_to_datetime
from generator.columns import NULL, Columns, concat, from_table, take, to_table
from generator.randomness import rng_for, uniform_int, weighted
from generator.schema import BY_NAME, ORDER_STATUSES, TABLE_NAMES, VALUE_CATEGORIES
from generator.targets.base import TableChanges, TargetSession
from generator.text import const, pick, with_nulls
from generator.volumes import WaveVolumes

log = logging.getLogger(__name__)

WAVE_OFFSET_MS = SECOND_MS
WAVE_SPAN_MS = 50 * SECOND_MS  # + order event lags, all below 60 s
WAVE_END_MS = 59 * SECOND_MS


@dataclass
class WavePlan:
    changes: list[TableChanges] = field(default_factory=list)
    inserted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLE_NAMES, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLE_NAMES, 0))
    soft_deleted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLE_NAMES, 0))
    started_ms: int = 0
    ended_ms: int = 0

    @property
    def started_at(self) -> datetime:
        return ms_to_datetime(self.started_ms)

    @property
    def ended_at(self) -> datetime:
        return ms_to_datetime(self.ended_ms)


class _Clock:
    """Wave instants: sorted whole seconds in [t0, t0 + WAVE_SPAN_MS)."""

    def __init__(self, newest_ms: int, rng: np.random.Generator) -> None:
        self.t0 = newest_ms + WAVE_OFFSET_MS
        self.end = self.t0 + WAVE_END_MS
        self.rng = rng

        self._opened = False

    def instants(self, n: int) -> np.ndarray:
        """Sorted instants; the very first one of the wave is exactly t0."""
        seconds = self.rng.integers(0, WAVE_SPAN_MS // SECOND_MS, n)
        values = np.sort(self.t0 + seconds * SECOND_MS)
        if n and not self._opened:
            values[0] = self.t0
            self._opened = True
        return values


def _split(rng: np.random.Generator, live: np.ndarray, *sizes: int) -> list[np.ndarray]:
    """Disjoint, sorted random subsets of the positions where ``live`` is true."""
    pool = rng.permutation(np.flatnonzero(live))
    out, start = [], 0
    for size in sizes:
        take_n = min(size, pool.size - start)
        out.append(np.sort(pool[start : start + take_n]))
        start += take_n
    return out


def _newest_ms(session: TargetSession) -> tuple[dict[str, int], int]:
    maxima = session.max_values()
    newest = max(ts for _, ts in maxima.values() if ts is not None)
    newest_ms = int(np.datetime64(newest, "ms").astype(np.int64))
    return {name: max_id for name, (max_id, _) in maxima.items()}, newest_ms


def _customer_changes(
    cols: Columns, vol: WaveVolumes, clock: _Clock, max_id: int, rng: np.random.Generator
) -> tuple[Columns, Columns, Columns, np.ndarray]:
    live = cols["deleted_at"] == NULL
    deleted, updated = _split(rng, live, vol.customer_soft_deletes, vol.customer_updates)

    upd = take(cols, updated)
    n = updated.size
    when = clock.instants(n)
    score = np.clip(upd["credit_score"] + rng.normal(0, 60, n).round(), 0, 1000)
    upd["credit_score"] = np.where(upd["credit_score"] == NULL, NULL, score.astype(np.int64))
    ctype = weighted(rng, (0.1, 0.55, 0.15, 0.2), n)
    upd["customer_type"] = pick(("Novo", "Recorrente", "VIP", "Inativo"), ctype)
    upd["is_vip"] = ctype == 2
    flip = rng.random(n) < 0.4
    upd["accepts_email_marketing"] = np.where(
        flip, ~upd["accepts_email_marketing"], upd["accepts_email_marketing"]
    )
    bought = rng.random(n) < 0.6
    upd["last_purchase_date"] = np.where(bought, when // DAY_MS, upd["last_purchase_date"])
    # a buyer without a category gets the base one; 20% move one category up
    bump = rng.random(n) < 0.2
    base = len(VALUE_CATEGORIES) - 1
    current = pc.index_in(upd["value_category"], value_set=pa.array(VALUE_CATEGORIES))
    current = np.asarray(current.fill_null(-1), dtype=np.int64)
    current = np.where((current < 0) & bought, base, current)
    moved = np.where(bump & (current >= 0), np.maximum(current - 1, 0), current)
    upd["value_category"] = with_nulls(pick(VALUE_CATEGORIES, np.maximum(moved, 0)), moved < 0)
    upd["updated_at"] = when

    dele = take(cols, deleted)
    when = clock.instants(deleted.size)
    dele["deleted_at"] = when
    dele["updated_at"] = when
    dele["is_active"] = np.zeros(deleted.size, dtype=bool)

    ids = max_id + 1 + np.arange(vol.new_customers, dtype=np.int64)
    created = clock.instants(ids.size)
    new = entities.build_customers(ids, created, created, rng)
    return upd, dele, new, deleted


def _product_changes(
    cols: Columns,
    vol: WaveVolumes,
    clock: _Clock,
    max_id: int,
    n_suppliers: int,
    rng: np.random.Generator,
) -> tuple[Columns, Columns, Columns, np.ndarray]:
    live = cols["deleted_at"] == NULL
    deleted, updated = _split(rng, live, vol.product_soft_deletes, vol.product_updates)

    upd = take(cols, updated)
    n = updated.size
    cost = np.maximum(np.round(upd["cost_price"] * rng.uniform(0.97, 1.06, n)), 1)
    list_price = np.round(upd["list_price"] * rng.uniform(0.9, 1.12, n))
    list_price = np.maximum(list_price, cost).astype(np.int64)
    upd["cost_price"] = cost.astype(np.int64)
    upd["list_price"] = list_price
    upd["suggested_margin_percent"] = np.round((list_price - cost) * 10_000 / list_price).astype(
        np.int64
    )
    new_votes = uniform_int(rng, 1, 40, n)
    vote = uniform_int(rng, 10, 50, n)  # tenths of a point
    rated = np.where(upd["rating_avg"] == NULL, 0, upd["rating_avg"])
    total = rated * upd["rating_count"] + vote * new_votes
    upd["rating_count"] = upd["rating_count"] + new_votes
    upd["rating_avg"] = np.clip(np.round(total / upd["rating_count"]), 0, 50).astype(np.int64)
    upd["max_stock"] = upd["min_stock"] + uniform_int(rng, 20, 500, n)
    upd["updated_at"] = clock.instants(n)

    dele = take(cols, deleted)
    when = clock.instants(deleted.size)
    dele["deleted_at"] = when
    dele["updated_at"] = when

    ids = max_id + 1 + np.arange(vol.new_products, dtype=np.int64)
    created = clock.instants(ids.size)
    day = created // DAY_MS
    new = entities.build_products(ids, created, created, day, n_suppliers, int(day.max()), rng)
    new["product_status"] = const("Ativo", ids.size)
    new["discontinued_date"] = np.full(ids.size, NULL, dtype=np.int64)
    return upd, dele, new, deleted


def _status_changes(
    cols: Columns, vol: WaveVolumes, clock: _Clock, rng: np.random.Generator
) -> Columns:
    status = np.asarray(
        pc.index_in(cols["order_status"], value_set=pa.array(ORDER_STATUSES)).fill_null(-1)
    )
    movable = (cols["deleted_at"] == NULL) & (status >= 0) & (status <= sales.ENVIADO)
    (chosen,) = _split(rng, movable, vol.order_status_updates)
    upd = take(cols, chosen)
    when = clock.instants(chosen.size)
    nxt = status[chosen] + 1
    upd["order_status"] = pick(ORDER_STATUSES, nxt)
    upd["approved_at"] = np.where(nxt == sales.PAGO, when, upd["approved_at"])
    upd["payment_status"] = const("Pago", chosen.size)
    upd["shipped_at"] = np.where(nxt == sales.ENVIADO, when, upd["shipped_at"])
    upd["delivered_at"] = np.where(nxt == sales.ENTREGUE, when, upd["delivered_at"])
    upd["updated_at"] = when
    return upd


def _campaign_changes(campaigns: Columns, discounts: Columns, clock: _Clock) -> Columns:
    """The campaigns the wave's approved discount rows used, with their counters increased."""
    usage, revenue, given = sales.campaign_usage(discounts, campaigns["discount_id"])
    (used,) = np.nonzero(usage)
    upd = take(campaigns, used)
    upd["current_usage_count"] = upd["current_usage_count"] + usage[used]
    upd["total_revenue_generated"] = upd["total_revenue_generated"] + revenue[used]
    upd["total_discount_given"] = upd["total_discount_given"] + given[used]
    upd["updated_at"] = clock.instants(used.size)
    return upd


def _target_changes(
    targets: Columns,
    orders: Columns,
    items: Columns,
    first_order_id: int,
    clock: _Clock,
    rng: np.random.Generator,
) -> Columns:
    """The live target rows of the (seller, month) pairs the wave sold in, with the wave's
    sales added to their realized figures (noisy, like the base's). Pairs without a target
    row are left alone: the OLTP books targets, the wave does not create them."""
    pos = items["order_id"] - first_order_id
    seller = orders["seller_id"][pos]
    sold = seller != NULL
    day = orders["order_date"][pos][sold] // DAY_MS
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]")
    sale_key = seller[sold] * 100_000 + month.astype(np.int64)
    keys, inverse = np.unique(sale_key, return_inverse=True)
    net = np.bincount(inverse, weights=items["net_amount"][sold], minlength=keys.size)
    qty = np.bincount(inverse, weights=items["quantity"][sold], minlength=keys.size)

    target_key = targets["seller_id"] * 100_000 + targets["target_month"]
    live = targets["deleted_at"] == NULL
    (chosen,) = np.nonzero(live & np.isin(target_key, keys))
    match = np.searchsorted(keys, target_key[chosen])
    upd = take(targets, chosen)
    upd["realized_amount"] = upd["realized_amount"] + sales.noisy(net[match], rng)
    upd["realized_quantity"] = upd["realized_quantity"] + sales.noisy(qty[match], rng)
    upd["updated_at"] = clock.instants(chosen.size)
    return upd


def _product_pool(
    products: Columns, on_sale: np.ndarray, new: Columns, rng: np.random.Generator
) -> sales.ProductPool:
    """Live products, the wave's new ones included, as the new orders' catalogue."""
    return sales.ProductPool(
        ids=np.concatenate([products["product_id"][on_sale], new["product_id"]]),
        list_cents=np.concatenate([products["list_price"][on_sale], new["list_price"]]),
        cost_cents=np.concatenate([products["cost_price"][on_sale], new["cost_price"]]),
        commission=entities.category_commission(
            pa.concat_arrays(
                [products["category_name"].filter(pa.array(on_sale)), new["category_name"]]
            )
        ),
        weights=rng.lognormal(0.0, 1.0, int(on_sale.sum()) + new["product_id"].size),
    )


def plan_wave(session: TargetSession, seed: int, wave: int, scale: float) -> WavePlan:
    """Read the source state and compute every change of wave ``wave``."""
    rng = rng_for(seed, "wave", wave)
    vol = WaveVolumes.for_scale(scale)
    max_ids, newest_ms = _newest_ms(session)
    clock = _Clock(newest_ms, rng)
    log.info("wave %d: volumes %s, t0 %s", wave, vol, ms_to_datetime(clock.t0))

    read = {
        name: from_table(name, session.read_table(name))
        for name in (
            "customers",
            "products",
            "orders",
            "sellers",
            "teams",
            "discount_campaigns",
            "seller_targets_monthly",
        )
    }
    plan = WavePlan()

    c_upd, c_del, c_new, c_gone = _customer_changes(
        read["customers"], vol, clock, max_ids["customers"], rng
    )
    p_upd, p_del, p_new, p_gone = _product_changes(
        read["products"], vol, clock, max_ids["products"], max(max_ids["suppliers"], 1), rng
    )
    o_upd = _status_changes(read["orders"], vol, clock, rng)

    # new orders: live customers (not deleted now) and live products, new ones included
    customers = read["customers"]
    alive = customers["deleted_at"] == NULL
    alive[c_gone] = False
    buyer_ids = np.concatenate([customers["customer_id"][alive], c_new["customer_id"]])
    buyer_city = entities.city_index(
        pa.concat_arrays([customers["city"].filter(pa.array(alive)), c_new["city"]])
    )
    on_sale = read["products"]["deleted_at"] == NULL
    on_sale[p_gone] = False
    pool = _product_pool(read["products"], on_sale, p_new, rng)
    n_orders = vol.new_orders
    first_order = max_ids["orders"] + 1
    order_ids = first_order + np.arange(n_orders, dtype=np.int64)
    status = np.where(rng.random(n_orders) < 0.3, sales.PAGO, sales.PENDENTE)
    buyer = rng.integers(0, buyer_ids.size, n_orders)
    orders = sales.build_orders(
        order_ids,
        clock.instants(n_orders),
        status,
        buyer_ids[buyer],
        buyer_city[buyer],
        seller_pool(read["sellers"], read["teams"]),
        clock.end,
        rng,
    )
    items, discounts = sales.build_items(
        orders,
        status,
        pool,
        sales.CampaignPool.from_columns(read["discount_campaigns"]),
        max_ids["order_items"] + 1,
        max_ids["order_item_discounts"] + 1,
        clock.end,
        rng,
    )
    d_upd = _campaign_changes(read["discount_campaigns"], discounts, clock)
    t_upd = _target_changes(read["seller_targets_monthly"], orders, items, first_order, clock, rng)

    def add(name: str, upd: Columns | None, dele: Columns | None, new: Columns | None) -> None:
        parts = [p for p in (upd, dele, new) if p is not None]
        rows = concat(parts)
        replaced = [p for p in (upd, dele) if p is not None]
        pk = BY_NAME[name].pk
        ids = np.concatenate([p[pk] for p in replaced]) if replaced else np.array([], np.int64)
        plan.changes.append(TableChanges.of(name, to_table(name, rows), ids.tolist()))
        plan.updated[name] = len(upd[pk]) if upd is not None else 0
        plan.soft_deleted[name] = len(dele[pk]) if dele is not None else 0
        plan.inserted[name] = len(new[pk]) if new is not None else 0

    add("customers", c_upd, c_del, c_new)
    add("products", p_upd, p_del, p_new)
    add("orders", o_upd, None, orders)
    add("order_items", None, None, items)
    add("order_item_discounts", None, None, discounts)
    add("discount_campaigns", d_upd, None, None)
    add("seller_targets_monthly", t_upd, None, None)

    stamps = np.concatenate(
        [
            np.asarray(ch.rows.column("updated_at").cast(pa.timestamp("ms")).cast(pa.int64()))
            for ch in plan.changes
            if ch.rows.num_rows
        ]
    )
    plan.started_ms, plan.ended_ms = int(stamps.min()), int(stamps.max())
    return plan
