{#- The load window of the current entity model for this invocation, planned once and
    recorded in audit.etl_load_window (hooks of the same model read it back, so the load,
    the quarantine and the watermark all use exactly the same bounds).

    Pending rows (SPEC section 4): updated_at <= now - cutoff_minutes and (updated_at, id)
    past the stored watermark, in (updated_at, id) order. The window ends at the last
    pending row, or at row batch_size x max_batches when --max-batches caps the run.
    A full build (first run or --full-refresh) starts from no watermark: it resets it.

    Returns a dict: entity, status, lo_ts, lo_id, hi_ts, hi_id (None when nothing is
    pending), cutoff_at, batch_size, max_batches, batches, extracted, backlog_after. -#}
{% macro etl_window(relation, updated_at_column, id_column) %}
    {% set entity = model.name %}
    {% set dry_run = var('etl_dry_run', false) in [true, 'true', 'True', 1, '1'] %}
    {% set recording = execute and (flags.WHICH in ['run', 'build'] or (dry_run and flags.WHICH == 'compile')) %}
    {% set window_table = ecommerce_dw.etl_relation('audit', 'etl_load_window') %}
    {% set columns = ['status', 'watermark_from_updated_at', 'watermark_from_id', 'watermark_to_updated_at',
                      'watermark_to_id', 'cutoff_at', 'batch_size', 'max_batches', 'batches',
                      'extracted_count', 'backlog_after_count', 'load_kind'] %}

    {% if not execute %}
        {{ return({'entity': entity, 'status': 'parse', 'lo_ts': none, 'lo_id': none, 'hi_ts': none, 'hi_id': none}) }}
    {% endif %}

    {#- planned already in this invocation (the model's hooks ask again): read it back -#}
    {% set windows_exist = adapter.get_relation(window_table.database, window_table.schema, window_table.identifier) is not none %}
    {% if recording and windows_exist %}
        {% set stored = run_query("select " ~ columns | join(', ') ~ " from " ~ window_table
            ~ " where invocation_id = '" ~ invocation_id ~ "' and entity_name = '" ~ entity ~ "'") %}
        {% if stored.rows | length > 0 %}
            {% set row = stored.rows[0] %}
            {{ return({'entity': entity, 'status': row[0], 'lo_ts': row[1], 'lo_id': row[2], 'hi_ts': row[3],
                       'hi_id': row[4], 'cutoff_at': row[5], 'batch_size': row[6], 'max_batches': row[7],
                       'batches': row[8], 'extracted': row[9], 'backlog_after': row[10], 'load_kind': row[11]}) }}
        {% endif %}
    {% endif %}

    {#- configuration: run-level overrides (vars), else the control row, else the code -#}
    {% set etl = (config.get('meta') or {}).get('etl') or {} %}
    {% set control = {'watermark_updated_at': none, 'watermark_id': none, 'cutoff_minutes': etl.get('cutoff_minutes', 2),
                      'batch_size': etl.get('batch_size', 1000), 'is_active': true} %}
    {% set stored_control = ecommerce_dw.etl_control_row() %}
    {% if stored_control is not none %}{% do control.update(stored_control) %}{% endif %}
    {% set batch_size = ecommerce_dw.etl_setting('etl_batch_size', control.batch_size, 1, 100000) %}
    {% set cutoff_minutes = ecommerce_dw.etl_setting('etl_cutoff_minutes', control.cutoff_minutes, 0, 1440) %}
    {% set max_batches = ecommerce_dw.etl_setting('etl_max_batches', none, 1, 1000000000) %}

    {% set full_build = not is_incremental() %}
    {% set lo_ts = none if full_build else control.watermark_updated_at %}
    {% set lo_id = none if full_build else control.watermark_id %}
    {% set cutoff_at = ecommerce_dw.etl_now() - modules.datetime.timedelta(minutes=cutoff_minutes) %}
    {% set cap = none if full_build or max_batches is none else batch_size * max_batches %}

    {% set window = {'entity': entity, 'status': 'dry_run' if dry_run else 'planned', 'lo_ts': lo_ts, 'lo_id': lo_id, 'hi_ts': none, 'hi_id': none,
                     'cutoff_at': cutoff_at, 'batch_size': batch_size, 'max_batches': max_batches, 'batches': 0,
                     'extracted': 0, 'backlog_after': 0, 'load_kind': 'full' if full_build else 'incremental'} %}
    {% if not control.is_active %}
        {% do window.update({'status': 'inactive'}) %}
    {% elif adapter.get_relation(relation.database, relation.schema, relation.identifier) is not none %}
        {% do window.update(ecommerce_dw.etl_window_bounds(relation, updated_at_column, id_column, lo_ts, lo_id, cutoff_at, cap)) %}
        {% do window.update({'batches': ((window.extracted + batch_size - 1) // batch_size) | int}) %}
    {% endif %}

    {% if recording and windows_exist %}
        {% do run_query(ecommerce_dw.insert_into_columns(window_table, "invocation_id, run_id, entity_name, load_kind, status,"
            ~ " source_relation, updated_at_column, id_column, watermark_from_updated_at, watermark_from_id,"
            ~ " watermark_to_updated_at, watermark_to_id, cutoff_at, batch_size, max_batches, batches,"
            ~ " extracted_count, backlog_after_count, planned_at", "values ('"
            ~ invocation_id ~ "', '" ~ ecommerce_dw.etl_run_id() ~ "', '" ~ entity ~ "', '" ~ window.load_kind ~ "', '"
            ~ window.status ~ "', '" ~ relation ~ "', '" ~ updated_at_column ~ "', '" ~ id_column ~ "', "
            ~ ecommerce_dw.timestamp_literal(window.lo_ts) ~ ", " ~ (window.lo_id if window.lo_id is not none else 'null') ~ ", "
            ~ ecommerce_dw.timestamp_literal(window.hi_ts) ~ ", " ~ (window.hi_id if window.hi_id is not none else 'null') ~ ", "
            ~ ecommerce_dw.timestamp_literal(cutoff_at) ~ ", " ~ batch_size ~ ", "
            ~ (max_batches if max_batches is not none else 'null') ~ ", " ~ window.batches ~ ", "
            ~ window.extracted ~ ", " ~ window.backlog_after ~ ", "
            ~ ecommerce_dw.timestamp_literal(modules.datetime.datetime.utcnow()) ~ ")")) %}
    {% endif %}
    {{ return(window) }}
{% endmacro %}
