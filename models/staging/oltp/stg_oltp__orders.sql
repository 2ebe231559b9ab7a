with

orders as (

    select * from {{ source('oltp', 'orders') }}

),

final as (

    select
        order_id,
        order_number,
        customer_id,
        seller_id,
        region_id,
        order_status,
        payment_status,
        order_date,
        approved_at,
        shipped_at,
        delivered_at,
        canceled_at,
        sales_channel,
        upper(trim(currency_code)) as currency_code,
        notes,
        created_at,
        updated_at,
        deleted_at
    from orders

)

select * from final
