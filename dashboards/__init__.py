"""Streamlit apps: the ETL monitor and (later) the business dashboards; they only read."""
