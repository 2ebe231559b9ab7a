"""Performance benchmark of the warehouse load (`make bench`, `python -m bench`).

Measures, side by side in one run, per scale and on one target (DuckDB or PostgreSQL):
source generation, the full load through the orchestrator, one incremental wave, a
no-change run against dbt's bare start-up, the orchestrator's overhead over `dbt build`
alone, the engine floor (dbt's compiled SQL run directly in the engine, results checked),
the source rows each run read (PostgreSQL's own counters; DuckDB has none), and on DuckDB
the monitor's page render times with 10,000 runs of audit history and the business
dashboards' page render times. Writes bench/results/<target>-<date>-scale<s>.md and .json.
"""
