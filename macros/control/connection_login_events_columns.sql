{#- The one definition of audit.connection_login_events: its column list, in the types a
    caller passes (`types`: ts, str and text, the type names of the target's dialect).
    Two callers render it: ensure_etl_objects (dbt's on-run-start, types from
    audit_column_types) and the orchestrator (orchestrator/audit.py renders this file
    with plain Jinja and its own type map), so the table is the same whoever creates it
    first. Plain Jinja only: no dbt context in here. -#}
{% macro connection_login_events_columns(types) %}
        event_time {{ types.ts }} not null,
        login_name {{ types.str }}(200),
        host_name {{ types.str }}(200),
        program_name {{ types.str }}(200),
        database_name {{ types.str }}(200),
        status {{ types.str }}(20) not null check (status in ('success', 'failed')),
        client_address {{ types.str }}(100),
        error_message {{ types.text }},
        run_id {{ types.str }}(64),
        source {{ types.str }}(40) not null,
        session_id integer,
        event_kind {{ types.str }}(40)
{%- endmacro %}
