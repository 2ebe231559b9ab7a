{#- The relation of one of our control/audit tables (ctl.etl_control, audit.*), in the
    warehouse database of the current target. -#}
{% macro etl_relation(schema, identifier) -%}
    {{ return(api.Relation.create(database=target.database, schema=schema, identifier=identifier, type='table')) }}
{%- endmacro %}
