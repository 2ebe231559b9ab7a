{#- An integer date part (year, quarter, month, day, week, dow (0 = Sunday), doy). -#}
{% macro date_part(part, expression) -%}
    {{ return(adapter.dispatch('date_part', 'ecommerce_dw')(part, expression)) }}
{%- endmacro %}

{% macro default__date_part(part, expression) -%}
    {%- if part == 'week' -%}
        cast(extract(week from {{ expression }}) as {{ dbt.type_int() }})
    {%- else -%}
        cast(extract({{ part }} from {{ expression }}) as {{ dbt.type_int() }})
    {%- endif -%}
{%- endmacro %}

{% macro sqlserver__date_part(part, expression) -%}
    {%- if part == 'dow' -%}
        ((datepart(weekday, {{ expression }}) + @@datefirst - 1) % 7)
    {%- elif part == 'week' -%}
        datepart(iso_week, {{ expression }})
    {%- elif part == 'doy' -%}
        datepart(dayofyear, {{ expression }})
    {%- else -%}
        datepart({{ part }}, {{ expression }})
    {%- endif -%}
{%- endmacro %}
