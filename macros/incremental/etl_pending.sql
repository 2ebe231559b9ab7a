{#- Change detection through the source's indexes.

    etl_changes_since(): on an incremental run of an active entity with a watermark, the
    watermark's updated_at as a timestamp literal; none otherwise (a full build reads the
    whole intermediate model). Each entity model uses it in the query of its changed keys:
    for every source table feeding its change timestamp, `updated_at >= since` (answered by
    the table's (updated_at, <pk>) index; no function around the column) and the joins
    that lead from that table to the entity's key (primary keys, or the warehouse's own
    rows where the source has no index for the way back).

    etl_pending(relation, id_column, changed_keys): the rows of `relation` (an
    intermediate model) whose key is in `changed_keys`, copied once into
    ctl.etl_pending__<entity>, so planning the window, loading and quarantining read that
    small table instead of recomputing the intermediate model's joins over the whole
    source. The window rule is then applied to it exactly as before (etl_window): a row
    can only be past the watermark if one of the rows feeding its change timestamp changed
    at or after the watermark's updated_at, so every such row is in the table. Rows with a
    NULL key (a source without a primary key) cannot be looked up by key: when a changed
    key is NULL, every NULL-key row is added, and the window rule keeps the new ones.
    With `changed_keys` none (full build, no watermark yet, inactive entity, dry run):
    the relation itself. -#}
{% macro etl_changes_since() %}
    {% if not execute or not is_incremental() or flags.WHICH not in ['run', 'build'] %}{{ return(none) }}{% endif %}
    {% set control = ecommerce_dw.etl_control_row() %}
    {% if control is none or control.watermark_updated_at is none or not control.is_active %}
        {{ return(none) }}
    {% endif %}
    {{ return(ecommerce_dw.timestamp_literal(control.watermark_updated_at)) }}
{% endmacro %}

{% macro etl_pending(relation, id_column, changed_keys) %}
    {% if changed_keys is none %}{{ return(relation) }}{% endif %}
    {% set keys = ecommerce_dw.etl_relation('ctl', 'etl_changed__' ~ model.name) %}
    {% set pending = ecommerce_dw.etl_relation('ctl', 'etl_pending__' ~ model.name) %}
    {% do ecommerce_dw.etl_replace_table(keys, changed_keys) %}
    {% set found = run_query("select count(*), count(changed_key) from " ~ keys).rows %}
    {% set changed, not_null = (found[0][0] | int, found[0][1] | int) if found else (0, 0) %}
    {#- nothing changed: an empty copy, which the engine makes without reading the source -#}
    {% do ecommerce_dw.etl_replace_table(pending, "select * from " ~ relation ~ " where "
        ~ (id_column ~ " in (select changed_key from " ~ keys ~ " where changed_key is not null)" if not_null > 0 else "1 = 0")) %}
    {% if changed > not_null %}
        {% do run_query("insert into " ~ pending ~ " select * from " ~ relation ~ " where " ~ id_column ~ " is null") %}
    {% endif %}
    {{ return(pending) }}
{% endmacro %}
