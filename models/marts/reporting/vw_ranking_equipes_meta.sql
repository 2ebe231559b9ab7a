{#- dim.VW_RANKING_EQUIPES_META: the operating teams (eh_ativa and situacao 'Ativa')
    ranked by monthly goal, overall and within their regional (row numbers; equal goals
    are ordered by equipe_id, which the original leaves to chance), with the goal per
    member and a goal band. The unknown member (-1) is left out. -#}
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
        -- bigint as in the contract (row_number is an int on Spark)
        cast(row_number() over (
            order by equipes.meta_mensal_equipe desc, equipes.equipe_id asc
        ) as {{ dbt.type_bigint() }}) as ranking_geral,
        cast(row_number() over (
            partition by equipes.regional
            order by equipes.meta_mensal_equipe desc, equipes.equipe_id asc
        ) as {{ dbt.type_bigint() }}) as ranking_regional,
        equipes.equipe_id,
        equipes.nome_equipe,
        equipes.tipo_equipe,
        equipes.regional,
        equipes.meta_mensal_equipe,
        equipes.qtd_membros_atual,
        cast(
            case
                when equipes.qtd_membros_atual > 0
                    then equipes.meta_mensal_equipe / equipes.qtd_membros_atual
            end as decimal(38, 6)
        ) as meta_per_capita,
        case
            when equipes.meta_mensal_equipe >= 500000 then 'Top (500k+)'
            when equipes.meta_mensal_equipe >= 300000 then 'Alto (300k-500k)'
            when equipes.meta_mensal_equipe >= 150000 then 'Médio (150k-300k)'
            else 'Baixo (<150k)'
        end as faixa_meta
    from equipes

)

select * from final
