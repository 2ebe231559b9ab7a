{#- The ETL entities: every model whose config has `meta.etl`, with that configuration.
    This is the one list of entities; the control rows are merged from it. -#}
{% macro etl_entities() %}
    {% set entities = {} %}
    {% for node in graph.nodes.values() if node.resource_type == 'model' %}
        {% set etl = (node.config.meta or {}).get('etl') %}
        {% if etl %}
            {% do entities.update({node.name: etl}) %}
        {% endif %}
    {% endfor %}
    {{ return(entities) }}
{% endmacro %}
