{#- The run id stamped on loaded rows and audit records: the orchestrator's run id
    (var etl_run_id), or dbt's invocation id when dbt is run directly. -#}
{% macro etl_run_id() %}
    {{ return(var('etl_run_id', '') or invocation_id) }}
{% endmacro %}
