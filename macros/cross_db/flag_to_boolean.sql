{#- A source flag as the warehouse's boolean, whatever the port of SQL Server's `bit` made
    of it: boolean, or smallint/integer 0/1 (and bit on SQL Server). NULL stays NULL; any
    other number reads as true, as `bit` does. -#}
{% macro flag_to_boolean(column) -%}
    {{ return(adapter.dispatch('flag_to_boolean', 'ecommerce_dw')(column)) }}
{%- endmacro %}

{% macro default__flag_to_boolean(column) -%}
    case
        when {{ column }} is null then null
        when cast({{ column }} as {{ dbt.type_int() }}) = 0 then false
        else true
    end
{%- endmacro %}

{% macro sqlserver__flag_to_boolean(column) -%}
    cast({{ column }} as bit)
{%- endmacro %}
