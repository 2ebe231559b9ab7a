{#- A boolean constant: true/false, or a bit 1/0 on SQL Server. -#}
{% macro bool_literal(value) -%}
    {{ return(adapter.dispatch('bool_literal', 'ecommerce_dw')(value)) }}
{%- endmacro %}

{% macro default__bool_literal(value) -%}
    {{ 'true' if value else 'false' }}
{%- endmacro %}

{% macro sqlserver__bool_literal(value) -%}
    cast({{ 1 if value else 0 }} as bit)
{%- endmacro %}
