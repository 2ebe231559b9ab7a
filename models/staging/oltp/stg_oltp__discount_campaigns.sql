-- Flags arrive as boolean, smallint 0/1 or bit, as the source was ported: normalised here.
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
        {{ flag_to_boolean('is_active') }} as is_active,
        {{ flag_to_boolean('is_stackable') }} as is_stackable,
        {{ flag_to_boolean('approval_required') }} as approval_required,
        current_usage_count,
        total_revenue_generated,
        total_discount_given,
        created_at,
        updated_at,
        deleted_at
    from discount_campaigns

)

select * from final
