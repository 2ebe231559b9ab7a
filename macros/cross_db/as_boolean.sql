{#- A boolean column from a predicate: `case when ... then true else false end`, or a
    bit on SQL Server, which has no boolean literals. -#}
{% macro as_boolean(condition) -%}
    {{ return(adapter.dispatch('as_boolean', 'ecommerce_dw')(condition)) }}
{%- endmacro %}

{% macro default__as_boolean(condition) -%}
    case when {{ condition }} then true else false end
{%- endmacro %}

{% macro sqlserver__as_boolean(condition) -%}
    cast(case when {{ condition }} then 1 else 0 end as bit)
{%- endmacro %}
