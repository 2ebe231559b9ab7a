"""What the Streamlit apps share: settings and connections, cached loaders that survive a
load holding the DuckDB file, formatting; and for the business dashboards their specs,
period selection, KPIs, data SLA, view reading, page layout and shared pages. The SLA
rules, error taxonomy and read session are below both apps and the orchestrator, in
observability/."""
