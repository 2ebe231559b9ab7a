"""Charts of the Vendas dashboard."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboards.common import charts
from dashboards.vendas.queries import WEEKDAYS


def trend(frame: pd.DataFrame, granularity: str) -> alt.Chart:
    return charts.lines(
        frame,
        "periodo",
        {"receita": "Receita liquida", "margem": "Margem bruta"},
        ["#0f766e", "#c2410c"],
        time_title="Mes" if granularity == "mes" else "Dia",
    )


def weekday(frame: pd.DataFrame) -> alt.Chart:
    return charts.column_bars(
        frame, "dia_semana", "receita", "Dia da semana", "Receita liquida", sort=list(WEEKDAYS)
    )


def products(frame: pd.DataFrame) -> alt.Chart:
    return charts.top_bars(frame, "nome_produto", "receita", "Produto", value_title="Receita")


def states(frame: pd.DataFrame) -> alt.Chart:
    return charts.top_bars(frame, "estado", "receita", "Estado", "#1d4ed8", "Receita")


def sellers(frame: pd.DataFrame) -> alt.Chart:
    return charts.top_bars(frame, "nome_vendedor", "receita", "Vendedor", "#b45309", "Receita")


def teams(frame: pd.DataFrame) -> alt.Chart:
    return charts.top_bars(frame, "nome_equipe", "receita", "Equipe", "#0f766e", "Receita")
