{#- Create a table once; a no-op when it already exists. `columns` is the column list
    body, already in portable types. -#}
{% macro create_table_if_missing(relation, columns) -%}
    {{ return(adapter.dispatch('create_table_if_missing', 'ecommerce_dw')(relation, columns)) }}
{%- endmacro %}

{% macro default__create_table_if_missing(relation, columns) -%}
    create table if not exists {{ relation }} (
        {{ columns }}
    )
{%- endmacro %}

{% macro sqlserver__create_table_if_missing(relation, columns) -%}
    if object_id('{{ relation.schema }}.{{ relation.identifier }}', 'U') is null
    create table {{ relation }} (
        {{ columns }}
    )
{%- endmacro %}

{#- Spark: an Iceberg table (the warehouse's one table format). Spark's create table has no
    primary key, check or default clauses (Iceberg keeps not null): they are taken out of the
    portable body, so the keys and value rules hold on Spark only through the code that
    writes these tables and the data tests on them. -#}
{% macro spark__create_table_if_missing(relation, columns) -%}
    {%- set body = modules.re.sub('(?i),\\s*primary key\\s*\\([^)]*\\)', '', columns) -%}
    {%- set body = modules.re.sub('(?i)\\s+primary key', '', body) -%}
    {%- set body = modules.re.sub('(?i)\\s+check\\s*\\((?:[^()]|\\([^()]*\\))*\\)', '', body) -%}
    {%- set body = modules.re.sub('(?i)\\s+default\\s+[^,\\s]+', '', body) -%}
    create table if not exists {{ relation }} (
        {{ body }}
    ) using iceberg
{%- endmacro %}
