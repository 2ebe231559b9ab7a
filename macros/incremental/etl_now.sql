{#- "Now" for this invocation, naive UTC: var('etl_now') when set (tests pin it),
    else dbt's run start. One value for every model of the run. -#}
{% macro etl_now() %}
    {% set pinned = var('etl_now', '') %}
    {% if pinned %}
        {{ return(modules.datetime.datetime.fromisoformat(pinned | string)) }}
    {% endif %}
    {{ return(run_started_at.replace(tzinfo=none)) }}
{% endmacro %}
