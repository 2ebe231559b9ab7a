{#- Whether this invocation is a direct dbt run that loads: `dbt run`, `build` or
    `snapshot` started by hand, not by the orchestrator (which passes its run id, see
    etl_run_id, and keeps the run audit and the warehouse lock itself). Direct runs are
    audited and locked by the hooks etl_run_claim, etl_run_open and etl_run_close. -#}
{% macro etl_direct_run() %}
    {{ return(execute and flags.WHICH in ['run', 'build', 'snapshot']
        and ecommerce_dw.etl_run_id() == invocation_id) }}
{% endmacro %}
