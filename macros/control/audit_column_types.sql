{#- Type names of the orchestrator's audit tables in the target's dialect (the dbt twin
    of orchestrator/audit.py's _TYPES): ts, str (a varying string, sized by the caller)
    and text (a long message). -#}
{% macro audit_column_types() -%}
    {{ return(adapter.dispatch('audit_column_types', 'ecommerce_dw')()) }}
{%- endmacro %}

{% macro default__audit_column_types() -%}
    {{ return({'ts': dbt.type_timestamp(), 'str': 'varchar', 'text': 'varchar(4000)'}) }}
{%- endmacro %}

{% macro sqlserver__audit_column_types() -%}
    {{ return({'ts': 'datetime2(6)', 'str': 'nvarchar', 'text': 'nvarchar(4000)'}) }}
{%- endmacro %}
