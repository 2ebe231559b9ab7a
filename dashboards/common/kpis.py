"""KPIs of the business dashboards: the SQL aggregates they are made of, how each KPI is
computed from them, how it is shown, and the metric dictionary (every KPI, its formula,
its value now and in the previous period).

A dashboard reads its aggregates (`Measure`) in one query over its consumption view for
the period and, in the same scan, for the previous period of the same length; each `Kpi`
is then a plain function of those aggregates, so the figure on a card, in the metric
dictionary and in the tests is one computation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboards.common import formatting as fmt
from observability.reader import true_literal

AGGREGATES = ("sum", "count", "count_distinct", "avg")
CURRENT = "atual"
PREVIOUS = "anterior"


@dataclass(frozen=True)
class Measure:
    """One aggregate over the view: `agg` of the SQL expression `expr` (view columns;
    `{true}` stands for the target's boolean true).

    Measures also add up from per-day partials (reporting.day_totals): a sum and a count
    are sums of daily ones, an average is their quotient; a distinct count adds up only
    when each value belongs to one day (an order and its date), which a dashboard that
    reads day totals vouches for."""

    name: str
    agg: str
    expr: str = "*"

    def __post_init__(self) -> None:
        if self.agg not in AGGREGATES:
            raise ValueError(f"measure {self.name}: unknown aggregate {self.agg!r}")

    def partials(self, target: str) -> list[tuple[str, str]]:
        """(column, SQL) of the per-day partials this measure adds up from."""
        expr = self.expr.replace("{true}", true_literal(target))
        if self.agg == "count":
            return [(f"{self.name}__n", "count(*)")]
        if self.agg == "count_distinct":
            return [(f"{self.name}__n", f"count(distinct {expr})")]
        if self.agg == "avg":
            return [(f"{self.name}__sum", f"sum({expr})"), (f"{self.name}__n", f"count({expr})")]
        return [(f"{self.name}__sum", f"sum({expr})")]

    def combine(self, days: pd.DataFrame) -> float | None:
        """The measure over these days, from their partials."""
        if self.agg in ("count", "count_distinct"):
            return float(days[f"{self.name}__n"].sum())
        total = days[f"{self.name}__sum"].dropna()
        if self.agg == "avg":
            count = float(days[f"{self.name}__n"].sum())
            return float(total.sum()) / count if count else None
        return float(total.sum()) if len(total) else None

    def sql(self, target: str, condition: str | None = None) -> str:
        """The aggregate, restricted to the rows where `condition` holds (when given)."""
        expr = self.expr.replace("{true}", true_literal(target))
        if self.agg == "count":
            return f"sum(case when {condition} then 1 else 0 end)" if condition else "count(*)"
        inner = f"case when {condition} then {expr} end" if condition else expr
        if self.agg == "count_distinct":
            return f"count(distinct {inner})"
        return f"{self.agg}({inner})"


def ratio(numerator: Any, denominator: Any) -> float:
    """numerator / denominator, 0 when the denominator is not positive (the original's rule)."""
    top, bottom = fmt.finite(numerator), fmt.finite(denominator)
    if top is None or bottom is None or bottom <= 0:
        return 0.0
    return top / bottom


def value(measures: Mapping[str, Any], name: str) -> float:
    """An aggregate as a float (0 for no rows: a sum over nothing is nothing)."""
    return fmt.finite(measures.get(name)) or 0.0


FORMATS: dict[str, Callable[[Any], str]] = {
    "currency": fmt.currency,
    "ratio": fmt.ratio,
    "integer": fmt.integer,
    "times": fmt.times,
}


@dataclass(frozen=True)
class Kpi:
    """A KPI card: its label, formula (as the metric dictionary shows it), the view columns
    it reads, how to compute it from the measures, how to show it; `inverse`: a rise is
    bad news (its delta is shown in red)."""

    key: str
    label: str
    formula: str
    source: str
    compute: Callable[[Mapping[str, Any]], float]
    kind: str = "currency"
    inverse: bool = False

    def show(self, number: Any) -> str:
        """The value in full (metric dictionary, tables)."""
        return FORMATS[self.kind](number)

    def card(self, number: Any) -> str:
        """The value as its card shows it (large amounts shortened: 'R$ 1,23 mi')."""
        return fmt.currency_short(number) if self.kind == "currency" else self.show(number)


def compute(kpis: tuple[Kpi, ...], measures: Mapping[str, Any]) -> dict[str, float]:
    """Every KPI from one period's measures."""
    return {kpi.key: kpi.compute(measures) for kpi in kpis}


def periods(frame: pd.DataFrame) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(current, previous) measures from the measures loader's frame (previous None when
    the comparison is off)."""
    records = {str(index): row.to_dict() for index, row in frame.iterrows()}
    return records.get(CURRENT, {}), records.get(PREVIOUS)


DICTIONARY_COLUMNS = ["Metrica", "Formula", "Fonte", "Valor atual", "Periodo anterior", "Delta"]


def dictionary(
    kpis: tuple[Kpi, ...], current: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> pd.DataFrame:
    """The metric dictionary: every KPI, its formula, its source columns and its values."""
    now = compute(kpis, current)
    before = compute(kpis, previous) if previous is not None else {}
    rows = [
        (
            kpi.label,
            kpi.formula,
            kpi.source,
            kpi.show(now[kpi.key]),
            kpi.show(before[kpi.key]) if kpi.key in before else "-",
            (fmt.delta(now[kpi.key], before[kpi.key]) if kpi.key in before else None) or "-",
        )
        for kpi in kpis
    ]
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)
