"""Chart building blocks the business dashboards share (Altair specs from DataFrames):
horizontal top-N bars, a multi-series line over time, bars per category."""

from __future__ import annotations

import altair as alt
import pandas as pd

CURRENCY = ",.2f"


def top_bars(
    frame: pd.DataFrame,
    category: str,
    measure: str,
    title: str,
    color: str = "#0f766e",
    value_title: str = "Valor",
    value_format: str = CURRENCY,
) -> alt.Chart:
    """One bar per category, largest first."""
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadiusTopRight=4, cornerRadiusBottomRight=4, color=color)
        .encode(
            x=alt.X(f"{measure}:Q", title=value_title),
            y=alt.Y(f"{category}:N", sort="-x", title=title),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=title),
                alt.Tooltip(f"{measure}:Q", title=value_title, format=value_format),
            ],
        )
        .properties(height=max(160, 26 * len(frame)))
    )


def lines(
    frame: pd.DataFrame,
    time: str,
    series: dict[str, str],
    colors: list[str],
    time_title: str = "Periodo",
    value_title: str = "Valor",
    value_format: str = CURRENCY,
    height: int = 320,
) -> alt.Chart:
    """One line per column of `series` ({column: label}) over `time`."""
    long = frame.melt(id_vars=[time], value_vars=list(series), var_name="serie", value_name="valor")
    long["serie"] = long["serie"].map(series)
    return (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X(f"{time}:T", title=time_title),
            y=alt.Y("valor:Q", title=value_title),
            color=alt.Color(
                "serie:N",
                scale=alt.Scale(domain=list(series.values()), range=colors),
                title="Serie",
            ),
            tooltip=[
                alt.Tooltip(f"{time}:T", title=time_title),
                alt.Tooltip("serie:N", title="Serie"),
                alt.Tooltip("valor:Q", title=value_title, format=value_format),
            ],
        )
        .properties(height=height)
    )


def column_bars(
    frame: pd.DataFrame,
    category: str,
    measure: str,
    title: str,
    value_title: str,
    color: str = "#0b7285",
    sort: list[str] | None = None,
    value_format: str = CURRENCY,
) -> alt.Chart:
    """Vertical bars per category, in `sort` order when given."""
    return (
        alt.Chart(frame)
        .mark_bar(color=color)
        .encode(
            x=alt.X(f"{category}:N", title=title, sort=sort),
            y=alt.Y(f"{measure}:Q", title=value_title),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=title),
                alt.Tooltip(f"{measure}:Q", title=value_title, format=value_format),
            ],
        )
        .properties(height=240)
    )
