{#- LGPD: a person's name reduced to the first name ("Maria ***"). -#}
{% macro mask_person_name(column) -%}
    case
        when {{ dbt.position("' '", column) }} > 1
            then {{ dbt.concat(["substring(" ~ column ~ ", 1, " ~ dbt.position("' '", column) ~ " - 1)", "' ***'"]) }}
        else {{ column }}
    end
{%- endmacro %}
