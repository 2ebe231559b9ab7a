{#- What a generic data test reads: dbt's `where` config and, on an incremental `dbt build`
    that is not a full check (etl_full_checks), only what this run loaded or looked at
    (etl_test_scope). Overrides dbt's get_where_subquery. -#}
{% macro get_where_subquery(relation) -%}
    {% set predicates = [config.get('where', ''), ecommerce_dw.etl_test_scope(relation)] | select | list %}
    {% if not predicates %}{{ return(relation) }}{% endif %}
    {{ return("(select * from " ~ relation ~ " where (" ~ predicates | join(") and (") ~ ")) dbt_subquery") }}
{%- endmacro %}

{#- The rows of `relation` an incremental run tests (a predicate; '' for every row):
    - an entity table or snapshot: the rows this invocation wrote (_etl_invocation_id); a
      full build of the entity in this run writes, and so tests, every row;
    - a table of the OLTP source or a staging model: the source rows changed since the
      oldest watermark of the entities that read it (etl_oldest_watermark; every row while
      one has none), through the source's (updated_at, <pk>) index;
    - an intermediate model: every row (its tests check the transformation over the
      whole source; an orchestrated incremental run leaves them to full checks, and tests
      the rows it loads from it in the entity tables);
    - anything else (history dimensions rebuilt whole, views over the warehouse): every
      row. -#}
{% macro etl_test_scope(relation) %}
    {% if not execute or flags.WHICH != 'build' or ecommerce_dw.etl_full_checks() %}{{ return('') }}{% endif %}
    {% set nodes = graph.nodes.values() | selectattr('resource_type', 'in', ['model', 'snapshot'])
        | selectattr('schema', 'equalto', relation.schema) | selectattr('alias', 'equalto', relation.identifier) | list %}
    {% set sources = graph.sources.values() | selectattr('source_name', 'equalto', 'oltp')
        | selectattr('schema', 'equalto', relation.schema)
        | selectattr('identifier', 'equalto', relation.identifier) | list %}
    {% if nodes and (nodes[0].config.meta or {}).get('etl') %}
        {{ return("_etl_invocation_id = '" ~ invocation_id ~ "'") }}
    {% elif sources or (nodes and 'staging' in nodes[0].fqn) %}
        {% set oldest = ecommerce_dw.etl_oldest_watermark(ecommerce_dw.etl_entities_downstream((sources or nodes)[0].unique_id)) %}
        {{ return('' if oldest is none else 'updated_at >= ' ~ oldest) }}
    {% endif %}
    {{ return('') }}
{% endmacro %}
