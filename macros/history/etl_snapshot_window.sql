{#- The audit window of a snapshot (an ETL entity like the entity models, see meta.etl of
    snapshots/_snapshots.yml), recorded in audit.etl_load_window when the snapshot's SQL is
    rendered, right before dbt runs it: load_kind 'snapshot', what is pending (source rows
    new or changed since the version the snapshot holds, and current versions whose row
    is gone from the source; rows with a NULL or duplicated key, which the snapshot leaves
    out, do not count), and the newest (updated_at, id) captured so far. The
    snapshot compares what it reads (etl_snapshot_source: the changed rows, or the whole
    source on a full check, the only run that counts rows gone from it) with the versions
    it holds (dbt's timestamp strategy), so there is no cutoff or batching: cutoff_at is
    the run's "now", batch_size 0. With --vars
    etl_dry_run (the orchestrator's --dry-run, a `dbt compile`) the window is recorded as
    a dry run and nothing is written. etl_snapshot_complete (post-hook) closes it with the
    counts of what the snapshot wrote. -#}
{% macro etl_snapshot_window(relation, id_column) %}
    {% set dry_run = var('etl_dry_run', false) in [true, 'true', 'True', 1, '1'] %}
    {% set recording = execute and (flags.WHICH in ['run', 'build', 'snapshot'] or (dry_run and flags.WHICH == 'compile')) %}
    {% if not recording %}{{ return('') }}{% endif %}
    {% set window_table = ecommerce_dw.etl_relation('audit', 'etl_load_window') %}
    {% if adapter.get_relation(window_table.database, window_table.schema, window_table.identifier) is none %}
        {{ return('') }}
    {% endif %}
    {% set entity = model.name %}
    {% set planned = run_query("select count(*) from " ~ window_table ~ " where invocation_id = '"
        ~ invocation_id ~ "' and entity_name = '" ~ entity ~ "'") %}
    {% if planned.rows and planned.rows[0][0] | int > 0 %}{{ return('') }}{% endif %}

    {% set snapshot_exists = adapter.get_relation(this.database, this.schema, this.identifier) is not none %}
    {#- the source rows the snapshot takes: those with a sound key (key_quality_reason) -#}
    {% set source = "(select checked." ~ id_column ~ ", checked.updated_at from (select " ~ id_column
        ~ ", updated_at, " ~ ecommerce_dw.key_quality_reason(id_column) ~ " as motivo_quarentena from "
        ~ relation ~ ") as checked where checked.motivo_quarentena is null)" %}
    {% set ns = namespace(pending=0, from_ts=none, from_id=none, to_ts=none, to_id=none) %}
    {% set newest = "select newest.updated_at, max(newest." ~ id_column ~ ") from {rel} as newest"
        ~ " where newest.updated_at = (select max(latest.updated_at) from {rel} as latest)"
        ~ " group by newest.updated_at" %}
    {% set found = run_query(newest.replace('{rel}', source)) %}
    {% if found.rows %}{% set ns.to_ts, ns.to_id = found.rows[0][0], found.rows[0][1] %}{% endif %}
    {% if snapshot_exists %}
        {% set found = run_query(newest.replace('{rel}', this | string)) %}
        {% if found.rows %}{% set ns.from_ts, ns.from_id = found.rows[0][0], found.rows[0][1] %}{% endif %}
        {% set found = run_query("select count(*) from " ~ source ~ " as source_rows"
            ~ " left join " ~ this ~ " as current_versions on current_versions." ~ id_column
            ~ " = source_rows." ~ id_column ~ " and current_versions.dbt_valid_to is null"
            ~ " where current_versions." ~ id_column ~ " is null"
            ~ " or current_versions.dbt_valid_from < source_rows.updated_at") %}
        {% set ns.pending = (found.rows[0][0] | int) if found.rows else 0 %}
    {% endif %}
    {% if snapshot_exists and ecommerce_dw.etl_full_checks() %}
        {#- rows gone from the source: only a full check reads the whole source -#}
        {% set found = run_query("select count(*) from " ~ this ~ " as current_versions"
            ~ " where current_versions.dbt_valid_to is null and not exists (select 1 from "
            ~ source ~ " as source_rows where source_rows." ~ id_column ~ " = current_versions."
            ~ id_column ~ ")") %}
        {% set ns.pending = ns.pending + ((found.rows[0][0] | int) if found.rows else 0) %}
    {% endif %}
    {% if not snapshot_exists %}
        {% set found = run_query("select count(*) from " ~ source ~ " as source_rows") %}
        {% set ns.pending = (found.rows[0][0] | int) if found.rows else 0 %}
    {% endif %}

    {% do run_query(ecommerce_dw.insert_into_columns(window_table, "invocation_id, run_id, entity_name, load_kind, status,"
        ~ " source_relation, updated_at_column, id_column, watermark_from_updated_at, watermark_from_id,"
        ~ " watermark_to_updated_at, watermark_to_id, cutoff_at, batch_size, max_batches, batches,"
        ~ " extracted_count, backlog_after_count, planned_at", "values ('"
        ~ invocation_id ~ "', '" ~ ecommerce_dw.etl_run_id() ~ "', '" ~ entity ~ "', 'snapshot', '"
        ~ ('dry_run' if dry_run else 'planned') ~ "', '" ~ relation ~ "', 'updated_at', '" ~ id_column ~ "', "
        ~ ecommerce_dw.timestamp_literal(ns.from_ts) ~ ", " ~ (ns.from_id if ns.from_id is not none else 'null') ~ ", "
        ~ ecommerce_dw.timestamp_literal(ns.to_ts) ~ ", " ~ (ns.to_id if ns.to_id is not none else 'null') ~ ", "
        ~ ecommerce_dw.timestamp_literal(ecommerce_dw.etl_now()) ~ ", 0, null, "
        ~ (1 if ns.pending > 0 else 0) ~ ", " ~ ns.pending ~ ", 0, "
        ~ ecommerce_dw.timestamp_literal(modules.datetime.datetime.utcnow()) ~ ")")) %}
    {{ return('') }}
{% endmacro %}
