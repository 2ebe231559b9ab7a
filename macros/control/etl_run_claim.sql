{#- on-run-start, first hook, of a direct dbt run on PostgreSQL or SQL Server: take the
    warehouse lock (etl_warehouse_lock) or stop the run before anything changes, naming
    the run that holds the warehouse: the lock is held (an orchestrator run, or a direct
    run in its on-run-start), or a direct run's 'running' row stands for it and its dbt is
    still connected. dbt keeps one session for all on-run-start hooks; etl_run_open writes
    this run's row and gives the lock back. On DuckDB there is nothing to take: dbt opens
    the warehouse file exclusively, so no other process can load it meanwhile. -#}
{% macro etl_run_claim() %}
    {% if not ecommerce_dw.etl_direct_run() or target.type not in ['postgres', 'sqlserver'] %}
        {{ return('') }}
    {% endif %}
    {% set lock = fromjson(ecommerce_dw.etl_warehouse_lock(target.type)) %}
    {% set runs = ecommerce_dw.etl_relation('audit', 'etl_run') %}
    {% set audited = adapter.get_relation(runs.database, runs.schema, runs.identifier) is not none %}
    {% set holder = namespace(rows=none) %}
    {% if (run_query(lock.take).rows[0][0] | int) != 1 %}
        {% set holder.rows = run_query(lock.holders).rows if audited else [] %}
    {% elif audited %}
        {% set claims = run_query(lock.direct_runs).rows %}
        {% set dbt = namespace(connected=false) %}
        {% for poll in range(lock.polls) if claims and not dbt.connected %}
            {% if poll > 0 %}{% do run_query(lock.pause) %}{% endif %}
            {% set dbt.connected = (run_query(lock.dbt_sessions).rows[0][0] | int) > 0 %}
        {% endfor %}
        {% if dbt.connected %}
            {% do run_query(lock.release) %}
            {% set holder.rows = claims %}
        {% endif %}
    {% endif %}
    {% if holder.rows is not none %}
        {% set run_id, pid, started_by, started_at = holder.rows[0] if holder.rows
            else ['(unknown: no running row in audit.etl_run yet)', 0, '?', '?'] %}
        {% set who = ('pid ' ~ pid ~ ' on ' ~ (started_by | string).split('@')[-1]) if pid else started_by %}
        {% do exceptions.raise_compiler_error("another run holds the warehouse: run " ~ run_id
            ~ " (" ~ who ~ ", started " ~ started_at ~ "); nothing was run") %}
    {% endif %}
    {{ return('') }}
{% endmacro %}
