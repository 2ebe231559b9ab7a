{#- Load metadata on every warehouse row: which run and dbt invocation loaded it, when,
    the source change timestamp it reflects and whether the source row is soft-deleted.
    Every row can be traced to the run that loaded it (audit.etl_run_entity). -#}
{% macro etl_load_columns(source_updated_at, source_deleted_condition) -%}
    cast('{{ ecommerce_dw.etl_run_id() }}' as varchar(64)) as _etl_run_id,
    cast('{{ invocation_id }}' as varchar(64)) as _etl_invocation_id,
    {{ ecommerce_dw.timestamp_literal(ecommerce_dw.etl_now()) }} as _etl_loaded_at,
    {{ source_updated_at }} as _etl_source_updated_at,
    {{ ecommerce_dw.as_boolean(source_deleted_condition) }} as _etl_source_deleted
{%- endmacro %}
