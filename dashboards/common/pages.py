"""The two pages every business dashboard has: the metric dictionary ("Metricas": every
KPI of the cards, its formula, its value now and in the previous period, and the
reference SQL to check it) and the detailed rows ("Base detalhada", with the CSV of every
filtered row)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import streamlit as st

from dashboards.common import formatting as fmt
from dashboards.common import kpis, reporting
from dashboards.common.layout import DETAIL_PREVIEW_ROWS, context, stale_note


def metric_dictionary() -> None:
    page = context()
    spec = page.spec
    st.subheader("Dicionario de metricas")
    st.caption(
        f"Cada KPI dos cartoes, sua formula sobre `{spec.view}` e seu valor no periodo "
        f"{fmt.date_br(page.selection.start)} a {fmt.date_br(page.selection.end)}"
        + (
            "; delta = (atual - anterior) / |anterior|, periodo anterior de mesma duracao."
            if page.compare
            else "."
        )
    )
    st.dataframe(
        kpis.dictionary(spec.kpis, page.current, page.previous),
        hide_index=True,
        width="stretch",
        key="metric_dictionary",
    )
    st.subheader("SQL de referencia (homologacao)")
    sql, params = reporting.measures_sql(
        page.settings.target,
        spec.source.relation,
        spec.date_column,
        spec.measures,
        page.selection,
        False,
    )
    st.code(_inline(sql, params), language="sql")


def _inline(sql: str, params: list[Any]) -> str:
    """The SQL with its parameters written in, to read or paste (never executed so)."""
    text = sql
    for value in params:
        literal = f"'{value.isoformat()}'" if isinstance(value, date | datetime) else None
        literal = literal or "'" + str(value).replace("'", "''") + "'"
        text = text.replace("?", literal, 1)
    return text.replace(" from ", "\nfrom ").replace(" where ", "\nwhere ").replace(", ", ",\n    ")


def detail() -> None:
    page = context()
    spec = page.spec
    total = int(page.current.get("linhas") or 0)
    st.subheader("Base detalhada")
    rows = reporting.load_detail(
        page.settings,
        spec.source,
        spec.date_column,
        spec.detail_columns,
        spec.detail_order,
        page.selection,
        DETAIL_PREVIEW_ROWS,
    )
    stale_note(rows)
    shown = min(total, DETAIL_PREVIEW_ROWS)
    st.caption(
        f"{fmt.integer(total)} {spec.rows_label} no filtro; "
        + (
            f"aqui as {fmt.integer(shown)} mais recentes, o CSV traz todas."
            if total > shown
            else "todas aqui e no CSV."
        )
    )
    st.download_button(
        "Baixar CSV filtrado",
        data=lambda: reporting.detail_csv(
            page.settings,
            spec.source,
            spec.date_column,
            spec.detail_columns,
            spec.detail_order,
            page.selection,
        ),
        file_name=f"{spec.key}_{page.selection.start:%Y%m%d}_{page.selection.end:%Y%m%d}.csv",
        mime="text/csv",
        key="download_csv",
        icon=":material/download:",
    )
    st.dataframe(rows, hide_index=True, width="stretch", key="detail_rows")
