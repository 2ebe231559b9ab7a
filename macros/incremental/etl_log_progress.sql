{#- A progress line for the orchestrator's live display: "ETL_PROGRESS {json}" with the
    entity, the batch just merged, the number of batches and the rows merged so far. -#}
{% macro etl_log_progress(batch, batches, rows) %}
    {% do log("ETL_PROGRESS " ~ tojson({'entity': model.name, 'batch': batch, 'batches': batches, 'rows': rows}), info=True) %}
{% endmacro %}
