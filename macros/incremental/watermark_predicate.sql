{#- THE watermark rule, as a SQL predicate on (updated_at_column, id_column):
        (updated_at, id) >  (lo_ts, lo_id)     when a lower bound is given
    and (updated_at, id) <= (hi_ts, hi_id)     when an upper bound is given
    and updated_at <= cutoff_at                when a cutoff is given
    A NULL id compares as -1, so a row with a NULL key still falls in exactly one window
    (and is quarantined there). Every bound is optional; with none the predicate is true. -#}
{% macro watermark_predicate(updated_at_column, id_column, lo_ts, lo_id, hi_ts, hi_id, cutoff_at) -%}
    {%- set id_expr = 'coalesce(' ~ id_column ~ ', -1)' -%}
    {%- set parts = [] -%}
    {%- if lo_ts is not none -%}
        {%- set lo = ecommerce_dw.timestamp_literal(lo_ts) -%}
        {%- do parts.append('(' ~ updated_at_column ~ ' > ' ~ lo ~ ' or (' ~ updated_at_column ~ ' = ' ~ lo
            ~ ' and ' ~ id_expr ~ ' > ' ~ lo_id ~ '))') -%}
    {%- endif -%}
    {%- if hi_ts is not none -%}
        {%- set hi = ecommerce_dw.timestamp_literal(hi_ts) -%}
        {%- do parts.append('(' ~ updated_at_column ~ ' < ' ~ hi ~ ' or (' ~ updated_at_column ~ ' = ' ~ hi
            ~ ' and ' ~ id_expr ~ ' <= ' ~ hi_id ~ '))') -%}
    {%- endif -%}
    {%- if cutoff_at is not none -%}
        {%- do parts.append(updated_at_column ~ ' <= ' ~ ecommerce_dw.timestamp_literal(cutoff_at)) -%}
    {%- endif -%}
    {{- parts | join(' and ') if parts else '1 = 1' -}}
{%- endmacro %}
