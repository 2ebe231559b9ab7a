{#- The ETL entities as dbt nodes: a dict from name to unique_id of every model and snapshot
    whose config has `meta.etl` (etl_entities lists the models alone, with their
    configuration, for the control rows). -#}
{% macro etl_entity_nodes() %}
    {% set entities = {} %}
    {% for node in graph.nodes.values() if node.resource_type in ['model', 'snapshot']
        and (node.config.meta or {}).get('etl') %}
        {% do entities.update({node.name: node.unique_id}) %}
    {% endfor %}
    {{ return(entities) }}
{% endmacro %}
