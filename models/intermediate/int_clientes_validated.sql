-- One row per customer with its purchase history (the original's historical aggregates of
-- dim_cliente), the change timestamp that drives dim_cliente and the quarantine reason.
-- The history changes with the customer's orders and items, so their changes re-load the
-- customer.
with

customers as (

    select * from {{ ref('stg_oltp__customers') }}

),

orders as (

    select * from {{ ref('stg_oltp__orders') }}

),

order_items as (

    select * from {{ ref('stg_oltp__order_items') }}

),

order_totals as (

    select
        orders.order_id,
        orders.customer_id,
        case when orders.deleted_at is null and orders.order_status <> 'Cancelado' then 1 else 0 end as conta_na_historia,
        sum(case when order_items.deleted_at is null then order_items.net_amount else 0 end) as valor_liquido,
        max(greatest(orders.updated_at, coalesce(order_items.updated_at, orders.updated_at))) as alterado_em
    from orders
    left join order_items
        on orders.order_id = order_items.order_id
    group by orders.order_id, orders.customer_id, orders.deleted_at, orders.order_status

),

purchase_history as (

    select
        customer_id,
        sum(conta_na_historia) as total_compras_historico,
        sum(case when conta_na_historia = 1 then valor_liquido else 0 end) as valor_total_gasto_historico,
        max(alterado_em) as vendas_alteradas_em
    from order_totals
    group by customer_id

),

final as (

    select
        customers.*,
        coalesce(purchase_history.total_compras_historico, 0) as total_compras_historico,
        cast(coalesce(purchase_history.valor_total_gasto_historico, 0) as decimal(15, 2)) as valor_total_gasto_historico,
        case
            when purchase_history.total_compras_historico > 0
                then cast(round(purchase_history.valor_total_gasto_historico / purchase_history.total_compras_historico, 2) as decimal(15, 2))
        end as ticket_medio_historico,
        greatest(customers.updated_at, coalesce(purchase_history.vendas_alteradas_em, customers.updated_at)) as alterado_em,
        {{ key_quality_reason('customers.customer_id') }} as motivo_quarentena
    from customers
    left join purchase_history
        on customers.customer_id = purchase_history.customer_id

)

select * from final
