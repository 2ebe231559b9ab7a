"""Shared code of the Streamlit apps: settings, connections, SLA rules, formatting."""
