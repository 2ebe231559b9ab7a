{#- Whether this invocation checks the whole warehouse: --full-refresh, or the var
    etl_full_checks (the orchestrator's --full-checks). Otherwise an incremental run tests
    what it loaded (get_where_subquery) and its snapshots read only the source rows that
    changed, leaving the check for rows deleted from the source to full checks. -#}
{% macro etl_full_checks() %}
    {{ return(var('etl_full_checks', false) in [true, 'true', 'True', 1, '1'] or flags.FULL_REFRESH) }}
{% endmacro %}
