{#- Record on the current entity's load window how many batches the load took. -#}
{% macro etl_record_batches(batches) %}
    {% do run_query("update " ~ ecommerce_dw.etl_relation('audit', 'etl_load_window') ~ " set batches = " ~ batches
        ~ " where invocation_id = '" ~ invocation_id ~ "' and entity_name = '" ~ model.name ~ "'") %}
{% endmacro %}
