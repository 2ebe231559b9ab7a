"""Metas (port 8503): goals against actual sales of fact.vw_dash_metas_r1."""
