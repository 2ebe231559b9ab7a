"""Descontos e ROI (port 8504): discounts, their return and margin impact."""
