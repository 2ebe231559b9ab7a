with

sellers as (

    select * from {{ ref('stg_oltp__sellers') }}

),

teams as (

    select * from {{ ref('stg_oltp__teams') }}

),

final as (

    select
        sellers.*,
        teams.team_name,
        managers.seller_name as manager_name,
        -- team and manager names are part of the seller row: their changes re-load it
        greatest(
            sellers.updated_at,
            coalesce(teams.updated_at, sellers.updated_at),
            coalesce(managers.updated_at, sellers.updated_at)
        ) as alterado_em,
        {{ key_quality_reason('sellers.seller_id') }} as motivo_quarentena
    from sellers
    left join teams
        on sellers.team_id = teams.team_id
    left join sellers as managers
        on sellers.manager_seller_id = managers.seller_id

)

select * from final
