{#- What a snapshot reads: on a run that is not a full check, once the snapshot exists,
    only the source rows whose key changed at or after the newest updated_at it holds,
    found through the source's (updated_at, <pk>) index and copied once into
    ctl.etl_pending__<snapshot> (etl_pending), so the snapshot, its audit window and its
    counts read what changed. dbt's timestamp strategy then versions them as it would
    with the whole source. A row deleted from the source cannot be seen this way: with
    etl_full_checks, the snapshot reads the whole relation and closes the versions of
    rows gone from it (hard_deletes: invalidate, dbt_project.yml). -#}
{% macro etl_snapshot_source(relation, id_column) %}
    {% if not execute or flags.WHICH not in ['run', 'build', 'snapshot'] or ecommerce_dw.etl_full_checks()
        or adapter.get_relation(this.database, this.schema, this.identifier) is none %}
        {{ return(relation) }}
    {% endif %}
    {% set newest = run_query("select max(updated_at) from " ~ this).rows %}
    {% if not newest or newest[0][0] is none %}{{ return(relation) }}{% endif %}
    {{ return(ecommerce_dw.etl_pending(relation, id_column, "select " ~ id_column ~ " as changed_key from "
        ~ relation ~ " where updated_at >= " ~ ecommerce_dw.timestamp_literal(newest[0][0]))) }}
{% endmacro %}
