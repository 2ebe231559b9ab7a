-- One row per discount application with its sale and order, the change timestamp that
-- drives fact_descontos (newest of its three source tables) and quarantine reasons.
with

order_item_discounts as (

    select * from {{ ref('stg_oltp__order_item_discounts') }}

),

order_items as (

    select * from {{ ref('stg_oltp__order_items') }}

),

orders as (

    select * from {{ ref('stg_oltp__orders') }}

),

joined as (

    select
        order_item_discounts.order_item_discount_id,
        order_item_discounts.order_item_id,
        order_item_discounts.order_id,
        order_item_discounts.discount_id,
        order_item_discounts.application_level,
        order_item_discounts.discount_amount,
        order_item_discounts.base_amount,
        order_item_discounts.final_amount,
        order_item_discounts.applied_at,
        order_item_discounts.approved,
        order_item_discounts.rejection_reason,
        order_items.product_id,
        order_items.cost_amount,
        orders.customer_id,
        orders.order_number,
        order_item_discounts.created_at as application_created_at,
        order_item_discounts.updated_at as application_updated_at,
        order_items.order_item_id as found_order_item_id,
        orders.order_id as found_order_id,
        order_item_discounts.deleted_at as application_deleted_at,
        order_items.deleted_at as item_deleted_at,
        orders.deleted_at as order_deleted_at,
        greatest(
            order_item_discounts.updated_at,
            coalesce(order_items.updated_at, order_item_discounts.updated_at),
            coalesce(orders.updated_at, order_item_discounts.updated_at)
        ) as alterado_em
    from order_item_discounts
    left join order_items
        on order_item_discounts.order_item_id = order_items.order_item_id
    left join orders
        on order_items.order_id = orders.order_id

),

final as (

    select
        joined.*,
        case
            when joined.order_item_discount_id is null then 'chave_natural_nula'
            when joined.found_order_item_id is null then 'venda_inexistente'
            when joined.found_order_id is null then 'pedido_inexistente'
            when joined.discount_amount < 0 then 'desconto_negativo'
            when joined.final_amount <> joined.base_amount - joined.discount_amount then 'valor_final_divergente'
        end as motivo_quarentena
    from joined

)

select * from final
