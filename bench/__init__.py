"""Performance benchmark of the warehouse load (`make bench`, `python -m bench`).

Measures, side by side in one run, per scale: source generation, the full load through
the orchestrator, one incremental wave, a no-change run against dbt's bare start-up, the
orchestrator's overhead over `dbt build` alone, the engine floor (dbt's compiled SQL run
directly in DuckDB, results checked), the monitor's page render times with 10,000 runs
of audit history and the business dashboards' page render times. Writes
bench/results/<target>-<date>.md and .json.
"""
