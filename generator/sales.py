"""Builders of the sales tables: orders, order_items, order_item_discounts and
seller_targets_monthly, plus the master-data columns that follow from sales.

Rules (SPEC section 2): order timestamps follow the status (approved -> shipped -> delivered,
canceled only for Cancelado) and never pass ``end_ms``; payment_status is Pendente for
Pendente orders, Estornado for Cancelado ones and Pago otherwise, as the original's seed
writes it (NULL on 1% of orders, as sales_channel); 12% of orders carry a note. Items take
the product's list price, gross = quantity * unit_price, cost = quantity * cost_price,
net = gross - discount, commission = round(net * pct / 100, 2) with the percent of the
product's category; both commission columns are NULL on orders without a seller.
Every 5th item (order_item_id % 5 == 0) gets one order_item_discounts row from a campaign
running at the order date, at the level of the campaign's scope: 95% approved (the item
carries the discount), 5% rejected with a reason (discount_amount 0 on both rows,
final = base). Devolvido orders return everything; about 5% of Entregue items with
quantity >= 2 are partially returned.

Monthly targets carry the OLTP's own realized figures: the seller's month of sales (orders
not canceled) with a few percent of noise, as a system that books its figures apart from the
orders would have them; so they are close to, but not equal to, what the warehouse sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from generator import reference as ref
from generator.clock import DAY_MS, HOUR_MS, MINUTE_MS, date_to_days
from generator.columns import NULL, Columns
from generator.entities import SCOPE_LEVELS, city_region_ids
from generator.randomness import exact_share, uniform_int, weighted
from generator.schema import (
    CURRENCY,
    DISCOUNT_METHODS,
    ORDER_STATUSES,
    PAYMENT_STATUSES,
    SALES_CHANNELS,
    VALUE_CATEGORIES,
)
from generator.text import const, join, num, pick, with_nulls

PENDENTE, PAGO, FATURADO, ENVIADO, ENTREGUE, CANCELADO, DEVOLVIDO = range(7)
# per 100 orders, in ORDER_STATUSES order
STATUS_MIX = (9, 15, 19, 8, 42, 3, 4)
NO_SELLER_SHARE = 0.10
NO_REGION_SHARE = 0.04
OWN_REGION_SHARE = 0.9
DISCOUNT_EVERY = 5
REJECTED_SHARE = 0.05
PARTIAL_RETURN_SHARE = 0.05
NOTES_SHARE = 0.12
UNKNOWN_PAYMENT_SHARE = 0.01
UNKNOWN_CHANNEL_SHARE = 0.01
_CHANNEL_WEIGHTS = (0.45, 0.3, 0.2, 0.05)


@dataclass(frozen=True)
class SellerPool:
    """Sellers by region, to give most orders a seller from the order's region."""

    ids: np.ndarray
    region: np.ndarray  # region id of the seller's team (NULL: national team)

    def pick(self, rng: np.random.Generator, region: np.ndarray) -> np.ndarray:
        """A seller position per order: 70% from the order's region when it has sellers."""
        n = region.size
        anywhere = rng.integers(0, self.ids.size, n)
        order = np.argsort(self.region, kind="stable")
        sorted_region = self.region[order]
        start = np.searchsorted(sorted_region, region, side="left")
        count = np.searchsorted(sorted_region, region, side="right") - start
        local = order[np.minimum(start + (rng.random(n) * count).astype(np.int64), order.size - 1)]
        use_local = (count > 0) & (region != NULL) & (rng.random(n) < 0.7)
        return np.where(use_local, local, anywhere)


def order_regions(rng: np.random.Generator, customer_city: np.ndarray) -> np.ndarray:
    """Order region: mostly the customer's (its city, else a region city of its state)."""
    n = customer_city.size
    home = city_region_ids()[customer_city]
    random_region = rng.integers(1, ref.REGION_CITY_COUNT + 1, n)
    own = (home > 0) & (rng.random(n) < OWN_REGION_SHARE)
    region = np.where(own, home, random_region)
    return np.where(exact_share(rng, n, NO_REGION_SHARE), NULL, region)


