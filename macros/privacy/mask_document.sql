{#- LGPD: a person's CPF shows only its middle digits ("***.456.789-**"); a company's
    CNPJ is not personal data and is kept. -#}
{% macro mask_document(document_column, segment_column) -%}
    case
        when {{ segment_column }} = 'Pessoa Fisica'
            then {{ dbt.concat(["'***.'", "substring(" ~ document_column ~ ", 5, 7)", "'-**'"]) }}
        else {{ document_column }}
    end
{%- endmacro %}
