-- One row per seller with its team, its manager and whether it leads anyone (the
-- original's eh_lider: a live seller reports to it). The seller row depends on those
-- rows: a change of its team, its manager or a subordinate re-loads it.
with

sellers as (

    select * from {{ ref('stg_oltp__sellers') }}

),

teams as (

    select * from {{ ref('stg_oltp__teams') }}

),

subordinates as (

    select
        manager_seller_id,
        sum(case when deleted_at is null then 1 else 0 end) as subordinados_ativos,
        max(updated_at) as subordinados_alterados_em
    from sellers
    where manager_seller_id is not null
    group by manager_seller_id

),

final as (

    select
        sellers.*,
        teams.team_name,
        teams.team_type,
        teams.team_category,
        managers.seller_name as manager_name,
        coalesce(subordinates.subordinados_ativos, 0) as subordinados_ativos,
        greatest(
            sellers.updated_at,
            coalesce(teams.updated_at, sellers.updated_at),
            coalesce(managers.updated_at, sellers.updated_at),
            coalesce(subordinates.subordinados_alterados_em, sellers.updated_at)
        ) as alterado_em,
        {{ key_quality_reason('sellers.seller_id') }} as motivo_quarentena
    from sellers
    left join teams
        on sellers.team_id = teams.team_id
    left join sellers as managers
        on sellers.manager_seller_id = managers.seller_id
    left join subordinates
        on sellers.seller_id = subordinates.manager_seller_id

)

select * from final
