"""The ETL monitor (Streamlit, port 8501)."""
