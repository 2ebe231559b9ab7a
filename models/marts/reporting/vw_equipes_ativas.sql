{#- dim.VW_EQUIPES_ATIVAS: the operating teams (eh_ativa and situacao 'Ativa') with
    their goals, head count, goal per member, size band, leader and months since
    creation (to reporting_now(), month boundaries like SQL Server's DATEDIFF). The
    source carries no unit goal, ideal head count or leader e-mail (typed NULLs, so
    vagas_em_aberto is NULL too). The unknown member (-1) is left out. -#}
{{ config(schema='dim') }}

with

dim_equipe as (

    select * from {{ ref('dim_equipe') }}

),

equipes as (

    select
        dim_equipe.*,
        cast(null as {{ dbt.type_int() }}) as qtd_meta_vendas_mes,
        cast(null as {{ dbt.type_int() }}) as qtd_membros_ideal,
        cast(null as varchar(255)) as email_lider
    from dim_equipe
    where
        dim_equipe.equipe_id <> -1
        and {{ ecommerce_dw.is_true('dim_equipe.eh_ativa') }}
        and dim_equipe.situacao = 'Ativa'

),

final as (

    select
        equipes.equipe_id,
        equipes.equipe_original_id,
        equipes.nome_equipe,
        equipes.codigo_equipe,
        equipes.tipo_equipe,
        equipes.categoria_equipe,
        equipes.regional,
        equipes.estado_sede,
        equipes.cidade_sede,
        equipes.meta_mensal_equipe,
        equipes.meta_trimestral_equipe,
        equipes.meta_anual_equipe,
        equipes.qtd_meta_vendas_mes,
        equipes.qtd_membros_atual,
        equipes.qtd_membros_ideal,
        equipes.qtd_membros_ideal - equipes.qtd_membros_atual as vagas_em_aberto,
        cast(
            case
                when equipes.qtd_membros_atual > 0
                    then equipes.meta_mensal_equipe / equipes.qtd_membros_atual
            end as decimal(38, 6)
        ) as meta_mensal_per_capita,
        case
            when equipes.qtd_membros_atual >= 10 then 'Grande (10+)'
            when equipes.qtd_membros_atual >= 5 then 'Média (5-9)'
            when equipes.qtd_membros_atual >= 1 then 'Pequena (1-4)'
            else 'Vazia (0)'
        end as porte_equipe,
        equipes.lider_equipe_id,
        equipes.nome_lider,
        equipes.email_lider,
        equipes.data_criacao,
        cast({{ dbt.datediff('equipes.data_criacao', ecommerce_dw.reporting_now(), 'month') }} as {{ dbt.type_int() }}) as meses_ativa
    from equipes

)

select * from final
