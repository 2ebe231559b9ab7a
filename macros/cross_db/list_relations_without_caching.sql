{#- Spark's side of dbt's relation listing. With Iceberg in Spark's session catalog (Hive
    metastore), `show table extended` describes an Iceberg table through the metastore as
    `Provider: hive` (its parameters say table_type=ICEBERG), so dbt-spark would take it
    for a Hive table: its table and snapshot materializations would then drop and recreate
    it (a table that reads itself, dim_data, finds nothing) or refuse to snapshot into it.
    The rows are dbt-spark's, with the provider of those tables put right. dbt dispatches
    list_relations_without_caching and finds this root-project variant first. -#}
{% macro spark__list_relations_without_caching(relation) %}
    {% call statement('list_relations_without_caching', fetch_result=True) -%}
        show table extended in {{ relation.schema }} like '*'
    {%- endcall %}
    {% set rows = [] %}
    {% for row in load_result('list_relations_without_caching').table %}
        {% set information = row[3] %}
        {% if 'Type: VIEW' not in information and 'table_type=ICEBERG' in information %}
            {% set information = information | replace('Provider: hive', 'Provider: iceberg') %}
        {% endif %}
        {% do rows.append([row[0], row[1], row[2], information]) %}
    {% endfor %}
    {{ return(rows) }}
{% endmacro %}
