"""The business dashboards' pure parts: the data SLA (day D by D+1 08:00 in Sao Paulo),
the period and its previous one, the SQL of the aggregates, formatting and the launcher's
arguments."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dashboards import serve
from dashboards.common import formatting as fmt
from dashboards.common import freshness, kpis, reporting
from dashboards.common.kpis import Measure
from dashboards.common.selection import Selection, with_filters


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=freshness.SLA_TIMEZONE)


@pytest.mark.parametrize(
    ("last_day", "now", "within"),
    [
        (date(2026, 1, 14), "2026-01-15 07:59", True),  # the 15th is not due yet
        (date(2026, 1, 14), "2026-01-16 07:59", True),  # the 15th is due at 08:00 of the 16th
        (date(2026, 1, 14), "2026-01-16 08:00", False),
        (date(2026, 1, 15), "2026-01-16 10:00", True),  # yesterday's data at 10:00: on time
        (date(2026, 1, 10), "2026-01-16 10:00", False),
        (None, "2026-01-16 10:00", False),
    ],
)
def test_day_d_is_due_by_d_plus_one_at_eight_in_sao_paulo(
    last_day: date | None, now: str, within: bool
) -> None:
    state = freshness.evaluate(last_day, local(now))
    assert state.within is within
    assert state.status == ("Dentro do SLA" if within else "Atraso de atualizacao")
    if last_day is not None and not within:
        assert state.late_hours >= 0
        assert "atraso" in state.detail


def test_the_sla_clock_is_sao_paulo_time_and_follows_a_pinned_etl_now(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ETL_NOW", "2026-01-16T11:30:00")  # UTC: 08:30 in Sao Paulo
    assert freshness.now_local().hour == 8
    state = freshness.evaluate(date(2026, 1, 14))
    assert not state.within and round(state.late_hours, 1) == 0.5
    assert freshness.due_at(date(2026, 1, 15)).astimezone(UTC).hour == 11


def test_previous_period_is_as_long_and_ends_the_day_before() -> None:
    selection = Selection(date(2025, 3, 1), date(2025, 3, 31), (("estado", ("SP",)),))
    before = selection.previous()
    assert (before.start, before.end) == (date(2025, 1, 29), date(2025, 2, 28))
    assert before.days == selection.days == 31
    assert before.filters == selection.filters
    assert Selection(date(2025, 3, 5), date(2025, 3, 1)).start == date(2025, 3, 1)


def test_where_binds_the_period_and_every_chosen_value() -> None:
    selection = with_filters(
        date(2025, 1, 1), date(2025, 1, 31), {"estado": ["SP", "RJ"], "categoria": []}
    )
    sql, params = selection.where("data_completa")
    assert sql == "where data_completa between ? and ? and estado in (?, ?)"
    assert params == [date(2025, 1, 1), date(2025, 1, 31), "RJ", "SP"]
    with pytest.raises(ValueError):
        Selection(date(2025, 1, 1), date(2025, 1, 2), (("estado; drop", ("x",)),)).where("d")


def test_one_scan_reads_the_period_and_the_previous_one() -> None:
    measures = (Measure("linhas", "count"), Measure("ok", "sum", "case when f = {true} then 1 end"))
    selection = Selection(date(2025, 2, 1), date(2025, 2, 28))
    sql, params = reporting.measures_sql(
        "sqlserver", "fact.vw_x", "data_completa", measures, selection, True
    )
    assert "linhas__atual" in sql and "ok__anterior" in sql and "f = 1" in sql
    assert params[:4] == [date(2025, 2, 1)] * 4
    assert params[4:] == [date(2025, 1, 4), date(2025, 2, 28)]
    assert Measure("n", "count_distinct", "numero_pedido").sql("duckdb", "x >= ?") == (
        "count(distinct case when x >= ? then numero_pedido end)"
    )
    with pytest.raises(ValueError):
        Measure("bad", "median", "x")


def test_ratios_are_zero_without_a_positive_denominator_and_deltas_are_relative() -> None:
    assert kpis.ratio(5, 0) == 0.0 and kpis.ratio(5, None) == 0.0 and kpis.ratio(1, 4) == 0.25
    assert fmt.delta(150, 100) == "+50,0%"
    assert fmt.delta(-50, -100) == "+50,0%"  # a loss that halves is an improvement
    assert fmt.delta(1, 0) is None
    assert fmt.currency(-1234.5) == "-R$ 1.234,50"
    assert fmt.ratio(0.1234) == "12,3%" and fmt.times(2) == "2,00x"
    assert fmt.currency_short(97538.26) == "R$ 97.538,26"
    assert fmt.currency_short(198000) == "R$ 198,0 mil"
    assert fmt.currency_short(-12_345_678) == "-R$ 12,35 mi"


def test_the_launcher_serves_the_three_apps_on_their_ports_and_takes_others() -> None:
    assert serve.APPS == {"vendas": 8502, "metas": 8503, "descontos": 8504}
    assert serve.parse_ports(["metas=9503"]) == {"metas": 9503}
    command = serve.command("vendas", 8502)
    assert command[-10:] == [
        "--server.address",
        "127.0.0.1",
        "--server.port",
        "8502",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]
    with pytest.raises(Exception, match="APP=PORT"):
        serve.parse_ports(["monitor=8501"])
