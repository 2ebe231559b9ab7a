{#- LGPD: a phone number reduced to its last four digits ("*****-1234"). -#}
{% macro mask_phone(column) -%}
    case
        when {{ column }} is not null then {{ dbt.concat(["'*****-'", dbt.right(column, 4)]) }}
    end
{%- endmacro %}
