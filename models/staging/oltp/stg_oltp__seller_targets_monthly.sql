with

seller_targets_monthly as (

    select * from {{ source('oltp', 'seller_targets_monthly') }}

),

final as (

    select
        seller_target_id,
        seller_id,
        target_month,
        target_amount,
        target_quantity,
        created_at,
        updated_at,
        deleted_at
    from seller_targets_monthly

)

select * from final