def _status_offsets(
    rng: np.random.Generator, status: np.ndarray, room: np.ndarray
) -> dict[str, np.ndarray]:
    """Milliseconds after order_date of each event (-1: did not happen), squeezed into room."""
    n = status.size
    approved = np.isin(status, (PAGO, FATURADO, ENVIADO, ENTREGUE, DEVOLVIDO))
    approved |= (status == CANCELADO) & (rng.random(n) < 0.4)
    shipped = np.isin(status, (ENVIADO, ENTREGUE, DEVOLVIDO))
    delivered = np.isin(status, (ENTREGUE, DEVOLVIDO))
    app = np.clip(np.exp(rng.normal(np.log(30), 1.2, n)) * MINUTE_MS, MINUTE_MS, 3 * DAY_MS)
    app = app.astype(np.int64)
    invoiced = app + uniform_int(rng, 2 * HOUR_MS, DAY_MS, n)
    ship = app + uniform_int(rng, 12 * HOUR_MS, 4 * DAY_MS, n)
    deliver = ship + uniform_int(rng, DAY_MS, 10 * DAY_MS, n)
    returned = deliver + uniform_int(rng, DAY_MS, 15 * DAY_MS, n)
    cancel = np.where(approved, app, 0) + uniform_int(rng, 30 * MINUTE_MS, 3 * DAY_MS, n)
    last = np.choose(
        status, [np.zeros(n, np.int64), app, invoiced, ship, deliver, cancel, returned]
    )
    # events that would pass the end are squeezed to end somewhere before it
    squeeze = room * rng.uniform(0.3, 1.0, n) / np.maximum(last, 1)
    factor = np.where(last > room, squeeze, 1.0)

    def fit(offset: np.ndarray, happened: np.ndarray) -> np.ndarray:
        return np.where(happened, np.floor(offset * factor).astype(np.int64), -1)

    return {
        "approved": fit(app, approved),
        "shipped": fit(ship, shipped),
        "delivered": fit(deliver, delivered),
        "canceled": fit(cancel, status == CANCELADO),
        "last": fit(last, np.ones(n, dtype=bool)),
    }


def build_orders(
    ids: np.ndarray,
    order_ms: np.ndarray,
    status: np.ndarray,
    customer_ids: np.ndarray,
    customer_city: np.ndarray,
    sellers: SellerPool,
    end_ms: int,
    rng: np.random.Generator,
) -> Columns:
    """Orders of the given instants and statuses."""
    n = ids.size
    region = order_regions(rng, customer_city)
    seller_pos = sellers.pick(rng, region)
    no_seller = exact_share(rng, n, NO_SELLER_SHARE)
    seller = np.where(no_seller, NULL, sellers.ids[seller_pos])
    off = _status_offsets(rng, status, np.maximum(end_ms - order_ms, 0))

    def at(key: str) -> np.ndarray:
        return np.where(off[key] >= 0, order_ms + off[key], NULL)

    payment = np.select([status == PENDENTE, status == CANCELADO], [0, 2], 1)
    channel = weighted(rng, _CHANNEL_WEIGHTS, n)
    notes = pick(ref.ORDER_NOTES, rng.integers(0, len(ref.ORDER_NOTES), n))
    return {
        "order_id": ids,
        "order_number": join("PED-", num(ids, 10)),
        "customer_id": customer_ids,
        "seller_id": seller,
        "region_id": region,
        "order_status": pick(ORDER_STATUSES, status),
        "payment_status": with_nulls(
            pick(PAYMENT_STATUSES, payment), rng.random(n) < UNKNOWN_PAYMENT_SHARE
        ),
        "order_date": order_ms,
        "approved_at": at("approved"),
        "shipped_at": at("shipped"),
        "delivered_at": at("delivered"),
        "canceled_at": at("canceled"),
        "sales_channel": with_nulls(
            pick(SALES_CHANNELS, channel), rng.random(n) < UNKNOWN_CHANNEL_SHARE
        ),
        "currency_code": const(CURRENCY, n),
        "notes": with_nulls(notes, rng.random(n) >= NOTES_SHARE),
        "created_at": order_ms,
        "updated_at": order_ms + off["last"],
        "deleted_at": np.full(n, NULL, dtype=np.int64),
    }


