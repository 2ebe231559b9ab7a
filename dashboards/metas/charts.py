"""Charts of the Metas dashboard."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboards.common import charts
from dashboards.metas.queries import QUARTILES


def monthly(frame: pd.DataFrame) -> alt.Chart:
    return charts.lines(
        frame,
        "data_completa",
        {"meta": "Meta", "realizado": "Realizado"},
        ["#0ea5e9", "#16a34a"],
        time_title="Mes",
    )


def quartiles(frame: pd.DataFrame) -> alt.Chart:
    return charts.column_bars(
        frame,
        "quartil_performance",
        "linhas",
        "Quartil (Q1: o melhor do mes)",
        "Vendedor x mes",
        color="#7c3aed",
        sort=list(QUARTILES),
        value_format=",d",
    )


def teams(frame: pd.DataFrame) -> alt.Chart:
    return charts.top_bars(
        frame, "nome_equipe", "atingimento", "Equipe", "#0f766e", "Atingimento", ".1%"
    )


def sellers(frame: pd.DataFrame) -> alt.Chart:
    return charts.top_bars(
        frame, "nome_vendedor", "atingimento", "Vendedor", "#b45309", "Atingimento", ".1%"
    )
