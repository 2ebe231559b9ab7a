{#- dbt-spark's incremental materialization accepts only its own strategies (append, merge,
    insert_overwrite, microbatch) and calls this macro by name, not through dispatch: a
    macro of the same name in the root project takes its place. It lets the project's two
    strategies through, etl_batched_merge (the entities) and delete+insert (fact_metas),
    on Iceberg tables only (they need its MERGE and DELETE), and leaves the others to
    dbt-spark. -#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {% if raw_strategy in ['etl_batched_merge', 'delete+insert'] %}
        {% if file_format != 'iceberg' %}
            {% do exceptions.raise_compiler_error("incremental strategy " ~ raw_strategy
                ~ " needs file_format iceberg on Spark (got " ~ file_format ~ ")") %}
        {% endif %}
        {{ return(raw_strategy) }}
    {% endif %}
    {{ return(dbt_spark.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{% endmacro %}
