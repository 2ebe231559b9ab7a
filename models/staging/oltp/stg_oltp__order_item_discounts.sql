-- Flags arrive as boolean, smallint 0/1 or bit, as the source was ported: normalised here.
select
    order_item_discount_id,
    order_item_id,
    order_id,
    discount_id,
    application_level,
    discount_amount,
    base_amount,
    final_amount,
    applied_at,
    {{ flag_to_boolean('approved') }} as approved,
    rejection_reason,
    created_at,
    updated_at,
    deleted_at
from {{ source('oltp', 'order_item_discounts') }}
