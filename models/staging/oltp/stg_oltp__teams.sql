-- Flags arrive as boolean, smallint 0/1 or bit, as the source was ported: normalised here.
select
    team_id,
    team_code,
    trim(team_name) as team_name,
    team_type,
    team_category,
    region_id,
    {{ flag_to_boolean('is_active') }} as is_active,
    created_at,
    updated_at,
    deleted_at
from {{ source('oltp', 'teams') }}