@dataclass(frozen=True)
class ProductPool:
    ids: np.ndarray
    list_cents: np.ndarray
    cost_cents: np.ndarray
    commission: np.ndarray  # hundredths of a percent (the category's rate)
    weights: np.ndarray  # popularity


@dataclass(frozen=True)
class CampaignPool:
    ids: np.ndarray  # sorted by start_at
    start: np.ndarray
    end: np.ndarray
    method: np.ndarray  # index in schema.DISCOUNT_METHODS
    value: np.ndarray  # cents (or hundredths of a percent)
    max_discount: np.ndarray  # cents or NULL
    level: pa.Array  # application level of the campaign's apply_scope

    @classmethod
    def from_columns(cls, cols: Columns) -> CampaignPool:
        method_names = cols["discount_method"].to_pylist()
        order = np.argsort(cols["start_at"], kind="stable")
        levels = [SCOPE_LEVELS[s] for s in cols["apply_scope"].to_pylist()]
        value = cols["discount_value"]
        return cls(
            ids=cols["discount_id"][order],
            start=cols["start_at"][order],
            end=cols["end_at"][order],
            method=np.array([DISCOUNT_METHODS.index(m) for m in method_names])[order],
            value=np.where(value == NULL, 0, value)[order],
            max_discount=cols["max_discount_value"][order],
            level=pa.array(levels, pa.string()).take(pa.array(order)),
        )

    def at(self, rng: np.random.Generator, when: np.ndarray) -> np.ndarray:
        """A campaign position per instant: the latest started or the one before, if running."""
        latest = np.maximum(np.searchsorted(self.start, when, side="right") - 1, 0)
        earlier = np.maximum(latest - rng.integers(0, 2, when.size), 0)
        return np.where(self.end[earlier] >= when, earlier, latest)

    def discount(self, pos: np.ndarray, gross: np.ndarray) -> np.ndarray:
        """Discount in cents for a gross amount, at least 1 cent, at most the gross."""
        method, value = self.method[pos], self.value[pos]
        pct = np.round(gross * value / 10_000)
        capped = self.max_discount[pos]
        pct = np.where((capped != NULL) & (pct > capped), capped, pct)
        amount = np.select(
            [method == 0, method == 1, method == 4],
            [pct, np.minimum(value, gross // 2), np.round(gross * value / 10_000)],
            np.minimum(value, np.round(gross * 0.3)),
        )
        return np.clip(amount, 1, gross).astype(np.int64)


def build_items(
    orders: Columns,
    status: np.ndarray,
    products: ProductPool,
    campaigns: CampaignPool,
    first_item_id: int,
    first_discount_id: int,
    end_ms: int,
    rng: np.random.Generator,
) -> tuple[Columns, Columns]:
    """1-4 items per order and the discount rows of every 5th item."""
    n_orders = orders["order_id"].size
    counts = rng.integers(1, 5, n_orders)
    order_pos = np.repeat(np.arange(n_orders), counts)
    n = order_pos.size
    ids = first_item_id + np.arange(n, dtype=np.int64)
    starts = np.cumsum(counts) - counts
    item_number = np.arange(n) - starts[order_pos] + 1
    product = weighted(rng, products.weights, n)
    quantity = 1 + weighted(rng, (0.55, 0.25, 0.1, 0.06, 0.04), n)
    unit = products.list_cents[product]
    gross = quantity * unit
    order_ms = orders["order_date"][order_pos]

    discounted = ids % DISCOUNT_EVERY == 0
    d_pos = np.flatnonzero(discounted)
    n_disc = d_pos.size
    campaign = campaigns.at(rng, order_ms[d_pos])
    attempted = campaigns.discount(campaign, gross[d_pos])
    approved = ~exact_share(rng, n_disc, REJECTED_SHARE)
    granted = np.where(approved, attempted, 0)
    discount = np.zeros(n, dtype=np.int64)
    discount[d_pos] = granted
    net = gross - discount
    has_seller = orders["seller_id"][order_pos] != NULL
    pct = products.commission[product]

    item_status = status[order_pos]
    full_return = item_status == DEVOLVIDO
    partial = (item_status == ENTREGUE) & (quantity >= 2) & (rng.random(n) < PARTIAL_RETURN_SHARE)
    partial_qty = 1 + (rng.random(n) * np.maximum(quantity - 1, 1)).astype(np.int64)
    return_qty = np.where(full_return, quantity, np.where(partial, partial_qty, 0))
    returned = np.where(full_return, net, np.where(partial, net * return_qty // quantity, 0))
    delivered = orders["delivered_at"][order_pos]
    partial_at = np.minimum(delivered + uniform_int(rng, DAY_MS, 20 * DAY_MS, n), end_ms)
    updated = np.where(
        full_return, orders["updated_at"][order_pos], np.where(partial, partial_at, order_ms)
    )
    items: Columns = {
        "order_item_id": ids,
        "order_id": orders["order_id"][order_pos],
        "item_number": item_number,
        "product_id": products.ids[product],
        "quantity": quantity,
        "unit_price": unit,
        "gross_amount": gross,
        "discount_amount": discount,
        "net_amount": net,
        "cost_amount": quantity * products.cost_cents[product],
        "return_quantity": return_qty,
        "returned_amount": returned,
        "commission_percent": np.where(has_seller, pct, NULL),
        "commission_amount": np.where(has_seller, (net * pct + 5_000) // 10_000, NULL),
        "had_discount": discount > 0,
        "created_at": order_ms,
        "updated_at": np.maximum(updated, order_ms),
        "deleted_at": np.full(n, NULL, dtype=np.int64),
    }
    applied = np.minimum(order_ms[d_pos] + uniform_int(rng, 0, 30_000, n_disc), end_ms)
    applied = np.maximum(applied, order_ms[d_pos])
    reasons = pick(ref.REJECTION_REASONS, rng.integers(0, len(ref.REJECTION_REASONS), n_disc))
    discounts: Columns = {
        "order_item_discount_id": first_discount_id + np.arange(n_disc, dtype=np.int64),
        "order_item_id": ids[d_pos],
        "order_id": items["order_id"][d_pos],
        "discount_id": campaigns.ids[campaign],
        "application_level": campaigns.level.take(pa.array(campaign)),
        "discount_amount": granted,
        "base_amount": gross[d_pos],
        "final_amount": gross[d_pos] - granted,
        "applied_at": applied,
        "approved": approved,
        "rejection_reason": with_nulls(reasons, approved),
        "created_at": applied,
        "updated_at": applied,
        "deleted_at": np.full(n_disc, NULL, dtype=np.int64),
    }
    return items, discounts


def order_net(items: Columns, n_orders: int, first_order_id: int) -> np.ndarray:
    """Net amount (cents) per order position."""
    pos = items["order_id"] - first_order_id
    return np.bincount(pos, weights=items["net_amount"], minlength=n_orders)


def finish_customers(
    customers: Columns,
    orders: Columns,
    net_per_order: np.ndarray,
    end_ms: int,
    rng: np.random.Generator,
) -> None:
    """Signup before the first order; type, value category (NULL without orders), VIP flag
    and last purchase."""
    n = customers["customer_id"].size
    pos = orders["customer_id"] - customers["customer_id"][0]
    n_orders = np.bincount(pos, minlength=n)
    spend = np.bincount(pos, weights=net_per_order, minlength=n)
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, pos, orders["order_date"])
    last = np.full(n, NULL)
    np.maximum.at(last, pos, orders["order_date"])
    has = n_orders > 0

    created = np.where(has, np.minimum(customers["created_at"], first), customers["created_at"])
    customers["created_at"] = created
    customers["first_signup_date"] = created // DAY_MS
    customers["last_purchase_date"] = np.where(has, last // DAY_MS, NULL)
    recent_days = (end_ms - np.where(has, last, created)) / DAY_MS
    ranks = np.argsort(np.argsort(spend, kind="stable"), kind="stable") / max(n - 1, 1)
    ctype = np.select(
        [recent_days > 365, (n_orders >= 8) | (ranks >= 0.97), n_orders >= 2],
        [3, 2, 1],
        0,
    )
    customers["customer_type"] = pick(("Novo", "Recorrente", "VIP", "Inativo"), ctype)
    customers["is_vip"] = ctype == 2
    category = np.select([ranks >= 0.95, ranks >= 0.75], [0, 1], 2)  # VALUE_CATEGORIES
    customers["value_category"] = with_nulls(pick(VALUE_CATEGORIES, category), ~has)
    customers["is_active"] = ~exact_share(rng, n, 0.03)
    touched = np.where(has, np.maximum(created, last), created)
    customers["updated_at"] = np.minimum(
        touched + uniform_int(rng, 0, 30 * DAY_MS, n), np.maximum(end_ms, touched)
    )


def finish_sellers(
    sellers: Columns,
    orders: Columns,
    net_per_order: np.ndarray,
    months: int,
    rng: np.random.Generator,
) -> None:
    """Monthly goal near each seller's real monthly average (so goals are sometimes hit)."""
    n = sellers["seller_id"].size
    has = orders["seller_id"] != NULL
    pos = orders["seller_id"][has] - 1
    total = np.bincount(pos, weights=net_per_order[has], minlength=n)
    average = total / max(months, 1)
    fallback = np.median(average[average > 0]) if (average > 0).any() else 1_000_000
    average = np.where(average > 0, average, fallback)
    goal = np.round(average * rng.uniform(0.85, 1.3, n) / 10_000) * 10_000
    sellers["monthly_goal_amount"] = np.maximum(goal, 100_000).astype(np.int64)


def finish_campaigns(campaigns: Columns, discounts: Columns) -> None:
    """Usage and revenue totals of the approved discount applications."""
    usage, revenue, given = campaign_usage(discounts, campaigns["discount_id"])
    campaigns["current_usage_count"] = usage
    campaigns["total_revenue_generated"] = revenue
    campaigns["total_discount_given"] = given


def campaign_usage(
    discounts: Columns, campaign_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per campaign (in ``campaign_ids`` order): approved applications, their final amounts
    and their discounts (cents)."""
    ok = np.asarray(discounts["approved"], dtype=bool)
    order = np.argsort(campaign_ids)
    pos = order[np.searchsorted(campaign_ids, discounts["discount_id"][ok], sorter=order)]
    n = campaign_ids.size
    usage = np.bincount(pos, minlength=n).astype(np.int64)
    revenue = np.bincount(pos, weights=discounts["final_amount"][ok], minlength=n)
    given = np.bincount(pos, weights=discounts["discount_amount"][ok], minlength=n)
    return usage, np.round(revenue).astype(np.int64), np.round(given).astype(np.int64)


_SEASON = np.array([0.85, 0.85, 0.95, 1.0, 1.05, 1.0, 1.0, 1.0, 1.0, 1.05, 1.3, 1.35])
NO_TARGET_QUANTITY_SHARE = 0.05
REALIZED_NOISE = 0.04  # sigma of the log-normal noise on the OLTP's realized figures


def month_index(month_days: np.ndarray, instants_ms: np.ndarray) -> np.ndarray:
    """Position in ``month_days`` (sorted first days, epoch days) of each instant's month."""
    return np.searchsorted(month_days, instants_ms // DAY_MS, side="right") - 1


def seller_month_sales(
    orders: Columns,
    status: np.ndarray,
    items: Columns,
    first_order_id: int,
    seller_ids: np.ndarray,
    month_days: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Net amount (cents) and quantity sold per (month, seller), month-major, for orders
    with a seller that are not canceled; sellers in ``seller_ids`` order."""
    n_s, n_m = seller_ids.size, month_days.size
    order_pos = items["order_id"] - first_order_id
    seller = orders["seller_id"][order_pos]
    month = month_index(month_days, orders["order_date"][order_pos])
    keep = (seller != NULL) & (status[order_pos] != CANCELADO) & (month >= 0) & (month < n_m)
    sorter = np.argsort(seller_ids)
    seller_pos = sorter[np.searchsorted(seller_ids, seller[keep], sorter=sorter)]
    cell = month[keep] * n_s + seller_pos
    net = np.bincount(cell, weights=items["net_amount"][keep], minlength=n_s * n_m)
    qty = np.bincount(cell, weights=items["quantity"][keep], minlength=n_s * n_m)
    return net, qty


def noisy(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``values`` as the OLTP books them: a few percent off, rounded, never negative."""
    factor = rng.lognormal(0.0, REALIZED_NOISE, values.size)
    return np.maximum(np.round(np.asarray(values, dtype=float) * factor), 0).astype(np.int64)


def build_targets(
    sellers: Columns,
    months: list[date],
    end_ms: int,
    unit_net: float,
    sold: tuple[np.ndarray, np.ndarray],
    rng: np.random.Generator,
) -> Columns:
    """One target per seller per month (month-major ids), seasonal around the seller's goal.

    ``sold`` is (net cents, quantity) per (month, seller) from ``seller_month_sales``. Months
    before the last one (the as-of month) are closed; a closed month's row was last updated
    when it was closed, in the first days of the next month; the open month's row is
    refreshed somewhere before the end of the window."""
    month_days = np.array([date_to_days(m) for m in months], dtype=np.int64)
    month_no = np.array([m.month for m in months])
    n_s, n_m = sellers["seller_id"].size, len(months)
    size = n_s * n_m
    seller = np.tile(sellers["seller_id"], n_m)
    goal = np.tile(sellers["monthly_goal_amount"], n_m)
    day = np.repeat(month_days, n_s)
    season = np.repeat(_SEASON[month_no - 1], n_s)
    amount = np.round(goal * season * rng.uniform(0.95, 1.05, size) / 10_000) * 10_000
    amount = np.maximum(amount, 10_000).astype(np.int64)
    quantity = np.maximum(np.round(amount / max(unit_net, 1.0)), 1).astype(np.int64)
    quantity = np.where(rng.random(size) < NO_TARGET_QUANTITY_SHARE, NULL, quantity)
    created = (day - uniform_int(rng, 3, 10, size)) * DAY_MS + 9 * HOUR_MS
    created = np.minimum(created, end_ms)
    closed = np.repeat(np.arange(n_m) < n_m - 1, n_s)
    next_month = np.repeat(np.append(month_days[1:], month_days[-1] + 31), n_s)
    closed_at = next_month * DAY_MS + uniform_int(rng, 2 * HOUR_MS, 3 * DAY_MS, size)
    refreshed = created + (rng.random(size) * np.maximum(end_ms - created, 0)).astype(np.int64)
    updated = np.where(closed, np.minimum(closed_at, end_ms), refreshed)
    net, qty = sold
    return {
        "seller_target_id": np.arange(1, size + 1, dtype=np.int64),
        "seller_id": seller,
        "target_month": day,
        "target_amount": amount,
        "target_quantity": quantity,
        "realized_amount": noisy(net, rng),
        "realized_quantity": noisy(qty, rng),
        "period_type": const("Mensal", size),
        "period_closed": closed,
        "created_at": created,
        "updated_at": np.maximum(updated, created),
        "deleted_at": np.full(size, NULL, dtype=np.int64),
    }
