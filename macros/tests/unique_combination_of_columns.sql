{#- Generic test: fails on every combination of `combination_of_columns` that occurs in
    more than one row of the model (the model's grain). Portable: a plain GROUP BY ...
    HAVING over the listed columns. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set columns_csv = combination_of_columns | join(', ') %}

select
    {{ columns_csv }},
    count(*) as quantidade_linhas
from {{ model }}
group by {{ columns_csv }}
having count(*) > 1

{% endtest %}
