"""Time window of a data set: 3 years of orders ending the day before ``as_of``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np

SECOND_MS = 1_000
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
EPOCH = date(1970, 1, 1)


def date_to_days(value: date) -> int:
    return (value - EPOCH).days


def date_to_ms(value: date) -> int:
    return date_to_days(value) * DAY_MS


def ms_to_datetime(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC).replace(tzinfo=None)


def years_before(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year - years)
    except ValueError:  # 29 February
        return value.replace(year=value.year - years, day=28)


def month_starts(first: date, last: date) -> list[date]:
    """First day of every month from ``first``'s month to ``last``'s month, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class Clock:
    """``start_ms`` = first order instant; ``end_ms`` = the last allowed instant (< as_of)."""

    as_of: date
    start: date

    @classmethod
    def for_as_of(cls, as_of: date) -> Clock:
        return cls(as_of=as_of, start=years_before(as_of, 3))

    @property
    def start_ms(self) -> int:
        return date_to_ms(self.start)

    @property
    def as_of_ms(self) -> int:
        return date_to_ms(self.as_of)

    @property
    def end_ms(self) -> int:
        return self.as_of_ms - 1

    @property
    def days(self) -> int:
        return (self.as_of - self.start).days

    def uniform_ms(self, rng: np.random.Generator, low: np.ndarray | int, size: int) -> np.ndarray:
        """Uniform instants in [low, end_ms]."""
        low_arr = np.broadcast_to(np.asarray(low, dtype=np.int64), (size,))
        span = np.maximum(self.end_ms - low_arr, 0)
        return low_arr + (rng.random(size) * span).astype(np.int64)
