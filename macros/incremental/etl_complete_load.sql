{#- Post-hook of every entity model, inside the load's transaction: saves the entity's
    state (meta etl.state: etl_save_state), quarantines the bad rows of the window (and
    releases the keys that now load cleanly), records exact counts on the window, and
    moves the watermark to the end of the window. If anything fails, the transaction
    rolls back: warehouse, state, quarantine and watermark stay as they were. Spark has no
    transactions and commits each statement: the watermark moves last, so a load stopped
    halfway leaves it where it was and the next run merges the same window again (by key,
    so the rows come out the same) and redoes the state and the quarantine. -#}
{% macro etl_complete_load() %}
    {% if not execute or flags.WHICH not in ['run', 'build'] %}{{ return('') }}{% endif %}
    {% set entity = model.name %}
    {% set w = ecommerce_dw.etl_load_window_row() %}
    {% if w is none %}{{ return('') }}{% endif %}
    {% set source_relation, ts_col, id_col, in_window = w.source_relation, w.updated_at_column, w.id_column, w.in_window %}
    {% set window_table = ecommerce_dw.etl_relation('audit', 'etl_load_window') %}
    {% set now = ecommerce_dw.timestamp_literal(modules.datetime.datetime.utcnow()) %}
    {% set quarantine = ecommerce_dw.etl_relation('audit', 'etl_quarantine') %}
    {% set etl = (config.get('meta') or {}).get('etl') or {} %}

    {% if etl.get('state') %}
        {% do ecommerce_dw.etl_save_state(w) %}
    {% endif %}

    {% if etl.get('quarantine') %}
        {% do run_query("delete from " ~ quarantine ~ " where entity_name = '" ~ entity ~ "' and natural_key in ("
            ~ "select " ~ id_col ~ " from " ~ source_relation ~ " where " ~ in_window ~ ")") %}
        {% do run_query("insert into " ~ quarantine ~ " (entity_name, natural_key, reason, source_updated_at,"
            ~ " run_id, invocation_id, quarantined_at) select '" ~ entity ~ "', " ~ id_col ~ ", motivo_quarentena, "
            ~ ts_col ~ ", '" ~ ecommerce_dw.etl_run_id() ~ "', '" ~ invocation_id ~ "', " ~ now
            ~ " from " ~ source_relation ~ " where " ~ in_window ~ " and motivo_quarentena is not null") %}
    {% endif %}

    {#- etl_batched_merge recorded the counts from the run's own rows; otherwise (a full
        build, another strategy) count what this invocation wrote -#}
    {% set written = "_etl_invocation_id = '" ~ invocation_id ~ "'" %}
    {% set counts = "" if w.upserted_count is not none else
        ", upserted_count = (select count(*) from " ~ this ~ " where " ~ written ~ ")"
        ~ ", soft_deleted_count = (select count(*) from " ~ this ~ " where " ~ written
        ~ " and " ~ ecommerce_dw.is_true('_etl_source_deleted') ~ ")" %}
    {% do run_query("update " ~ window_table ~ " set status = 'loaded', finished_at = " ~ now ~ counts
        ~ ", quarantined_count = (select count(*) from " ~ quarantine ~ " where entity_name = '" ~ entity
        ~ "' and invocation_id = '" ~ invocation_id ~ "')"
        ~ " where invocation_id = '" ~ invocation_id ~ "' and entity_name = '" ~ entity ~ "'") %}

    {#- the watermark: end of the window; a full build with nothing pending resets it -#}
    {% if w.hi_ts is not none %}
        {% set watermark_sql = "watermark_updated_at = " ~ ecommerce_dw.timestamp_literal(w.hi_ts) ~ ", watermark_id = " ~ w.hi_id ~ ", " %}
    {% elif w.load_kind == 'full' %}
        {% set watermark_sql = "watermark_updated_at = null, watermark_id = null, " %}
    {% else %}
        {% set watermark_sql = "" %}
    {% endif %}
    {% do run_query("update " ~ ecommerce_dw.etl_relation('ctl', 'etl_control') ~ " set " ~ watermark_sql
        ~ "last_run_id = '" ~ ecommerce_dw.etl_run_id() ~ "', last_status = 'success', last_success_at = " ~ now
        ~ ", updated_at = " ~ now ~ " where entity_name = '" ~ entity ~ "'") %}
    {{ return('') }}
{% endmacro %}
