"""What a business dashboard's sidebar selected: a period (with the previous one of the same
length, for the deltas) and the values of each filter, as hashable values (they key the
data caches), and the SQL `where` they make over a consumption view.

Columns come from the dashboards' own specs (an allow-list in code, checked again by
`identifier`); dates and filter values always travel as bind parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from observability.reader import identifier


@dataclass(frozen=True)
class Selection:
    """A period [start, end] (both days included) and filter values by view column (an
    empty tuple of values: no filter on that column)."""

    start: date
    end: date
    filters: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def __post_init__(self) -> None:
        if self.start > self.end:
            start, end = self.end, self.start
            object.__setattr__(self, "start", start)
            object.__setattr__(self, "end", end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Selection:
        """The period of the same length right before this one, same filters."""
        end = self.start - timedelta(days=1)
        return replace(self, start=end - timedelta(days=self.days - 1), end=end)

    def spanning(self, other: Selection) -> Selection:
        """One period covering this one and `other` (same filters)."""
        return replace(self, start=min(self.start, other.start), end=max(self.end, other.end))

    @property
    def active_filters(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((column, values) for column, values in self.filters if values)

    def where(self, date_column: str) -> tuple[str, list[Any]]:
        """`where <date> between ? and ? and <column> in (?, ...)...` and its parameters."""
        column = identifier(date_column)
        filters, params = filters_where(self.active_filters)
        clauses = [f"{column} between ? and ?", *filters]
        return "where " + " and ".join(clauses), [self.start, self.end, *params]


def filters_where(
    filters: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[list[str], list[Any]]:
    """`<column> in (?, ...)` of each filter with values, and the values."""
    clauses: list[str] = []
    params: list[Any] = []
    for name, values in filters:
        if values:
            clauses.append(f"{identifier(name)} in ({', '.join('?' for _ in values)})")
            params += list(values)
    return clauses, params


def with_filters(start: date, end: date, chosen: dict[str, Any]) -> Selection:
    """A Selection from widget values: {column: selected values}."""
    filters = tuple(
        (column, tuple(sorted(str(value) for value in values or ())))
        for column, values in chosen.items()
    )
    return Selection(start, end, filters)
