{#- Upper bound and counts of the pending rows of `relation`: rows past (lo_ts, lo_id),
    not newer than cutoff_at, in (updated_at, id) order, at most `cap` of them (None: all).
    Returns hi_ts, hi_id (None when nothing is pending), extracted, backlog_after. -#}
{% macro etl_window_bounds(relation, updated_at_column, id_column, lo_ts, lo_id, cutoff_at, cap) %}
    {% set pending_sql %}
        select {{ updated_at_column }} as wm_ts, coalesce({{ id_column }}, -1) as wm_id
        from {{ relation }}
        where {{ ecommerce_dw.watermark_predicate(updated_at_column, id_column, lo_ts, lo_id, none, none, cutoff_at) }}
    {% endset %}
    {% if cap is none %}
        {% set bounds_sql %}
            with pending as ({{ pending_sql }}),
            newest as (select max(wm_ts) as hi_ts, count(*) as pending_count from pending)
            select newest.hi_ts, max(pending.wm_id) as hi_id, newest.pending_count
            from newest
            left join pending on pending.wm_ts = newest.hi_ts
            group by newest.hi_ts, newest.pending_count
        {% endset %}
    {% else %}
        {% set bounds_sql %}
            with pending as ({{ pending_sql }}),
            numbered as (
                select wm_ts, wm_id, row_number() over (order by wm_ts, wm_id) as row_number_in_window
                from pending
            ),
            total as (select count(*) as pending_count from pending)
            select numbered.wm_ts as hi_ts, numbered.wm_id as hi_id, total.pending_count
            from total
            left join numbered
                on numbered.row_number_in_window = case when total.pending_count > {{ cap }} then {{ cap }} else total.pending_count end
        {% endset %}
    {% endif %}
    {% set row = run_query(bounds_sql).rows[0] %}
    {% set pending_count = (row[2] or 0) | int %}
    {% if row[0] is none %}
        {{ return({'hi_ts': none, 'hi_id': none, 'extracted': 0, 'backlog_after': 0}) }}
    {% endif %}
    {% set extracted = pending_count %}
    {% if cap is not none and pending_count > cap %}
        {#- ties on (updated_at, id) at the boundary all belong to the window: count exactly -#}
        {% set counted = run_query("select count(*) from (" ~ pending_sql ~ ") pending where "
            ~ ecommerce_dw.watermark_predicate('wm_ts', 'wm_id', none, none, row[0], row[1], none)) %}
        {% set extracted = counted.rows[0][0] | int %}
    {% endif %}
    {{ return({'hi_ts': row[0], 'hi_id': row[1] | int, 'extracted': extracted, 'backlog_after': pending_count - extracted}) }}
{% endmacro %}
