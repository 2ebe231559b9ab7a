-- One row per order item with its order, the resolved keys, the change timestamp that
-- drives fact_vendas (the newest of the rows feeding it) and, for bad rows, the reason
-- they are quarantined instead of loaded.
with

order_items as (

    select * from {{ ref('stg_oltp__order_items') }}

),

orders as (

    select * from {{ ref('stg_oltp__orders') }}

),

products as (

    select * from {{ ref('stg_oltp__products') }}

),

customers as (

    select * from {{ ref('stg_oltp__customers') }}

),

regions as (

    select * from {{ ref('stg_oltp__regions') }}

),

regions_by_city as (

    select
        state,
        city,
        min(region_id) as region_id,
        max(updated_at) as updated_at
    from regions
    where deleted_at is null
    group by state, city

),

joined as (

    select
        order_items.order_item_id,
        order_items.order_id,
        order_items.item_number,
        order_items.product_id,
        orders.order_number,
        orders.customer_id,
        orders.seller_id,
        orders.region_id as order_region_id,
        regions_by_city.region_id as customer_region_id,
        orders.order_status,
        orders.sales_channel,
        orders.currency_code,
        orders.order_date,
        order_items.quantity,
        order_items.unit_price,
        order_items.gross_amount,
        order_items.discount_amount,
        order_items.net_amount,
        order_items.cost_amount,
        order_items.return_quantity,
        order_items.returned_amount,
        order_items.commission_percent,
        order_items.commission_amount,
        order_items.had_discount,
        order_items.created_at as item_created_at,
        order_items.updated_at as item_updated_at,
        orders.updated_at as order_updated_at,
        order_items.deleted_at as item_deleted_at,
        orders.deleted_at as order_deleted_at,
        orders.order_id as found_order_id,
        products.product_id as found_product_id,
        -- a change on the order alone (its status) reaches the fact; so does, when the
        -- order has no region of its own, a customer move or a region row for the
        -- customer's city arriving late (the region comes from the customer's city)
        greatest(
            order_items.updated_at,
            coalesce(orders.updated_at, order_items.updated_at),
            coalesce(case when orders.region_id is null then customers.updated_at end, order_items.updated_at),
            coalesce(case when orders.region_id is null then regions_by_city.updated_at end, order_items.updated_at)
        ) as alterado_em
    from order_items
    left join orders
        on order_items.order_id = orders.order_id
    left join products
        on order_items.product_id = products.product_id
    left join customers
        on orders.customer_id = customers.customer_id
    left join regions_by_city
        on customers.state = regions_by_city.state
        and customers.city = regions_by_city.city

),

final as (

    select
        joined.*,
        case
            when joined.order_item_id is null then 'chave_natural_nula'
            when joined.found_order_id is null then 'pedido_inexistente'
            when joined.found_product_id is null then 'produto_inexistente'
            when joined.quantity <= 0 then 'quantidade_invalida'
            when joined.net_amount <> joined.gross_amount - joined.discount_amount then 'valor_liquido_divergente'
            when joined.return_quantity < 0 or joined.return_quantity > joined.quantity then 'devolucao_invalida'
            -- the original rejects a currency other than BRL
            when joined.currency_code <> 'BRL' then 'moeda_invalida'
        end as motivo_quarentena
    from joined

)

select * from final
