"""Equipes e vendedores: the 12 teams and the 12 sellers with the highest attainment."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.common import formatting as fmt
from dashboards.common import layout
from dashboards.metas import charts, queries


def table(frame: pd.DataFrame, key: str) -> None:
    st.dataframe(
        frame.assign(
            meta=frame["meta"].map(fmt.currency),
            realizado=frame["realizado"].map(fmt.currency),
            atingimento=frame["atingimento"].map(fmt.ratio),
        ),
        hide_index=True,
        width="stretch",
        key=key,
    )


page = layout.context()
teams = queries.top_teams(page.settings, page.selection)
sellers = queries.top_sellers(page.settings, page.selection)
left, right = st.columns(2)
with left:
    st.subheader(f"Top {queries.TOP_TEAMS} equipes por atingimento")
    layout.chart(teams, charts.teams, "Sem equipes.")
    table(teams, "top_teams")
with right:
    st.subheader(f"Top {queries.TOP_SELLERS} vendedores por atingimento")
    layout.chart(sellers, charts.sellers, "Sem vendedores.")
    table(sellers, "top_sellers")
