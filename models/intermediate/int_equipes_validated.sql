-- One row per team with its region, its sellers' goals and head count, and its leader
-- (the original's rule: the team's live seller without a manager first, then the lowest
-- id). A team row depends on its region and its sellers: their changes re-load the teams.
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

team_sellers as (

    select
        team_id,
        sum(case when deleted_at is null then coalesce(monthly_goal_amount, 0) else 0 end) as meta_mensal_equipe,
        sum(case when deleted_at is null and seller_status = 'Ativo' then 1 else 0 end) as qtd_membros_atual,
        max(updated_at) as sellers_updated_at
    from sellers
    where team_id is not null
    group by team_id

),

leader_candidates as (

    select
        team_id,
        seller_id,
        seller_name,
        row_number() over (
            partition by team_id
            order by case when manager_seller_id is null then 0 else 1 end, seller_id
        ) as leader_rank
    from sellers
    where team_id is not null
        and deleted_at is null

),

leaders as (

    select
        team_id,
        seller_id,
        seller_name
    from leader_candidates
    where leader_rank = 1

),

final as (

    select
        teams.*,
        regions.region_name,
        regions.state as region_state,
        regions.city as region_city,
        coalesce(team_sellers.meta_mensal_equipe, 0) as meta_mensal_equipe,
        coalesce(team_sellers.qtd_membros_atual, 0) as qtd_membros_atual,
        leaders.seller_id as leader_seller_id,
        leaders.seller_name as leader_name,
        greatest(
            teams.updated_at,
            coalesce(regions.updated_at, teams.updated_at),
            coalesce(team_sellers.sellers_updated_at, teams.updated_at)
        ) as alterado_em,
        {{ key_quality_reason('teams.team_id') }} as motivo_quarentena
    from teams
    left join regions
        on teams.region_id = regions.region_id
    left join team_sellers
        on teams.team_id = team_sellers.team_id
    left join leaders
        on teams.team_id = leaders.team_id

)

select * from final
