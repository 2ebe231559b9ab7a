{#- A predicate on a boolean column: `col = true`, or `col = 1` on SQL Server's bit. -#}
{% macro is_true(column) -%}
    {{ return(adapter.dispatch('is_true', 'ecommerce_dw')(column)) }}
{%- endmacro %}

{% macro default__is_true(column) -%}
    {{ column }} = true
{%- endmacro %}

{% macro sqlserver__is_true(column) -%}
    {{ column }} = 1
{%- endmacro %}
