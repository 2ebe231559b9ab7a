{#- One value (e.g. batch_size) of the load window this invocation recorded for the
    current entity model. -#}
{% macro etl_window_setting(column) %}
    {% set found = run_query("select " ~ column ~ " from " ~ ecommerce_dw.etl_relation('audit', 'etl_load_window')
        ~ " where invocation_id = '" ~ invocation_id ~ "' and entity_name = '" ~ model.name ~ "'") %}
    {% if found.rows | length == 0 %}
        {% do exceptions.raise_compiler_error("no load window recorded for entity " ~ model.name
            ~ " in this invocation: entity models must filter with watermark_filter()") %}
    {% endif %}
    {{ return(found.rows[0][0]) }}
{% endmacro %}
