{#- Generic test: fails on every row of the model where NOT (expression). A row where the
    expression is NULL does not fail (write `col is not null and ...` to require a value).
    The expression is portable SQL over the model's columns; `where` (config) narrows the
    rows checked. Used for the money invariants of the facts. -#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
