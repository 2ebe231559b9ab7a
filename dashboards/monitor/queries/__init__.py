"""SQL of the monitor and its cached loaders, one module per page or concern:

- `preflight`: the checks on top of every page;
- `pipelines`: the pipeline matrix (observability.pipeline_status) with the run in
  progress, the SLA alerts over it, the live progress of a run;
- `summary`: Resumo operacional (run KPIs, timeline, volumes, recent failures);
- `health`: Saude por pipeline (quality checks and findings, quarantine, source sample,
  entity history);
- `runs`: Runs e controle (control table, recent runs, per-entity detail);
- `connection_audit`: Auditoria de conexoes (events, ETL failures, error taxonomy);
- `dbt_artifacts`: dbt's manifest, run results and source freshness.

Every loader takes the warehouse `Settings` and widget values and returns a DataFrame
(pages hold no SQL); `dashboards.common.cache.loader` caches it and keeps it readable
while a load holds the DuckDB file. SQL: `?` markers, values always bound; identifiers
from ctl.etl_control are checked (`identifier`) before they reach SQL text; top-N through
fetchmany (no LIMIT / TOP), so the same text runs on DuckDB, PostgreSQL and SQL Server.
"""
