-- Flags arrive as boolean, smallint 0/1 or bit, as the source was ported: normalised here.
select
    supplier_id,
    supplier_code,
    trim(supplier_name) as supplier_name,
    country,
    {{ flag_to_boolean('is_active') }} as is_active,
    created_at,
    updated_at,
    deleted_at
from {{ source('oltp', 'suppliers') }}
