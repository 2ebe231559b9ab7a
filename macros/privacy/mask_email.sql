{#- LGPD: an e-mail with the local part hidden but its first letter ("m***@gmail.com"). -#}
{% macro mask_email(column) -%}
    case
        when {{ dbt.position("'@'", column) }} > 1
            then {{ dbt.concat([
                "substring(" ~ column ~ ", 1, 1)",
                "'***'",
                "substring(" ~ column ~ ", " ~ dbt.position("'@'", column) ~ ", " ~ dbt.length(column) ~ ")"
            ]) }}
    end
{%- endmacro %}
