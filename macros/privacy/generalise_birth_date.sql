{#- LGPD: a birth date generalised to 1 January of its year (age bands stay exact to
    the year, the person is not singled out). -#}
{% macro generalise_birth_date(column) -%}
    cast({{ dbt.date_trunc('year', column) }} as date)
{%- endmacro %}
