{#- (Re)create `relation` as the result of `sql`, give the engine its statistics (a new
    table has none on PostgreSQL, which would then plan joins with it as if it were large
    and scan the source instead of using its indexes), and tell dbt's relation cache about
    it (adapter.get_relation() would not see it in this invocation otherwise). -#}
{% macro etl_replace_table(relation, sql) %}
    {% do run_query("drop table if exists " ~ relation) %}
    {% do run_query(adapter.dispatch('etl_create_table_from', 'ecommerce_dw')(relation, sql)) %}
    {% set analyze = adapter.dispatch('etl_analyze_table', 'ecommerce_dw')(relation) %}
    {% if analyze %}{% do run_query(analyze) %}{% endif %}
    {% do adapter.cache_added(relation) %}
{% endmacro %}

{#- SQL Server and DuckDB keep statistics of a new table themselves -#}
{% macro default__etl_analyze_table(relation) -%}{%- endmacro %}

{% macro postgres__etl_analyze_table(relation) -%}
    analyze {{ relation }}
{%- endmacro %}

{% macro default__etl_create_table_from(relation, sql) -%}
    create table {{ relation }} as {{ sql }}
{%- endmacro %}

{#- Spark: Iceberg, like every table of the warehouse (a plain create table would make a
    Hive text table, which cannot delete or merge) -#}
{% macro spark__etl_create_table_from(relation, sql) -%}
    create table {{ relation }} using iceberg as {{ sql }}
{%- endmacro %}

{% macro sqlserver__etl_create_table_from(relation, sql) -%}
    select * into {{ relation }} from ({{ sql }}) as rows_to_copy
{%- endmacro %}
