{#- The order items whose row in int_vendas_validated may be past the watermark `since`
    (etl_changes_since): the rows etl_changed finds in every table feeding its change
    timestamp (alterado_em), each read through its own (updated_at, <pk>) index:
    - the item itself;
    - its order (the items of an order through UNIQUE (order_id, item_number));
    - for an order without a region, the customer and the region rows of the customer's
      city. The source has no index from a customer to its orders, so those items are
      found in the warehouse's fact_vendas (`sales`, by cliente_id), plus every item the
      warehouse quarantined (an item that is neither loaded nor quarantined has not been
      in a window yet, so it is past the watermark by its own timestamps).
    fact_metas passes no `sales`: its sale events change with the item and the order only
    (its figures do not depend on the customer or the region). -#}
{% macro changed_order_items(since, sales=none) -%}
    select order_item_id as changed_key
    from {{ ref('stg_oltp__order_items') }}
    where {{ ecommerce_dw.etl_changed(since, 'updated_at', 'order_item_id') }}
    union
    select order_items.order_item_id
    from {{ ref('stg_oltp__orders') }} as orders
    inner join {{ ref('stg_oltp__order_items') }} as order_items
        on orders.order_id = order_items.order_id
    where {{ ecommerce_dw.etl_changed(since, 'orders.updated_at', 'order_items.order_item_id') }}
    {%- if sales is not none %}
    union
    select sales.venda_id
    from {{ ref('stg_oltp__customers') }} as customers
    inner join {{ sales }} as sales
        on customers.customer_id = sales.cliente_id
    where {{ ecommerce_dw.etl_changed(since, 'customers.updated_at', 'sales.venda_id') }}
    union
    select sales.venda_id
    from {{ ref('stg_oltp__regions') }} as regions
    inner join {{ ref('stg_oltp__customers') }} as customers
        on regions.state = customers.state
        and regions.city = customers.city
    inner join {{ sales }} as sales
        on customers.customer_id = sales.cliente_id
    where {{ ecommerce_dw.etl_changed(since, 'regions.updated_at', 'sales.venda_id') }}
    union
    select quarantined.natural_key
    from {{ ecommerce_dw.etl_relation('audit', 'etl_quarantine') }} as quarantined
    where quarantined.entity_name = 'fact_vendas'
    {%- endif %}
{%- endmacro %}
