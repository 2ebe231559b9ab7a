"""Base detalhada: the filtered rows of fact.vw_dash_vendas_r1 and their CSV."""

from __future__ import annotations

from dashboards.common import pages

pages.detail()
