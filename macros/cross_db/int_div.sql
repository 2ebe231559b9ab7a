{#- Integer division of two integer expressions (DuckDB's and Spark's `/` is float division). -#}
{% macro int_div(numerator, denominator) -%}
    {{ return(adapter.dispatch('int_div', 'ecommerce_dw')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__int_div(numerator, denominator) -%}
    (({{ numerator }}) / ({{ denominator }}))
{%- endmacro %}

{% macro duckdb__int_div(numerator, denominator) -%}
    (({{ numerator }}) // ({{ denominator }}))
{%- endmacro %}

{#- Spark's `div` is bigint: back to the integers' type, as on the other engines -#}
{% macro spark__int_div(numerator, denominator) -%}
    cast((({{ numerator }}) div ({{ denominator }})) as {{ dbt.type_int() }})
{%- endmacro %}
