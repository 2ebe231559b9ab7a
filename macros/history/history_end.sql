{#- End of the validity of a current version of a history dimension
    (9999-12-31 00:00:00), so `date >= valido_de and date < valido_ate` needs no NULL
    handling. -#}
{% macro history_end() -%}
    cast('9999-12-31 00:00:00' as {{ dbt.type_timestamp() }})
{%- endmacro %}
