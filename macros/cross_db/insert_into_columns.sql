{#- An insert of some of a table's columns: `columns` (their names, comma-separated) from
    `rows` (a `values (...)` list or a select, in that column order); the other columns
    get NULL. -#}
{% macro insert_into_columns(relation, columns, rows) -%}
    {{ return(adapter.dispatch('insert_into_columns', 'ecommerce_dw')(relation, columns, rows)) }}
{%- endmacro %}

{% macro default__insert_into_columns(relation, columns, rows) -%}
    insert into {{ relation }} ({{ columns }}) {{ rows }}
{%- endmacro %}

{#- Spark writes every column of an Iceberg table (a column list that leaves one out fails):
    the rows become a subquery with the given column names, and the table's other columns
    are filled with NULL, in the table's column order. -#}
{% macro spark__insert_into_columns(relation, columns, rows) -%}
    {%- set given = columns.split(',') | map('trim') | list -%}
    {%- set output = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do output.append(('inserted.' ~ column.name) if column.name in given
            else ('cast(null as ' ~ column.dtype ~ ') as ' ~ column.name)) -%}
    {%- endfor -%}
    insert into {{ relation }} select {{ output | join(', ') }}
    from {{ ('(' ~ rows ~ ')') if rows.strip().lower().startswith('select') else rows }} as inserted ({{ given | join(', ') }})
{%- endmacro %}
