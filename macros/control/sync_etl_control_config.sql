{#- Merge entity configuration (meta.etl of each entity model) into ctl.etl_control:
    insert new entities, update the configuration of known ones. -#}
{% macro sync_etl_control_config() %}
    {% set control = ecommerce_dw.etl_relation('ctl', 'etl_control') %}
    {% set now = ecommerce_dw.timestamp_literal(ecommerce_dw.etl_now()) %}
    {% for entity, etl in ecommerce_dw.etl_entities().items() %}
        {% set config_sql %}
            source_table = '{{ etl.source_table }}',
            target_table = '{{ etl.target_table }}',
            source_pk_column = '{{ etl.source_pk_column }}',
            cutoff_minutes = {{ etl.cutoff_minutes }},
            batch_size = {{ etl.batch_size }},
            sla_minutes = {{ etl.sla_minutes }}
        {% endset %}
        {% do run_query(
            "update " ~ control ~ " set " ~ config_sql ~ ", updated_at = " ~ now
            ~ " where entity_name = '" ~ entity ~ "'"
            ~ " and (source_table <> '" ~ etl.source_table ~ "' or target_table <> '" ~ etl.target_table
            ~ "' or source_pk_column <> '" ~ etl.source_pk_column ~ "' or cutoff_minutes <> " ~ etl.cutoff_minutes
            ~ " or batch_size <> " ~ etl.batch_size ~ " or sla_minutes <> " ~ etl.sla_minutes ~ ")") %}
        {% do run_query(ecommerce_dw.insert_into_columns(control,
            "entity_name, source_table, target_table, source_pk_column,"
            ~ " cutoff_minutes, batch_size, is_active, sla_minutes, created_at, updated_at",
            "select '" ~ entity ~ "', '" ~ etl.source_table ~ "', '" ~ etl.target_table ~ "', '"
            ~ etl.source_pk_column ~ "', " ~ etl.cutoff_minutes ~ ", " ~ etl.batch_size ~ ", "
            ~ ecommerce_dw.bool_literal(true) ~ ", " ~ etl.sla_minutes ~ ", " ~ now ~ ", " ~ now
            ~ " where not exists (select 1 from " ~ control ~ " where entity_name = '" ~ entity ~ "')")) %}
    {% endfor %}
{% endmacro %}
