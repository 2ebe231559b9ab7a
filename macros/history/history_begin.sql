{#- Start of the validity of the first version of a history dimension
    (1900-01-01 00:00:00): the oldest state known covers everything before it. -#}
{% macro history_begin() -%}
    cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
{%- endmacro %}
