"""What the orchestrator and the dashboards both need to watch the ETL, below both of them
(neither `orchestrator` nor `dashboards` is imported here):

- `sla`: the SLA rules (ATRASO_WATERMARK, SEM_EXECUCAO_RECENTE, FALHA_RECORRENTE);
- `taxonomy`: the error taxonomy (failure message -> category, reason, action);
- `runbook`: where the runbook section of each code the monitor or the alerts emit is;
- `reader`: a read session over a DB-API connection of any of the three warehouses;
- `pipeline_status`: the per-entity status the monitor shows and the alert runner judges.
"""
