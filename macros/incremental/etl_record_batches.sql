{#- Record on the current entity's load window how many batches the load took and how
    many rows it merged (upserted_count) and of those soft-deleted in the source, counted
    on the run's own rows (dbt's temp relation) rather than by scanning the target. -#}
{% macro etl_record_batches(batches, upserted, soft_deleted) %}
    {% do run_query("update " ~ ecommerce_dw.etl_relation('audit', 'etl_load_window') ~ " set batches = " ~ batches
        ~ ", upserted_count = " ~ upserted ~ ", soft_deleted_count = " ~ soft_deleted
        ~ " where invocation_id = '" ~ invocation_id ~ "' and entity_name = '" ~ model.name ~ "'") %}
{% endmacro %}
