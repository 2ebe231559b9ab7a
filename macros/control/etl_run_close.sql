{#- on-run-end of a direct dbt run, after close_etl_windows: one audit.etl_run_entity row
    per entity (model or snapshot with meta.etl) of this invocation, from its window in
    audit.etl_load_window (status, counts, watermarks, error) and the results of the data
    tests that read it; then closes the audit.etl_run row etl_run_open opened, as the
    orchestrator does: 'failed' when entities failed or were skipped and none loaded,
    'partial' when some did or another node (a test, a view) failed, else 'success'. The
    error category is left empty: the taxonomy is the orchestrator's (Python). -#}
{% macro etl_run_close(results) %}
    {% if not ecommerce_dw.etl_direct_run() %}{{ return('') }}{% endif %}
    {% set entities = ecommerce_dw.etl_entity_nodes() %}
    {% set entity_ids = entities.values() | list %}
    {% set tests = {} %}
    {% set others = [] %}
    {% for result in results %}
        {% set status = result.status | string %}
        {% set kind = {'pass': 'passed', 'warn': 'warned', 'fail': 'failed', 'error': 'failed'}.get(status) %}
        {% if result.node.resource_type == 'test' and kind %}
            {% for parent in result.node.depends_on.nodes if parent in entity_ids %}
                {% do tests.update({parent ~ kind: tests.get(parent ~ kind, 0) + 1}) %}
            {% endfor %}
        {% endif %}
        {% if status in ['error', 'fail', 'runtime error'] and result.node.unique_id not in entity_ids %}
            {% do others.append(result.node.name ~ ': ' ~ status ~ ' '
                ~ ((result.message or '') | string).strip().split('\n')[0]) %}
        {% endif %}
    {% endfor %}

    {% set window_table = ecommerce_dw.etl_relation('audit', 'etl_load_window') %}
    {% set now = ecommerce_dw.timestamp_literal(modules.datetime.datetime.utcnow()) %}
    {% set mine = " where invocation_id = '" ~ invocation_id ~ "'" %}
    {% set outcome = {'success': [], 'failed': [], 'skipped': [], 'inactive': []} %}
    {% set messages = [] %}
    {% for window in run_query("select entity_name, status, error_message from " ~ window_table ~ mine).rows %}
        {% set entity, unique_id = window[0], entities.get(window[0], '') %}
        {% set status = {'loaded': 'success', 'inactive': 'inactive', 'skipped': 'skipped'}.get(window[1], 'failed') %}
        {% do outcome[status].append(entity) %}
        {% if status == 'failed' %}
            {% do messages.append(entity ~ ': ' ~ ((window[2] or 'failed') | string).strip().split('\n')[0]) %}
        {% endif %}
        {% do run_query(ecommerce_dw.insert_into_columns(ecommerce_dw.etl_relation('audit', 'etl_run_entity'), "run_id,"
            ~ " entity_name, started_at, finished_at, status, load_kind, extracted_count, upserted_count,"
            ~ " soft_deleted_count, quarantined_count, batches, backlog_after_count, watermark_from_updated_at,"
            ~ " watermark_from_id, watermark_to_updated_at, watermark_to_id, tests_passed, tests_warned,"
            ~ " tests_failed, error_message, is_dry_run, dbt_invocation_id", "select run_id, entity_name,"
            ~ " planned_at, coalesce(finished_at, " ~ now ~ "), '" ~ status ~ "', load_kind, extracted_count,"
            ~ " upserted_count, soft_deleted_count, quarantined_count, batches, backlog_after_count,"
            ~ " watermark_from_updated_at, watermark_from_id, watermark_to_updated_at, watermark_to_id, "
            ~ tests.get(unique_id ~ 'passed', 0) ~ ", " ~ tests.get(unique_id ~ 'warned', 0) ~ ", "
            ~ tests.get(unique_id ~ 'failed', 0) ~ ", error_message, " ~ ecommerce_dw.bool_literal(false)
            ~ ", invocation_id from " ~ window_table ~ mine ~ " and entity_name = '" ~ entity ~ "'")) %}
    {% endfor %}

    {% set failures = outcome.failed | length + outcome.skipped | length %}
    {% set succeeded = outcome.success | length %}
    {% set run_status = 'failed' if failures and not succeeded else ('partial' if failures or others else 'success') %}
    {% set message = (messages + others[:10]) | join(' | ') %}
    {% do run_query("update " ~ ecommerce_dw.etl_relation('audit', 'etl_run') ~ " set status = '" ~ run_status
        ~ "', finished_at = " ~ now ~ ", entities_succeeded = " ~ succeeded ~ ", entities_failed = " ~ failures
        ~ ", error_message = " ~ ("'" ~ message[:3900] | replace("'", "''") ~ "'" if message else 'null')
        ~ ", dbt_invocation_id = '" ~ invocation_id ~ "' where run_id = '" ~ invocation_id ~ "'") %}
    {{ return('') }}
{% endmacro %}
