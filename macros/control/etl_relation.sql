{#- The relation of one of our control/audit tables (ctl.etl_control, audit.*), in the
    warehouse database of the current target (none on Spark, whose schemas are its
    databases: dbt-spark's target has no database). -#}
{% macro etl_relation(schema, identifier) -%}
    {{ return(api.Relation.create(database=target.database if target.database is defined else none,
        schema=schema, identifier=identifier, type='table')) }}
{%- endmacro %}
