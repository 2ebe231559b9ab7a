{#- An integer date part (year, quarter, month, day, dow (0 = Sunday), doy). -#}
{% macro date_part(part, expression) -%}
    {{ return(adapter.dispatch('date_part', 'ecommerce_dw')(part, expression)) }}
{%- endmacro %}

{% macro default__date_part(part, expression) -%}
    cast(extract({{ part }} from {{ expression }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro sqlserver__date_part(part, expression) -%}
    {%- if part == 'dow' -%}
        ((datepart(weekday, {{ expression }}) + @@datefirst - 1) % 7)
    {%- elif part == 'doy' -%}
        datepart(dayofyear, {{ expression }})
    {%- else -%}
        datepart({{ part }}, {{ expression }})
    {%- endif -%}
{%- endmacro %}

{#- Spark numbers the days of the week from Sunday = 1 -#}
{% macro spark__date_part(part, expression) -%}
    {%- if part == 'dow' -%}
        (cast(extract(dow from {{ expression }}) as int) - 1)
    {%- else -%}
        cast(extract({{ part }} from {{ expression }}) as int)
    {%- endif -%}
{%- endmacro %}
