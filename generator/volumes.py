"""How many rows each table gets at a scale factor, for the base data set and for a wave.

Scale 1 is the reference system (SPEC section 2). Customers, products, sellers and orders
grow linearly with floors, so scale 0.01 still gives a usable data set (hundreds of orders,
a dozen sellers in 3 teams, 8 campaigns). Regions are always the 15 real cities; teams,
suppliers and campaigns grow with the square root of the scale (a company with 10x the
orders does not have 10x the teams): 12 / 80 / 40 at scale 1, 38 / 253 / 126 at scale 10.
Items are 1-4 per order (uniform, about 2.5 per order), so they are not a volume here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_SCALE = 1000.0
REGIONS = 15


def _linear(reference: int, scale: float, floor: int) -> int:
    return max(floor, round(reference * scale))


def _sublinear(reference: int, scale: float, floor: int) -> int:
    return max(floor, round(reference * math.sqrt(scale)))


@dataclass(frozen=True)
class BaseVolumes:
    regions: int
    teams: int
    suppliers: int
    customers: int
    products: int
    sellers: int
    campaigns: int
    orders: int

    @classmethod
    def for_scale(cls, scale: float) -> BaseVolumes:
        teams = _sublinear(12, scale, 3)
        return cls(
            regions=REGIONS,
            teams=teams,
            suppliers=_sublinear(80, scale, 5),
            customers=_linear(20_000, scale, 200),
            products=_linear(5_000, scale, 100),
            sellers=max(4 * teams, round(300 * scale)),
            campaigns=_sublinear(40, scale, 8),
            orders=_linear(90_000, scale, 300),
        )


@dataclass(frozen=True)
class WaveVolumes:
    new_customers: int
    new_products: int
    new_orders: int
    order_status_updates: int
    product_updates: int
    customer_updates: int
    customer_soft_deletes: int
    product_soft_deletes: int

    @classmethod
    def for_scale(cls, scale: float) -> WaveVolumes:
        return cls(
            new_customers=_linear(300, scale, 5),
            new_products=_linear(120, scale, 3),
            new_orders=_linear(2_200, scale, 20),
            order_status_updates=_linear(2_500, scale, 20),
            product_updates=_linear(600, scale, 6),
            customer_updates=_linear(900, scale, 9),
            customer_soft_deletes=_linear(40, scale, 2),
            product_soft_deletes=_linear(30, scale, 2),
        )
