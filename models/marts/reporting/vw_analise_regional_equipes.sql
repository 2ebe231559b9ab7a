{#- dim.VW_ANALISE_REGIONAL_EQUIPES: per regional, the operating teams (eh_ativa and
    situacao 'Ativa'): how many, their members, the regional goal, its average, minimum
    and maximum per team, the goal per member, and the teams by type. The unknown member
    (-1) is left out. -#}
{{ config(schema='dim') }}

with

dim_equipe as (

    select * from {{ ref('dim_equipe') }}

),

equipes as (

    select dim_equipe.* from dim_equipe
    where
        dim_equipe.equipe_id <> -1
        and {{ ecommerce_dw.is_true('dim_equipe.eh_ativa') }}
        and dim_equipe.situacao = 'Ativa'

),

final as (

    select
        equipes.regional,
        count(*) as total_equipes,
        cast(sum(equipes.qtd_membros_atual) as {{ dbt.type_int() }}) as total_vendedores,
        sum(equipes.meta_mensal_equipe) as meta_mensal_regional,
        cast(avg(equipes.meta_mensal_equipe) as decimal(38, 6)) as meta_media_por_equipe,
        min(equipes.meta_mensal_equipe) as menor_meta,
        max(equipes.meta_mensal_equipe) as maior_meta,
        cast(sum(equipes.meta_mensal_equipe) / nullif(sum(equipes.qtd_membros_atual), 0) as decimal(38, 6)) as meta_per_capita_regional,
        cast(sum(case when equipes.tipo_equipe = 'Vendas Diretas' then 1 else 0 end) as {{ dbt.type_int() }}) as equipes_diretas,
        cast(sum(case when equipes.tipo_equipe = 'Inside Sales' then 1 else 0 end) as {{ dbt.type_int() }}) as equipes_inside,
        cast(sum(case when equipes.tipo_equipe = 'Key Accounts' then 1 else 0 end) as {{ dbt.type_int() }}) as equipes_key_accounts,
        cast(sum(case when equipes.tipo_equipe = 'E-commerce' then 1 else 0 end) as {{ dbt.type_int() }}) as equipes_ecommerce
    from equipes
    group by equipes.regional

)

select * from final
