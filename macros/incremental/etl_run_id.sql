{#- The run id stamped on loaded rows and audit records: the orchestrator's run id
    (environment ETL_RUN_ID, or var etl_run_id), or dbt's invocation id when dbt is run
    directly. Read only at execution: reading it while dbt parses would make every new run
    id force a full re-parse. -#}
{% macro etl_run_id() %}
    {% if not execute %}
        {{ return(invocation_id) }}
    {% endif %}
    {{ return(env_var('ETL_RUN_ID', '') or var('etl_run_id', '') or invocation_id) }}
{% endmacro %}
