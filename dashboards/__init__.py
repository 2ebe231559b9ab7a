"""Streamlit apps; they only read. `monitor/` (port 8501), the ETL monitor; the business
dashboards `vendas/` (8502), `metas/` (8503) and `descontos/` (8504), served together by
`python -m dashboards.serve` (`make dashboards`); what they share in `common/`."""
