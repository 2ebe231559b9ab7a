{#- The one definition of audit.etl_run (one row per run: the orchestrator's, or a direct
    dbt run's): its column list, in the types a caller passes (`types`: ts, str, text and
    bool, the type names of the target's dialect). Rendered by ensure_etl_objects (dbt's
    on-run-start) and by the orchestrator (orchestrator/audit.py, plain Jinja with its own
    type map), so the table is the same whoever creates it first. Plain Jinja only. -#}
{% macro etl_run_columns(types) %}
        run_id {{ types.str }}(64) not null primary key,
        entities_requested {{ types.str }}(2000) not null,
        started_by {{ types.str }}(200) not null,
        started_at {{ types.ts }} not null,
        finished_at {{ types.ts }},
        status {{ types.str }}(20) not null check (status in ('running', 'success', 'partial', 'failed')),
        entities_succeeded integer,
        entities_failed integer,
        error_message {{ types.text }},
        is_dry_run {{ types.bool }} not null,
        target {{ types.str }}(20) not null,
        dbt_invocation_id {{ types.str }}(64),
        pid integer not null,
        full_refresh {{ types.bool }} not null,
        batch_size_override integer,
        cutoff_minutes_override integer,
        max_batches_override integer
{%- endmacro %}
