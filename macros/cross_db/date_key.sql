{#- The dim_data key (integer yyyymmdd) of a date or timestamp expression. -#}
{% macro date_key(expression) -%}
    ({{ ecommerce_dw.date_part('year', expression) }} * 10000
        + {{ ecommerce_dw.date_part('month', expression) }} * 100
        + {{ ecommerce_dw.date_part('day', expression) }})
{%- endmacro %}
