{#- Change detection through the source's indexes.

    etl_changes_since(): on an incremental run of an active entity with a watermark, the
    watermark ({'ts': its updated_at as a timestamp literal, 'id': its id}); none otherwise
    (a full build reads the whole intermediate model). Each entity model uses it in the
    query of its changed keys: for every source table feeding its change timestamp,
    etl_changed(since, '<table>.updated_at', '<the entity key the row leads to>'), answered
    by the table's (updated_at, <pk>) index (no function around the column), and the joins
    that lead from that table to the entity's key (primary keys, or the warehouse's own
    rows where the source has no index for the way back).

    etl_changed(since, updated_at_column, key_column): the rows changed after the
    watermark, or at its instant for an entity key past its id. A row of the intermediate
    model is past the watermark only if a row feeding it changed after the watermark's
    instant, or at that instant with the row's key past the watermark's id, so this finds
    every such row, and none of the rows tied at the instant that were already loaded.

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
    {{ return({'ts': ecommerce_dw.timestamp_literal(control.watermark_updated_at),
               'id': control.watermark_id if control.watermark_id is not none else -1}) }}
{% endmacro %}

{% macro etl_changed(since, updated_at_column, key_column) -%}
    ({{ updated_at_column }} > {{ since.ts }} or ({{ updated_at_column }} = {{ since.ts }} and coalesce({{ key_column }}, -1) > {{ since.id }}))
{%- endmacro %}

{% macro etl_pending(relation, id_column, changed_keys) %}
    {% if changed_keys is none %}{{ return(relation) }}{% endif %}
    {% set keys = ecommerce_dw.etl_relation('ctl', 'etl_changed__' ~ model.name) %}
    {% set pending = ecommerce_dw.etl_relation('ctl', 'etl_pending__' ~ model.name) %}
    {% do ecommerce_dw.etl_replace_table(keys, changed_keys) %}
    {% set found = run_query("select count(*), count(changed_key) from " ~ keys).rows %}
    {% set changed, not_null = (found[0][0] | int, found[0][1] | int) if found else (0, 0) %}
    {#- the keys as constants while they are few (10,000: beyond, PostgreSQL's plans do not
        read less; SQL Server's planner struggles with long IN lists): the engine then pushes
        them through the intermediate view's joins to the primary keys of its tables (a
        subquery of keys is joined after the view's joins instead); nothing changed: an empty
        copy, which the engine makes without reading the source -#}
    {% if not_null == 0 %}
        {% set wanted = "1 = 0" %}
    {% elif not_null <= 10000 %}
        {% set values = run_query("select distinct changed_key from " ~ keys ~ " where changed_key is not null").columns[0].values() %}
        {% set wanted = id_column ~ " in (" ~ (values | map('int') | join(', ')) ~ ")" %}
    {% else %}
        {% set wanted = id_column ~ " in (select changed_key from " ~ keys ~ " where changed_key is not null)" %}
    {% endif %}
    {% do ecommerce_dw.etl_replace_table(pending, "select * from " ~ relation ~ " where " ~ wanted) %}
    {% if changed > not_null %}
        {% do run_query("insert into " ~ pending ~ " select * from " ~ relation ~ " where " ~ id_column ~ " is null") %}
    {% endif %}
    {{ return(pending) }}
{% endmacro %}
