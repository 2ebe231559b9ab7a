{#- The oldest watermark (updated_at) among the active entities named (all of them when
    `entities` is none) in ctl.etl_control, as a timestamp literal: every source row an
    incremental run of those entities can load changed at or after it. None while the
    table is missing or one of them has no watermark yet. -#}
{% macro etl_oldest_watermark(entities=none) %}
    {% set control = ecommerce_dw.etl_relation('ctl', 'etl_control') %}
    {% if not execute or adapter.get_relation(control.database, control.schema, control.identifier) is none
        or entities == [] %}
        {{ return(none) }}
    {% endif %}
    {% set named = "" if entities is none else " and entity_name in ('" ~ entities | join("', '") ~ "')" %}
    {% set found = run_query("select count(*), count(watermark_updated_at), min(watermark_updated_at) from "
        ~ control ~ " where " ~ ecommerce_dw.is_true('is_active') ~ named).rows %}
    {% if not found or found[0][0] | int == 0 or found[0][0] != found[0][1] %}{{ return(none) }}{% endif %}
    {{ return(ecommerce_dw.timestamp_literal(found[0][2])) }}
{% endmacro %}
