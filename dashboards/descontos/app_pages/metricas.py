"""Metricas: every KPI of the cards, its formula, its value now and in the previous period."""

from __future__ import annotations

from dashboards.common import pages

pages.metric_dictionary()
