"""What makes one business dashboard: its consumption view, period column and default
period, sidebar filters, aggregates and KPIs, detailed-rows columns, and where its data
freshness comes from. Each app declares one `DashboardSpec` in its queries module; the
shared pieces (sidebar, header, metric dictionary, detailed rows) work from it."""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.common.kpis import Kpi, Measure
from dashboards.common.reading import Source


@dataclass(frozen=True)
class FilterSpec:
    """A sidebar multiselect over one column of the view; its values come from
    `options_from` ('schema.dimension.column': the small dimension the view's column comes
    from) or, when empty, from the view itself."""

    column: str
    label: str
    options_from: str = ""


@dataclass(frozen=True)
class DashboardSpec:
    key: str
    title: str
    view: str
    default_days: int
    filters: tuple[FilterSpec, ...]
    measures: tuple[Measure, ...]
    kpis: tuple[Kpi, ...]
    detail_columns: tuple[str, ...]
    detail_order: str
    rows_label: str  # what one row of the view is, in the plural ("itens vendidos")
    date_column: str = "data_completa"
    freshness_view: str = ""  # the view whose last business day is the data's (default: view)
    freshness_note: str = ""
    snapshot: bool = False  # read the view whole once (reading.Source)
    daily: bool = False  # KPIs from per-day totals (reporting.day_totals): day-additive measures

    @property
    def source(self) -> Source:
        return Source(self.view, self.snapshot)

    @property
    def freshness_source(self) -> Source:
        if self.freshness_view and self.freshness_view != self.view:
            return Source(self.freshness_view)
        return self.source

    @property
    def filter_columns(self) -> tuple[str, ...]:
        return tuple(item.column for item in self.filters)

    @property
    def dimension_filters(self) -> tuple[tuple[str, str], ...]:
        """(column, 'schema.dimension.column') of the filters valued from a dimension."""
        return tuple((item.column, item.options_from) for item in self.filters if item.options_from)

    @property
    def view_filters(self) -> tuple[str, ...]:
        """The filter columns valued from the view itself."""
        return tuple(item.column for item in self.filters if not item.options_from)
