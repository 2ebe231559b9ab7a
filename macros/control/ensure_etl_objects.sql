{#- on-run-start: create the control and audit objects if missing (idempotent), then merge
    each entity's configuration, kept as code in its model's `meta.etl`, into
    ctl.etl_control. Watermarks, run status and is_active (the operator's switch) are
    never touched here. -#}
{% macro ensure_etl_objects() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% for schema in ['ctl', 'audit'] %}
        {% do adapter.create_schema(ecommerce_dw.etl_relation(schema, none)) %}
    {% endfor %}
    {% set ts = dbt.type_timestamp() %}
    {% set text = 'varchar(4000)' %}
    {% do run_query(ecommerce_dw.create_table_if_missing(ecommerce_dw.etl_relation('ctl', 'etl_control'), "
        entity_name varchar(100) not null primary key,
        source_table varchar(200) not null,
        target_table varchar(200) not null,
        source_pk_column varchar(100) not null,
        watermark_updated_at " ~ ts ~ ",
        watermark_id " ~ dbt.type_bigint() ~ ",
        cutoff_minutes integer not null check (cutoff_minutes between 0 and 1440),
        batch_size integer not null check (batch_size between 1 and 100000),
        is_active " ~ dbt.type_boolean() ~ " not null,
        sla_minutes integer not null check (sla_minutes > 0),
        last_run_id varchar(64),
        last_status varchar(20),
        last_success_at " ~ ts ~ ",
        created_at " ~ ts ~ " not null,
        updated_at " ~ ts ~ " not null")) %}
    {% do run_query(ecommerce_dw.create_table_if_missing(ecommerce_dw.etl_relation('audit', 'etl_load_window'), "
        invocation_id varchar(64) not null,
        run_id varchar(64) not null,
        entity_name varchar(100) not null,
        load_kind varchar(20) not null,
        status varchar(20) not null,
        source_relation varchar(400) not null,
        updated_at_column varchar(100) not null,
        id_column varchar(100) not null,
        watermark_from_updated_at " ~ ts ~ ",
        watermark_from_id " ~ dbt.type_bigint() ~ ",
        watermark_to_updated_at " ~ ts ~ ",
        watermark_to_id " ~ dbt.type_bigint() ~ ",
        cutoff_at " ~ ts ~ " not null,
        batch_size integer not null,
        max_batches integer,
        batches integer not null,
        extracted_count " ~ dbt.type_bigint() ~ " not null,
        backlog_after_count " ~ dbt.type_bigint() ~ " not null,
        upserted_count " ~ dbt.type_bigint() ~ ",
        soft_deleted_count " ~ dbt.type_bigint() ~ ",
        quarantined_count " ~ dbt.type_bigint() ~ ",
        planned_at " ~ ts ~ " not null,
        finished_at " ~ ts ~ ",
        error_message " ~ text ~ ",
        primary key (invocation_id, entity_name)")) %}
    {% do run_query(ecommerce_dw.create_table_if_missing(ecommerce_dw.etl_relation('audit', 'etl_quarantine'), "
        entity_name varchar(100) not null,
        natural_key " ~ dbt.type_bigint() ~ ",
        reason varchar(200) not null,
        source_updated_at " ~ ts ~ ",
        run_id varchar(64) not null,
        invocation_id varchar(64) not null,
        quarantined_at " ~ ts ~ " not null")) %}
    {#- the orchestrator's run audit and connection audit (same DDL as the orchestrator's):
        direct dbt runs write the run audit too, and the reporting view over the connection
        audit builds on a warehouse the orchestrator has never run against -#}
    {% set types = ecommerce_dw.audit_column_types() %}
    {% do types.update({'bool': dbt.type_boolean(), 'false': ecommerce_dw.bool_literal(false)}) %}
    {% for identifier, columns in [('etl_run', ecommerce_dw.etl_run_columns(types)),
                                   ('etl_run_entity', ecommerce_dw.etl_run_entity_columns(types)),
                                   ('connection_login_events', ecommerce_dw.connection_login_events_columns(types))] %}
        {% do run_query(ecommerce_dw.create_table_if_missing(ecommerce_dw.etl_relation('audit', identifier), columns)) %}
    {% endfor %}
    {#- columns added to a table after its first version (defined last in its macro, not
        null with a default): an older table gets them, its rows the default. The same
        statements as the orchestrator's (orchestrator/audit.py, ADDED_COLUMNS). -#}
    {% for identifier, column, kind, default in [('etl_run', 'full_checks', types.bool, types.false)] %}
        {% set relation = ecommerce_dw.etl_relation('audit', identifier) %}
        {% set statements = adapter.dispatch('etl_add_column_statements', 'ecommerce_dw')(relation, column, kind, default) %}
        {% for statement in statements %}{% do run_query(statement) %}{% endfor %}
    {% endfor %}
    {#- dbt caches the relations of every schema a selected model lives in (audit holds a
        reporting view): tell the cache about the tables just created, or the load macros'
        adapter.get_relation() would not see them in this invocation -#}
    {% for schema, identifier in [('ctl', 'etl_control'), ('audit', 'etl_load_window'),
                                  ('audit', 'etl_quarantine'), ('audit', 'etl_run'), ('audit', 'etl_run_entity'),
                                  ('audit', 'connection_login_events')] %}
        {% do adapter.cache_added(ecommerce_dw.etl_relation(schema, identifier)) %}
    {% endfor %}
    {% do ecommerce_dw.sync_etl_control_config() %}
    {{ return('') }}
{% endmacro %}

{#- The statements that add `column` (type `kind`, not null, `default` for existing rows) to
    `relation` when it lacks it. PostgreSQL: looked up first, since alter table locks the
    table (readers included) even when the column is there. -#}
{% macro default__etl_add_column_statements(relation, column, kind, default) %}
    {{ return(["do $$ begin if not exists (select 1 from information_schema.columns"
        ~ " where table_schema = '" ~ relation.schema ~ "' and table_name = '" ~ relation.identifier
        ~ "' and column_name = '" ~ column ~ "') then alter table " ~ relation ~ " add column " ~ column
        ~ " " ~ kind ~ " not null default " ~ default ~ "; end if; end $$"]) }}
{% endmacro %}

{#- DuckDB adds no column with a constraint: the default, then not null -#}
{% macro duckdb__etl_add_column_statements(relation, column, kind, default) %}
    {{ return(["alter table " ~ relation ~ " add column if not exists " ~ column ~ " " ~ kind
        ~ " default " ~ default, "alter table " ~ relation ~ " alter column " ~ column ~ " set not null"]) }}
{% endmacro %}

{#- SQL Server: no add column if not exists -#}
{% macro sqlserver__etl_add_column_statements(relation, column, kind, default) %}
    {{ return(["if col_length('" ~ relation.schema ~ "." ~ relation.identifier ~ "', '" ~ column
        ~ "') is null alter table " ~ relation ~ " add " ~ column ~ " " ~ kind ~ " not null default " ~ default]) }}
{% endmacro %}

{#- Spark: the catalog says whether the column is there. Iceberg adds a column nullable only
    and has no column defaults: the older rows get the default by an update, and the column
    stays nullable on a table that was created before it. -#}
{% macro spark__etl_add_column_statements(relation, column, kind, default) %}
    {% if column in adapter.get_columns_in_relation(relation) | map(attribute='name') | list %}
        {{ return([]) }}
    {% endif %}
    {{ return(["alter table " ~ relation ~ " add columns (" ~ column ~ " " ~ kind ~ ")",
        "update " ~ relation ~ " set " ~ column ~ " = " ~ default]) }}
{% endmacro %}
