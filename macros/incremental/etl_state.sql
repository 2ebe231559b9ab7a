{#- The state an entity keeps beside its table: the events it loaded, as they were when
    it loaded them (ctl.etl_state__<entity>: the rows of its intermediate model that count,
    eh_valido = 1). fact_metas reads it to find the seller-month an event counted in
    before it changed, and to recompute a seller-month from the warehouse's own rows
    instead of the whole source.

    etl_state(relation, updated_at_column, id_column): the state's Relation, and whether
    this run had to create it: on an incremental run with no state (a warehouse built
    before it existed, or the table was dropped) it is created from `relation`'s rows at or
    before the watermark, the rows the entity has loaded, and the entity recomputes every
    seller-month it holds (the old versions of the window's rows are not known).

    etl_save_state(w): called by etl_complete_load (meta etl.state) with the load window
    `w`, before the watermark moves and inside the load's transaction, so the state moves
    with the table and the watermark or not at all: the window's events replace their
    earlier versions (a full build replaces the whole state), and a seller-month they
    emptied loses its row. Spark commits each statement: there the rows are replaced in
    one MERGE (one Iceberg commit), after the emptied seller-months' rows are deleted, and
    a run stopped at any point leaves the watermark before the window, whose next load
    does the same again (the state then already holds the window's events: the same
    seller-months come out). -#}
{% macro etl_state(relation, updated_at_column, id_column) %}
    {% set state = ecommerce_dw.etl_relation('ctl', 'etl_state__' ~ model.name) %}
    {% set created = execute and is_incremental() and flags.WHICH in ['run', 'build'] and not ecommerce_dw.etl_state_exists(state) %}
    {% if created %}
        {% set control = ecommerce_dw.etl_control_row() %}
        {% set loaded = ecommerce_dw.watermark_predicate(updated_at_column, id_column, none, none,
            control.watermark_updated_at, control.watermark_id, none) if control and control.watermark_updated_at is not none else '1 = 0' %}
        {% do ecommerce_dw.etl_write_state(state, "select * from " ~ relation ~ " where eh_valido = 1 and " ~ loaded) %}
    {% endif %}
    {{ return({'relation': state, 'created': created}) }}
{% endmacro %}

{% macro etl_save_state(w) %}
    {% set state = ecommerce_dw.etl_relation('ctl', 'etl_state__' ~ model.name) %}
    {% set window_events = "select * from " ~ w.source_relation ~ " where " ~ w.in_window %}
    {% if w.load_kind == 'full' or not ecommerce_dw.etl_state_exists(state) %}
        {% do ecommerce_dw.etl_write_state(state, window_events ~ " and eh_valido = 1") %}
        {{ return('') }}
    {% endif %}
    {#- a seller-month the window's events left, with nothing left in it, produced no row:
        its old row goes (every touched seller-month with a row was just rewritten) -#}
    {% do run_query("delete from " ~ this ~ " where _etl_invocation_id <> '" ~ invocation_id ~ "' and meta_id in ("
        ~ "select estado.vendedor_id * 100000000 + " ~ ecommerce_dw.date_key('estado.mes_referencia')
        ~ " from " ~ state ~ " as estado inner join (" ~ window_events ~ ") as eventos"
        ~ " on estado.tipo_evento = eventos.tipo_evento and estado.evento_id = eventos.evento_id)") %}
    {% do adapter.dispatch('etl_replace_state_rows', 'ecommerce_dw')(state, window_events) %}
    {{ return('') }}
{% endmacro %}

{#- the window's events replace their earlier versions in the state; an event no longer
    valid (eh_valido = 0) leaves it -#}
{% macro default__etl_replace_state_rows(state, window_events) %}
    {% for kind in ['meta', 'venda'] %}
        {% do run_query("delete from " ~ state ~ " where tipo_evento = '" ~ kind ~ "' and evento_id in ("
            ~ "select evento_id from (" ~ window_events ~ ") as eventos where tipo_evento = '" ~ kind ~ "')") %}
    {% endfor %}
    {% do run_query("insert into " ~ state ~ " " ~ window_events ~ " and eh_valido = 1") %}
{% endmacro %}

{% macro spark__etl_replace_state_rows(state, window_events) %}
    {% do run_query("merge into " ~ state ~ " as estado using (" ~ window_events ~ ") as eventos"
        ~ " on estado.tipo_evento = eventos.tipo_evento and estado.evento_id = eventos.evento_id"
        ~ " when matched and eventos.eh_valido = 1 then update set *"
        ~ " when matched then delete"
        ~ " when not matched and eventos.eh_valido = 1 then insert *") %}
{% endmacro %}

{#- the state's indexes serve the lookups by event and by seller-month (DuckDB scans;
    Spark has no indexes) -#}
{% macro etl_write_state(state, sql) %}
    {% do ecommerce_dw.etl_replace_table(state, sql) %}
    {% if target.type not in ['duckdb', 'spark'] %}
        {% do run_query("create index " ~ state.identifier ~ "__evento on " ~ state ~ " (evento_id)") %}
        {% do run_query("create index " ~ state.identifier ~ "__vendedor_mes on " ~ state ~ " (vendedor_id, mes_referencia)") %}
    {% endif %}
{% endmacro %}

{#- asked of the catalog: dbt's relation cache holds the ctl schema only as far as this
    invocation created its tables -#}
{% macro etl_state_exists(state) %}
    {{ return(adapter.dispatch('etl_state_exists', 'ecommerce_dw')(state)) }}
{% endmacro %}

{% macro default__etl_state_exists(state) %}
    {% set found = run_query("select count(*) from information_schema.tables where table_catalog = '" ~ state.database
        ~ "' and table_schema = '" ~ state.schema ~ "' and table_name = '" ~ state.identifier ~ "'") %}
    {{ return(found.rows[0][0] | int > 0) }}
{% endmacro %}

{#- Spark has no information_schema: its catalog answers `show tables` -#}
{% macro spark__etl_state_exists(state) %}
    {% set found = run_query("show tables in " ~ state.schema ~ " like '" ~ state.identifier ~ "'") %}
    {{ return(found.rows | length > 0) }}
{% endmacro %}
