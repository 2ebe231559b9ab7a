{#- The statement of an incremental run on Spark: dbt-spark's materialization calls this
    macro by name (no dispatch), so the root project's takes its place for the project's
    two strategies and hands the others to dbt-spark.
    - etl_batched_merge: the project's strategy, as on every other adapter.
    - delete+insert (fact_metas: each touched month replaced whole): one MERGE, so the
      month's replacement is one Iceberg commit. Spark has no transaction to hold a delete
      and an insert together: a run stopped between the two would lose the month's other
      sellers, which the model keeps from the target itself. The run's rows (dbt's temp
      relation, a view over the model's query, which reads the target) are first copied
      to ctl.etl_staged__<model>; the MERGE then updates and inserts them by the model's
      primary key, and deletes the target's other rows of the months they cover. -#}
{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
    {% if strategy == 'etl_batched_merge' %}
        {{ return(ecommerce_dw.get_incremental_etl_batched_merge_sql({'target_relation': target,
            'temp_relation': source, 'unique_key': unique_key, 'dest_columns': none,
            'incremental_predicates': incremental_predicates})) }}
    {% elif strategy == 'delete+insert' %}
        {% set keys = [] %}
        {% for name, column in model.columns.items() %}
            {% for constraint in column.constraints if constraint.type == 'primary_key' %}
                {% do keys.append(name) %}
            {% endfor %}
        {% endfor %}
        {% if keys | length != 1 %}
            {% do exceptions.raise_compiler_error("delete+insert on Spark replaces " ~ model.name ~ "'s rows by its"
                ~ " primary key: declare exactly one column with a primary_key constraint (found "
                ~ (keys | join(', ') or 'none') ~ ")") %}
        {% endif %}
        {% set staged = ecommerce_dw.etl_relation('ctl', 'etl_staged__' ~ target.identifier) %}
        {% do ecommerce_dw.etl_replace_table(staged, "select * from " ~ source) %}
        {% set replaced = run_query("select distinct " ~ unique_key ~ " from " ~ staged).columns[0].values() %}
        {{ return("merge into " ~ target ~ " as target using " ~ staged ~ " as staged on target." ~ keys[0]
            ~ " = staged." ~ keys[0] ~ " when matched then update set * when not matched then insert *"
            ~ ((" when not matched by source and target." ~ unique_key ~ " in (" ~ replaced | join(', ')
            ~ ") then delete") if replaced else "")) }}
    {% endif %}
    {{ return(dbt_spark.dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates)) }}
{% endmacro %}
