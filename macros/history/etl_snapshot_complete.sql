{#- Post-hook of every snapshot, inside its transaction, after dbt's merge: stamps the
    versions dbt closed in this invocation (_etl_closed_invocation_id), then closes the
    snapshot's audit window (etl_snapshot_window) with exact counts of what was written,
    read back from the snapshot itself:
    - upserted_count: versions written by this invocation (a new or changed source row
      each; _etl_invocation_id);
    - soft_deleted_count: of those, the versions of soft-deleted source rows, plus the
      versions closed because their row is gone from the source (hard deletes);
    - extracted_count: the source changes taken, upserted_count plus the hard deletes;
    - quarantined_count: source rows left out for a NULL or duplicated key (the rows the
      entity dimension quarantines);
    - watermark_to: the newest (updated_at, id) the snapshot now holds.
    If anything fails, the transaction rolls back and the window stays 'planned' (the
    orchestrator and close_etl_windows mark it failed). -#}
{% macro etl_snapshot_complete() %}
    {% if not execute or flags.WHICH not in ['run', 'build', 'snapshot'] %}{{ return('') }}{% endif %}
    {% set window_table = ecommerce_dw.etl_relation('audit', 'etl_load_window') %}
    {% set where_window = " where invocation_id = '" ~ invocation_id ~ "' and entity_name = '" ~ model.name ~ "'" %}
    {% set found = run_query("select id_column, source_relation from " ~ window_table ~ where_window) %}
    {% if found.rows | length == 0 %}{{ return('') }}{% endif %}
    {% set id_column, source_relation = found.rows[0][0], found.rows[0][1] %}
    {% set mine = "_etl_invocation_id = '" ~ invocation_id ~ "'" %}

    {% do run_query("update " ~ this ~ " set _etl_closed_invocation_id = '" ~ invocation_id ~ "'"
        ~ " where dbt_valid_to is not null and _etl_closed_invocation_id is null") %}
    {% set hard_deleted = "select count(*) from " ~ this ~ " as closed_versions"
        ~ " where closed_versions._etl_closed_invocation_id = '" ~ invocation_id ~ "'"
        ~ " and not exists (select 1 from " ~ this ~ " as current_versions where current_versions."
        ~ id_column ~ " = closed_versions." ~ id_column ~ " and current_versions.dbt_valid_to is null)" %}
    {% set written = "select count(*) from " ~ this ~ " where " ~ mine %}
    {% set soft_deleted = "select count(*) from " ~ this ~ " where " ~ mine ~ " and deleted_at is not null" %}
    {% set newest = run_query("select newest.updated_at, max(newest." ~ id_column ~ ") from " ~ this ~ " as newest"
        ~ " where newest.updated_at = (select max(latest.updated_at) from " ~ this ~ " as latest)"
        ~ " group by newest.updated_at") %}
    {% set to_ts = newest.rows[0][0] if newest.rows else none %}
    {% set to_id = newest.rows[0][1] if newest.rows else none %}
    {% set now = ecommerce_dw.timestamp_literal(modules.datetime.datetime.utcnow()) %}

    {% do run_query("update " ~ window_table ~ " set status = 'loaded', finished_at = " ~ now
        ~ ", upserted_count = (" ~ written ~ ")"
        ~ ", soft_deleted_count = (" ~ soft_deleted ~ ") + (" ~ hard_deleted ~ ")"
        ~ ", extracted_count = (" ~ written ~ ") + (" ~ hard_deleted ~ ")"
        ~ ", quarantined_count = (select count(*) from (select " ~ ecommerce_dw.key_quality_reason(id_column)
        ~ " as motivo_quarentena from " ~ source_relation ~ ") as checked where checked.motivo_quarentena is not null)"
        ~ ", batches = case when (" ~ written ~ ") + (" ~ hard_deleted ~ ") > 0 then 1 else 0 end"
        ~ ", watermark_to_updated_at = " ~ ecommerce_dw.timestamp_literal(to_ts)
        ~ ", watermark_to_id = " ~ (to_id if to_id is not none else 'null')
        ~ where_window) %}
    {{ return('') }}
{% endmacro %}
