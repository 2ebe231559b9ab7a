{#- Load metadata on every snapshot version: the columns of etl_load_columns (the run and
    dbt invocation that wrote the version, when, the source change timestamp and the
    source's soft delete), plus _etl_closed_invocation_id, empty when the version is
    written: etl_snapshot_complete stamps it with the invocation that closed the version,
    so each run's audit counts what it changed, deletions included. -#}
{% macro etl_snapshot_columns(source_updated_at, source_deleted_condition) -%}
    {{ ecommerce_dw.etl_load_columns(source_updated_at, source_deleted_condition) }},
    cast(null as varchar(64)) as _etl_closed_invocation_id
{%- endmacro %}
