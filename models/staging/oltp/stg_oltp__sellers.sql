select
    seller_id,
    seller_code,
    trim(seller_name) as seller_name,
    team_id,
    manager_seller_id,
    upper(trim(home_state)) as home_state,
    home_city,
    monthly_goal_amount,
    hire_date,
    seller_status,
    created_at,
    updated_at,
    deleted_at
from {{ source('oltp', 'sellers') }}
