{#- This invocation's audit.etl_load_window row of the current entity model, as a dict
    (source_relation, updated_at_column, id_column, the window's bounds lo_ts, lo_id, hi_ts,
    hi_id, load_kind, upserted_count) with `in_window`, the window rule as a predicate on the source
    relation's columns; none when no window was recorded or the entity is inactive. What
    the entity's post-hooks read to act on exactly the rows the model loaded. -#}
{% macro etl_load_window_row() %}
    {% set found = run_query("select status, source_relation, updated_at_column, id_column,"
        ~ " watermark_from_updated_at, watermark_from_id, watermark_to_updated_at, watermark_to_id, load_kind, upserted_count from "
        ~ ecommerce_dw.etl_relation('audit', 'etl_load_window')
        ~ " where invocation_id = '" ~ invocation_id ~ "' and entity_name = '" ~ model.name ~ "'") %}
    {% if found.rows | length == 0 or found.rows[0][0] == 'inactive' %}{{ return(none) }}{% endif %}
    {% set w = found.rows[0] %}
    {{ return({
        'source_relation': w[1], 'updated_at_column': w[2], 'id_column': w[3],
        'lo_ts': w[4], 'lo_id': w[5], 'hi_ts': w[6], 'hi_id': w[7], 'load_kind': w[8], 'upserted_count': w[9],
        'in_window': ecommerce_dw.watermark_predicate(w[2], w[3], w[4], w[5], w[6], w[7], none) if w[6] is not none else '1 = 0',
    }) }}
{% endmacro %}
