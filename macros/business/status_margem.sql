{#- Margin status of a discount application: 'Prejuizo' when the margin after the
    discount is negative, 'Margem critica' below 30% of the margin before, 'Margem
    reduzida' below 60%, else 'Margem saudavel' (bounds strict: exactly 30% or 60% falls
    in the next category; a NULL margin before falls through to saudavel). The original
    writes two spellings of the same labels: labels='dash' is VW_DASH_DESCONTOS_R1's
    (unaccented, lower case), labels='completa' is VW_DESCONTOS_COMPLETA's ('Prejuízo',
    'Margem Crítica', 'Margem Reduzida', 'Margem Saudável'). -#}
{% macro status_margem(margin_before, margin_after, labels='dash') -%}
    {%- set names = {
        'dash': ['Prejuizo', 'Margem critica', 'Margem reduzida', 'Margem saudavel'],
        'completa': ['Prejuízo', 'Margem Crítica', 'Margem Reduzida', 'Margem Saudável'],
    } -%}
    {%- if labels not in names -%}
        {{ exceptions.raise_compiler_error("status_margem: labels must be 'dash' or 'completa', got '" ~ labels ~ "'") }}
    {%- endif -%}
    {%- set label = names[labels] -%}
    case
        when {{ margin_after }} < 0 then '{{ label[0] }}'
        when {{ margin_after }} < 0.3 * {{ margin_before }} then '{{ label[1] }}'
        when {{ margin_after }} < 0.6 * {{ margin_before }} then '{{ label[2] }}'
        else '{{ label[3] }}'
    end
{%- endmacro %}
