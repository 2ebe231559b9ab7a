-- Flags arrive as boolean, smallint 0/1 or bit, as the source was ported: normalised here.
select
    region_id,
    region_code,
    country,
    region_name,
    state,
    state_name,
    city,
    ibge_code,
    {{ flag_to_boolean('is_active') }} as is_active,
    created_at,
    updated_at,
    deleted_at
from {{ source('oltp', 'regions') }}
