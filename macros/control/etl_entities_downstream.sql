{#- The names of the entity models downstream of a node or source (by unique_id), through
    dbt's graph: the entities whose load can read it. -#}
{% macro etl_entities_downstream(unique_id) %}
    {% set ns = namespace(reached=[unique_id], grown=true) %}
    {% for _ in range(20) if ns.grown %}
        {% set ns.grown = false %}
        {% for node in graph.nodes.values() if node.resource_type == 'model' and node.unique_id not in ns.reached %}
            {% if node.depends_on.nodes | select('in', ns.reached) | list %}
                {% set ns.reached = ns.reached + [node.unique_id] %}
                {% set ns.grown = true %}
            {% endif %}
        {% endfor %}
    {% endfor %}
    {{ return(graph.nodes.values() | selectattr('unique_id', 'in', ns.reached)
        | selectattr('config.meta.etl', 'defined') | map(attribute='name') | list) }}
{% endmacro %}
