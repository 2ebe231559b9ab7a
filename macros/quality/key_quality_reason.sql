{#- Quarantine reason for a natural key: NULL, or present more than once in the source;
    NULL when the key is fine. Used by the validated intermediate models. -#}
{% macro key_quality_reason(key_column) -%}
    case
        when {{ key_column }} is null then 'chave_natural_nula'
        when count(*) over (partition by {{ key_column }}) > 1 then 'chave_natural_duplicada'
    end
{%- endmacro %}
