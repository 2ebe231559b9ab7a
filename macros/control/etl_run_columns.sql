{#- The one definition of audit.etl_run (one row per run: the orchestrator's, or a direct
    dbt run's): its column list, in the types a caller passes (`types`: ts, str, text and
    bool, the type names of the target's dialect, and false, its literal). Rendered by
    ensure_etl_objects (dbt's on-run-start) and by the orchestrator (orchestrator/audit.py,
    plain Jinja with its own type map), so the table is the same whoever creates it first.
    Columns added after the table's first version come last, not null with a default:
    ensure_etl_objects and the orchestrator add them to an older table (its rows take the
    default), which then has the same columns in the same order as a new one. Plain Jinja
    only. -#}
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
        max_batches_override integer,
        {#- added later: true for a run that tested the whole warehouse (--full-checks,
            var etl_full_checks, or --full-refresh) #}
        full_checks {{ types.bool }} not null default {{ types.false }}
{%- endmacro %}
