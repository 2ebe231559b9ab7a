{#- The current entity's row of ctl.etl_control as a dict (watermark_updated_at,
    watermark_id, cutoff_minutes, batch_size, is_active), or none when the table or the
    row does not exist yet (first run). -#}
{% macro etl_control_row() %}
    {% set control_table = ecommerce_dw.etl_relation('ctl', 'etl_control') %}
    {% if adapter.get_relation(control_table.database, control_table.schema, control_table.identifier) is none %}
        {{ return(none) }}
    {% endif %}
    {% set found = run_query("select watermark_updated_at, watermark_id, cutoff_minutes, batch_size, is_active from "
        ~ control_table ~ " where entity_name = '" ~ model.name ~ "'") %}
    {% if found.rows | length == 0 %}{{ return(none) }}{% endif %}
    {% set row = found.rows[0] %}
    {{ return({'watermark_updated_at': row[0], 'watermark_id': row[1], 'cutoff_minutes': row[2],
               'batch_size': row[3], 'is_active': row[4] in [true, 1, '1', 'true', 'True']}) }}
{% endmacro %}
