{#- on-run-end: entity models and snapshots (meta.etl) that failed or were skipped get
    their window closed as such and their control row marked (snapshots have none), so
    state stays true when dbt is run directly (`dbt build --select dim_cliente+`). Their
    watermark is not touched. -#}
{% macro close_etl_windows(results) %}
    {% if not execute or flags.WHICH not in ['run', 'build', 'snapshot'] %}{{ return('') }}{% endif %}
    {% set entities = ecommerce_dw.etl_entities() %}
    {% set window_table = ecommerce_dw.etl_relation('audit', 'etl_load_window') %}
    {% set now = ecommerce_dw.timestamp_literal(modules.datetime.datetime.utcnow()) %}
    {% for result in results if (result.node.resource_type == 'model' and result.node.name in entities)
        or (result.node.resource_type == 'snapshot' and (result.node.config.meta or {}).get('etl')) %}
        {% set status = result.status | string %}
        {% if status in ['error', 'skipped'] %}
            {% set final_status = 'failed' if status == 'error' else 'skipped' %}
            {% set message = (result.message or final_status) | string %}
            {% set message = message[:3900] | replace("'", "''") %}
            {% set entity = result.node.name %}
            {% do run_query("update " ~ window_table ~ " set status = '" ~ final_status ~ "', finished_at = " ~ now
                ~ ", error_message = '" ~ message ~ "' where invocation_id = '" ~ invocation_id
                ~ "' and entity_name = '" ~ entity ~ "'") %}
            {% do run_query(ecommerce_dw.insert_into_columns(window_table, "invocation_id, run_id, entity_name, load_kind, status,"
                ~ " source_relation, updated_at_column, id_column, cutoff_at, batch_size, batches, extracted_count,"
                ~ " backlog_after_count, planned_at, finished_at, error_message", "select '" ~ invocation_id ~ "', '"
                ~ ecommerce_dw.etl_run_id() ~ "', '" ~ entity ~ "', '"
                ~ ('snapshot' if result.node.resource_type == 'snapshot' else 'incremental') ~ "', '" ~ final_status
                ~ "', '', '', '', " ~ now ~ ", 0, 0, 0, 0, " ~ now ~ ", " ~ now ~ ", '" ~ message ~ "'"
                ~ " where not exists (select 1 from " ~ window_table ~ " where invocation_id = '" ~ invocation_id
                ~ "' and entity_name = '" ~ entity ~ "')")) %}
            {% if status == 'error' %}
                {% do run_query("update " ~ ecommerce_dw.etl_relation('ctl', 'etl_control') ~ " set last_status = 'failed',"
                    ~ " last_run_id = '" ~ ecommerce_dw.etl_run_id() ~ "', updated_at = " ~ now
                    ~ " where entity_name = '" ~ entity ~ "'") %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {{ return('') }}
{% endmacro %}
