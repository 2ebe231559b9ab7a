-- Flags arrive as boolean, smallint 0/1 or bit, as the source was ported: normalised here.
select
    order_item_id,
    order_id,
    item_number,
    product_id,
    quantity,
    unit_price,
    gross_amount,
    discount_amount,
    net_amount,
    cost_amount,
    return_quantity,
    returned_amount,
    commission_percent,
    commission_amount,
    {{ flag_to_boolean('had_discount') }} as had_discount,
    created_at,
    updated_at,
    deleted_at
from {{ source('oltp', 'order_items') }}
