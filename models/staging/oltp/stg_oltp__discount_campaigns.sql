with

discount_campaigns as (

    select * from {{ source('oltp', 'discount_campaigns') }}

),

final as (

    select
        discount_id,
        discount_code,
        trim(campaign_name) as campaign_name,
        description,
        discount_type,
        discount_method,
        discount_value,
        min_order_value,
        max_discount_value,
        max_uses_per_customer,
        max_uses_total,
        apply_scope,
        product_restriction,
        start_at,
        end_at,
        is_active,
        is_stackable,
        approval_required,
        usage_count,
        total_revenue,
        total_discount,
        created_at,
        updated_at,
        deleted_at
    from discount_campaigns

)

select * from final
