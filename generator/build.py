"""The base data set: all 11 tables for a (scale, seed, as_of), as Arrow tables.

Vectorised end to end (numpy + pyarrow compute); every table draws from its own seeded
stream, so the same (scale, seed, as_of) always gives the same data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from generator import entities, sales
from generator.clock import DAY_MS, HOUR_MS, Clock, date_to_days, month_starts
from generator.columns import Columns, to_table
from generator.randomness import block_pattern, rng_for, uniform_int, weighted
from generator.schema import TABLE_NAMES
from generator.volumes import BaseVolumes

log = logging.getLogger(__name__)

_HOUR_WEIGHTS = (
    1,
    0.6,
    0.4,
    0.3,
    0.3,
    0.4,
    0.8,
    1.5,
    2.5,
    3.5,
    4.2,
    4.5,
    4.6,
    4.4,
    4.3,
    4.3,
    4.4,
    4.6,
    4.9,
    5.3,
    5.6,
    5.2,
    4.0,
    2.2,
)
_MONTH_WEIGHTS = np.array([0.9, 0.85, 0.95, 0.95, 1.05, 1.0, 1.0, 1.0, 0.95, 1.0, 1.35, 1.4])


@dataclass(frozen=True)
class BaseDataset:
    tables: dict[str, pa.Table]
    volumes: BaseVolumes
    clock: Clock

    def counts(self) -> dict[str, int]:
        return {name: self.tables[name].num_rows for name in TABLE_NAMES}


def order_instants(clock: Clock, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted order instants over the window: growing trend, Nov/Dec peaks, quieter weekends,
    a daily rhythm."""
    days = clock.days
    day_numbers = date_to_days(clock.start) + np.arange(days)
    months = day_numbers.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    weekday = (day_numbers + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    weights = (1 + 0.6 * np.arange(days) / days) * _MONTH_WEIGHTS[months]
    weights = weights * np.where(weekday >= 5, 0.85, 1.0)
    day = day_numbers[weighted(rng, weights, n)]
    hour = weighted(rng, _HOUR_WEIGHTS, n)
    instants = day * DAY_MS + hour * HOUR_MS + rng.integers(0, HOUR_MS, n)
    return np.sort(np.minimum(instants, clock.end_ms))


def build_base(scale: float, seed: int, as_of: date) -> BaseDataset:
    """Generate the whole base data set in memory."""
    clock = Clock.for_as_of(as_of)
    vol = BaseVolumes.for_scale(scale)
    log.info("building base data set: scale=%s seed=%s as_of=%s %s", scale, seed, as_of, vol)
    end = clock.end_ms
    start_day = date_to_days(clock.start)

    regions = entities.build_regions(clock, rng_for(seed, "regions"))
    teams = entities.build_teams(vol.teams, clock, rng_for(seed, "teams"))
    suppliers = entities.build_suppliers(vol.suppliers, clock, rng_for(seed, "suppliers"))
    campaigns = entities.build_campaigns(vol.campaigns, clock, rng_for(seed, "campaigns"))

    rng = rng_for(seed, "products")
    product_ids = np.arange(1, vol.products + 1, dtype=np.int64)
    launch = uniform_int(rng, start_day - 8 * 365, start_day - 1, vol.products)
    created = launch * DAY_MS + rng.integers(8 * HOUR_MS, 18 * HOUR_MS, vol.products)
    updated = clock.uniform_ms(rng, created, vol.products)
    products = entities.build_products(
        product_ids, created, updated, launch, vol.suppliers, date_to_days(as_of) - 1, rng
    )

    rng = rng_for(seed, "customers")
    customer_ids = np.arange(1, vol.customers + 1, dtype=np.int64)
    signup = uniform_int(rng, start_day - 2 * 365, date_to_days(as_of) - 1, vol.customers)
    created = signup * DAY_MS + rng.integers(0, DAY_MS, vol.customers)
    customers = entities.build_customers(customer_ids, created, created, rng)

    sellers = entities.build_sellers(vol.sellers, teams, clock, rng_for(seed, "sellers"))

    rng = rng_for(seed, "orders")
    order_ids = np.arange(1, vol.orders + 1, dtype=np.int64)
    order_ms = order_instants(clock, vol.orders, rng)
    status = block_pattern(rng, vol.orders, sales.STATUS_MIX)
    # early signups order more: weight customers by a long-tailed appetite
    appetite = rng.lognormal(0.0, 1.0, vol.customers)
    customer_pos = weighted(rng, appetite, vol.orders)
    city = entities.city_index(customers["city"])
    orders = sales.build_orders(
        order_ids,
        order_ms,
        status,
        customer_ids[customer_pos],
        city[customer_pos],
        seller_pool(sellers, teams),
        end,
        rng,
    )

    rng = rng_for(seed, "order_items")
    pool = sales.ProductPool(
        ids=product_ids,
        list_cents=products["list_price"],
        cost_cents=products["cost_price"],
        commission=entities.category_commission(products["category_name"]),
        weights=rng.lognormal(0.0, 1.0, vol.products),
    )
    items, discounts = sales.build_items(
        orders, status, pool, sales.CampaignPool.from_columns(campaigns), 1, 1, end, rng
    )

    net = sales.order_net(items, vol.orders, 1)
    sales.finish_customers(customers, orders, net, end, rng_for(seed, "customers", "finish"))
    sales.finish_sellers(sellers, orders, net, 36, rng_for(seed, "sellers", "finish"))
    sales.finish_campaigns(campaigns, discounts)
    unit_net = float(items["net_amount"].sum()) / max(int(items["quantity"].sum()), 1)
    months = month_starts(clock.start, as_of)
    sold = sales.seller_month_sales(
        orders,
        status,
        items,
        1,
        np.asarray(sellers["seller_id"]),
        np.array([date_to_days(m) for m in months], dtype=np.int64),
    )
    targets = sales.build_targets(sellers, months, end, unit_net, sold, rng_for(seed, "targets"))

    built: dict[str, Columns] = {
        "regions": regions,
        "teams": teams,
        "suppliers": suppliers,
        "customers": customers,
        "products": products,
        "sellers": sellers,
        "discount_campaigns": campaigns,
        "orders": orders,
        "order_items": items,
        "order_item_discounts": discounts,
        "seller_targets_monthly": targets,
    }
    tables = {name: to_table(name, built[name]) for name in TABLE_NAMES}
    return BaseDataset(tables=tables, volumes=vol, clock=clock)


def seller_pool(sellers: Columns, teams: Columns) -> sales.SellerPool:
    """Sellers with the region of their team."""
    team_region = np.asarray(teams["region_id"])
    team_pos = np.asarray(teams["team_id"]).argsort()
    region = team_region[team_pos][np.asarray(sellers["team_id"]) - 1]
    return sales.SellerPool(ids=np.asarray(sellers["seller_id"]), region=region)
