{#- Generic test: fails on every pair of versions of the same `key_column` whose
    half-open validity ranges [from_column, to_column) intersect, i.e. a moment that would
    join a fact to two versions (two current versions included). Portable: a self-join
    on the key. -#}
{% test validity_ranges_do_not_overlap(model, key_column, version_column, from_column, to_column) %}

select
    earlier.{{ key_column }},
    earlier.{{ version_column }} as earlier_version,
    later.{{ version_column }} as later_version
from {{ model }} as earlier
inner join {{ model }} as later
    on earlier.{{ key_column }} = later.{{ key_column }}
    and earlier.{{ version_column }} < later.{{ version_column }}
    and earlier.{{ from_column }} < later.{{ to_column }}
    and later.{{ from_column }} < earlier.{{ to_column }}

{% endtest %}
