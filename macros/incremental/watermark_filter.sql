{#- What every incremental entity model puts in the WHERE of its driving relation: the
    rows of this run's load window (see etl_window), or none when nothing is pending or
    the entity is inactive. -#}
{% macro watermark_filter(relation, updated_at_column, id_column) -%}
    {%- set window = ecommerce_dw.etl_window(relation, updated_at_column, id_column) -%}
    {%- if window.hi_ts is none -%}
        1 = 0
    {%- else -%}
        {{ ecommerce_dw.watermark_predicate(updated_at_column, id_column, window.lo_ts, window.lo_id, window.hi_ts, window.hi_id, none) }}
    {%- endif -%}
{%- endmacro %}
