"""Vendas (port 8502): revenue, margin, returns and discounts of fact.vw_dash_vendas_r1."""
