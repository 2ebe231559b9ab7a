{#- The one definition of audit.etl_run_entity (one row per entity of a run): its column
    list, in the types a caller passes (`types`: ts, str, text and bool). Rendered by
    ensure_etl_objects and by the orchestrator (orchestrator/audit.py), like
    etl_run_columns. Plain Jinja only. -#}
{% macro etl_run_entity_columns(types) %}
        run_id {{ types.str }}(64) not null,
        entity_name {{ types.str }}(100) not null,
        started_at {{ types.ts }},
        finished_at {{ types.ts }},
        status {{ types.str }}(20) not null
            check (status in ('success', 'failed', 'skipped', 'inactive', 'dry_run')),
        load_kind {{ types.str }}(20),
        extracted_count bigint,
        upserted_count bigint,
        soft_deleted_count bigint,
        quarantined_count bigint,
        batches integer,
        backlog_after_count bigint,
        watermark_from_updated_at {{ types.ts }},
        watermark_from_id bigint,
        watermark_to_updated_at {{ types.ts }},
        watermark_to_id bigint,
        tests_passed integer,
        tests_warned integer,
        tests_failed integer,
        error_message {{ types.text }},
        error_category {{ types.str }}(40),
        error_action {{ types.str }}(1000),
        is_dry_run {{ types.bool }} not null,
        dbt_invocation_id {{ types.str }}(64),
        primary key (run_id, entity_name)
{%- endmacro %}
