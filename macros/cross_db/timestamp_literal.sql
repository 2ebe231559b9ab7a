{#- A timestamp constant from a Python datetime (or None -> NULL), portable. -#}
{% macro timestamp_literal(value) -%}
    {%- if value is none -%}
        cast(null as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast('{{ value.strftime("%Y-%m-%d %H:%M:%S.%f")[:23] }}' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}
