-- Flags arrive as boolean, smallint 0/1 or bit, as the source was ported: normalised here.
select
    seller_target_id,
    seller_id,
    target_month,
    target_amount,
    target_quantity,
    realized_amount,
    realized_quantity,
    period_type,
    {{ flag_to_boolean('period_closed') }} as period_closed,
    created_at,
    updated_at,
    deleted_at
from {{ source('oltp', 'seller_targets_monthly') }}
