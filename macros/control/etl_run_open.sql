{#- on-run-start, last hook, of a direct dbt run: opens its audit.etl_run row as 'running'
    (run id: dbt's invocation id, see etl_run_id; started_by 'dbt:<user>@<host>' from the
    environment; pid 0, as dbt does not expose its own), then gives back the warehouse
    lock etl_run_claim took. entities_requested lists the selected ETL entities ('all'
    when every one is selected); full_checks is etl_full_checks() (var etl_full_checks or
    --full-refresh). etl_run_close closes the row at on-run-end. -#}
{% macro etl_run_open() %}
    {% if not ecommerce_dw.etl_direct_run() %}{{ return('') }}{% endif %}
    {% set entities = ecommerce_dw.etl_entity_nodes() %}
    {% set selected = [] %}
    {% for name, unique_id in entities.items() if unique_id in selected_resources %}
        {% do selected.append(name) %}
    {% endfor %}
    {% set lock = fromjson(ecommerce_dw.etl_warehouse_lock(target.type)) %}
    {% set user = env_var('USER', '') or env_var('USERNAME', '') or env_var('LOGNAME', '') or target.get('user') or 'unknown' %}
    {% set host = env_var('HOSTNAME', '') or env_var('COMPUTERNAME', '') or 'unknown' %}
    {% set overrides = [] %}
    {% for name in ['etl_batch_size', 'etl_cutoff_minutes', 'etl_max_batches'] %}
        {% set value = var(name, '') | string %}
        {% do overrides.append(value if modules.re.fullmatch('[0-9]+', value) else 'null') %}
    {% endfor %}
    {% do run_query(ecommerce_dw.insert_into_columns(ecommerce_dw.etl_relation('audit', 'etl_run'), "run_id, entities_requested,"
        ~ " started_by, started_at, status, is_dry_run, target, pid, full_refresh, full_checks,"
        ~ " batch_size_override, cutoff_minutes_override, max_batches_override", "values ('" ~ invocation_id ~ "', '"
        ~ ('all' if selected | length == entities | length else selected | sort | join(',')) ~ "', '"
        ~ (lock.started_by_prefix ~ user ~ '@' ~ host) | replace("'", "''") ~ "', "
        ~ ecommerce_dw.timestamp_literal(modules.datetime.datetime.utcnow()) ~ ", 'running', "
        ~ ecommerce_dw.bool_literal(false) ~ ", '" ~ target.name ~ "', 0, "
        ~ ecommerce_dw.bool_literal(flags.FULL_REFRESH) ~ ", " ~ ecommerce_dw.bool_literal(ecommerce_dw.etl_full_checks())
        ~ ", " ~ overrides | join(', ') ~ ")")) %}
    {% if target.type in ['postgres', 'sqlserver'] %}{% do run_query(lock.release) %}{% endif %}
    {{ return('') }}
{% endmacro %}
