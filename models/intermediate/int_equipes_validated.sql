with

teams as (

    select * from {{ ref('stg_oltp__teams') }}

),

regions as (

    select * from {{ ref('stg_oltp__regions') }}

),

sellers as (

    select * from {{ ref('stg_oltp__sellers') }}

),

team_goals as (

    select
        team_id,
        sum(case when deleted_at is null then monthly_goal_amount else 0 end) as meta_mensal_equipe,
        max(updated_at) as sellers_updated_at
    from sellers
    where team_id is not null
    group by team_id

),

final as (

    select
        teams.*,
        regions.region_name,
        coalesce(team_goals.meta_mensal_equipe, 0) as meta_mensal_equipe,
        -- a team row sums its sellers' goals: any seller or region change re-loads teams
        greatest(
            teams.updated_at,
            coalesce(regions.updated_at, teams.updated_at),
            coalesce(team_goals.sellers_updated_at, teams.updated_at)
        ) as alterado_em,
        {{ key_quality_reason('teams.team_id') }} as motivo_quarentena
    from teams
    left join regions
        on teams.region_id = regions.region_id
    left join team_goals
        on teams.team_id = team_goals.team_id

)

select * from final
