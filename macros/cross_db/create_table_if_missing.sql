{#- Create a table once; a no-op when it already exists. `columns` is the column list
    body, already in portable types. -#}
{% macro create_table_if_missing(relation, columns) -%}
    {{ return(adapter.dispatch('create_table_if_missing', 'ecommerce_dw')(relation, columns)) }}
{%- endmacro %}

{% macro default__create_table_if_missing(relation, columns) -%}
    create table if not exists {{ relation }} (
        {{ columns }}
    )
{%- endmacro %}

{% macro sqlserver__create_table_if_missing(relation, columns) -%}
    if object_id('{{ relation.schema }}.{{ relation.identifier }}', 'U') is null
    create table {{ relation }} (
        {{ columns }}
    )
{%- endmacro %}
