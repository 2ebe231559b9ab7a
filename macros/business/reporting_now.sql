{#- "Now" of the reporting views (the original's GETDATE()), as a SQL timestamp
    expression in UTC. With var('etl_now') pinned (tests, replays) it is that instant as
    a literal, so a view's output is reproducible; otherwise it is the engine's current
    UTC time at query time, as the original's views have it (a view built last week
    still counts days up to today). -#}
{% macro reporting_now() -%}
    {%- if var('etl_now', '') -%}
        {{ return(ecommerce_dw.timestamp_literal(ecommerce_dw.etl_now())) }}
    {%- endif -%}
    {{ return(adapter.dispatch('reporting_now', 'ecommerce_dw')()) }}
{%- endmacro %}

{% macro default__reporting_now() -%}
    cast(current_timestamp at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- Spark has no `at time zone`: its current_timestamp() is an instant shown in the
    session's zone, turned into that instant's UTC wall-clock time -#}
{% macro spark__reporting_now() -%}
    to_utc_timestamp(current_timestamp(), current_timezone())
{%- endmacro %}

{% macro sqlserver__reporting_now() -%}
    cast(sysutcdatetime() as datetime2(6))
{%- endmacro %}
