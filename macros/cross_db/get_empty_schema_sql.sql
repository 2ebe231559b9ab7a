{#- Spark's side of dbt's contract check: the contracts declare variable-length text as
    `varchar` (no length), which Spark's parser rejects; its unbounded text type is
    `string`. Every other declared type is Spark's already. dbt dispatches
    get_empty_schema_sql and finds this root-project variant first. -#}
{% macro spark__get_empty_schema_sql(columns) %}
    {%- set translated = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set spec = dict(column) -%}
        {%- if (spec.get('data_type') or '').strip().lower() == 'varchar' -%}
            {%- do spec.update({'data_type': 'string'}) -%}
        {%- endif -%}
        {%- do translated.update({name: spec}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{% endmacro %}
