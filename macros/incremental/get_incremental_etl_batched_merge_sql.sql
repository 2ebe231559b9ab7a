{#- Incremental strategy `etl_batched_merge`: the model's rows for this run (dbt's temp
    relation) are merged into the target in batches of at most batch_size rows, in
    (_etl_source_updated_at, unique key) order, one MERGE per batch, all inside the load's
    transaction: one dbt start-up however many batches, bounded statements (lock and log
    size on SQL Server), and nothing is kept if any batch fails. Each batch logs an
    ETL_PROGRESS line the orchestrator shows live. How many rows a batch takes is the
    adapter's (etl_merge_batch_rows): the window's batch_size, or on Spark the whole run. -#}
{% macro get_incremental_etl_batched_merge_sql(arg_dict) %}
    {% set target_relation = arg_dict['target_relation'] %}
    {% set temp_relation = arg_dict['temp_relation'] %}
    {% set unique_key = arg_dict['unique_key'] %}
    {% set dest_columns = arg_dict['dest_columns'] %}
    {% set predicates = arg_dict.get('incremental_predicates') %}
    {% set batch_size = adapter.dispatch('etl_merge_batch_rows', 'ecommerce_dw')(ecommerce_dw.etl_window_setting('batch_size')) %}
    {% set ends = run_query(
        "select _etl_source_updated_at, " ~ unique_key ~ ", row_number_in_run, rows_in_run, deleted_in_run from ("
        ~ " select _etl_source_updated_at, " ~ unique_key ~ ","
        ~ " row_number() over (order by _etl_source_updated_at, " ~ unique_key ~ ") as row_number_in_run,"
        ~ " count(*) over () as rows_in_run,"
        ~ " sum(case when " ~ ecommerce_dw.is_true('_etl_source_deleted') ~ " then 1 else 0 end) over () as deleted_in_run"
        ~ " from " ~ temp_relation ~ ") numbered"
        ~ " where row_number_in_run % " ~ batch_size ~ " = 0 or row_number_in_run = rows_in_run"
        ~ " order by row_number_in_run").rows %}
    {% set batches = ends | length %}
    {% do ecommerce_dw.etl_record_batches(batches, (ends[0][3] | int) if ends else 0, (ends[0][4] | int) if ends else 0) %}
    {% if batches <= 1 %}
        {% do ecommerce_dw.etl_log_progress(1, 1, (ends[0][3] | int) if ends else 0) %}
        {{ return(get_merge_sql(target_relation, temp_relation, unique_key, dest_columns, predicates)) }}
    {% endif %}
    {% set statements = [] %}
    {% for end in ends %}
        {% set lower = ends[loop.index0 - 1] if not loop.first else none %}
        {% set in_batch = ecommerce_dw.watermark_predicate(
            '_etl_source_updated_at', unique_key,
            lower[0] if lower else none, lower[1] if lower else none, end[0], end[1], none) %}
        {% set source = "(select * from " ~ temp_relation ~ " where " ~ in_batch ~ ")" %}
        {% do statements.append(get_merge_sql(target_relation, source, unique_key, dest_columns, predicates)) %}
    {% endfor %}
    {% for statement in statements[:-1] %}
        {% do run_query(statement) %}
        {% do ecommerce_dw.etl_log_progress(loop.index, batches, ends[loop.index0][2] | int) %}
    {% endfor %}
    {% do ecommerce_dw.etl_log_progress(batches, batches, ends[-1][2] | int) %}
    {{ return(statements[-1]) }}
{% endmacro %}

{% macro default__etl_merge_batch_rows(batch_size) -%}
    {{ return(batch_size) }}
{%- endmacro %}

{#- Spark: one MERGE per run. Each MERGE costs seconds whatever its size (a Spark job and an
    Iceberg commit), and there is no transaction for batches to keep small: Spark holds no
    locks and no log, and a batch is committed on its own, so batches would only multiply
    the load's time. The largest integer as the batch size makes the whole run one batch. -#}
{% macro spark__etl_merge_batch_rows(batch_size) -%}
    {{ return(2147483647) }}
{%- endmacro %}
