"""Charts of the Descontos e ROI dashboard."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboards.common import charts


def monthly(frame: pd.DataFrame) -> alt.Chart:
    return charts.lines(
        frame,
        "mes_inicio",
        {"desconto": "Desconto concedido", "receita": "Receita com desconto"},
        ["#b45309", "#047857"],
        time_title="Mes",
    )


def roi(frame: pd.DataFrame) -> alt.Chart:
    return charts.lines(
        frame,
        "mes_inicio",
        {"roi_medio": "ROI medio"},
        ["#1d4ed8"],
        time_title="Mes",
        value_title="ROI medio (x)",
        value_format=",.3f",
        height=250,
    )


def margin_status(frame: pd.DataFrame) -> alt.Chart:
    return charts.column_bars(
        frame,
        "status_margem",
        "aplicacoes",
        "Status de margem",
        "Aplicacoes",
        color="#7c2d12",
        value_format=",d",
    )


def by_discount(frame: pd.DataFrame) -> alt.Chart:
    return charts.top_bars(
        frame, "codigo_desconto", "desconto", "Codigo", "#b45309", "Desconto concedido"
    )


def by_roi(frame: pd.DataFrame) -> alt.Chart:
    return charts.top_bars(
        frame, "codigo_desconto", "roi_medio", "Codigo", "#0f766e", "ROI medio (x)", ",.3f"
    )
