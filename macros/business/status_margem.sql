{#- Margin status of a discount application (SPEC section 3): 'Prejuizo' when the margin
    after the discount is negative, 'Margem critica' below 30% of the margin before,
    'Margem reduzida' below 60%, else 'Margem saudavel'. -#}
{% macro status_margem(margin_before, margin_after) -%}
    case
        when {{ margin_after }} < 0 then 'Prejuizo'
        when {{ margin_after }} < 0.3 * {{ margin_before }} then 'Margem critica'
        when {{ margin_after }} < 0.6 * {{ margin_before }} then 'Margem reduzida'
        else 'Margem saudavel'
    end
{%- endmacro %}
