{#- fact.VW_METAS_COMPLETA: every goal row of fact_metas (seller x month) with its
    period, the seller and the seller's current team, and a performance band
    (faixa_performance) from percentual_atingido. Soft-deleted goals are left out;
    joins are left joins. -#}
{{ config(schema='fact') }}

with

fact_metas as (

    select * from {{ ref('fact_metas') }}

),

dim_data as (

    select * from {{ ref('dim_data') }}

),

dim_vendedor as (

    select * from {{ ref('dim_vendedor') }}

),

dim_equipe as (

    select * from {{ ref('dim_equipe') }}

),

final as (

    select
        fact_metas.meta_id,
        fact_metas.vendedor_id,
        fact_metas.data_id,
        dim_data.data_completa as data_periodo,
        dim_data.ano,
        dim_data.trimestre,
        dim_data.mes,
        dim_data.nome_mes,
        fact_metas.tipo_periodo,
        fact_metas.eh_periodo_fechado,
        dim_vendedor.nome_vendedor,
        dim_vendedor.nome_exibicao as apelido_vendedor,
        dim_vendedor.cargo,
        dim_vendedor.nivel_senioridade,
        dim_vendedor.equipe_id,
        dim_equipe.nome_equipe,
        dim_equipe.tipo_equipe,
        dim_equipe.regional,
        fact_metas.valor_meta,
        fact_metas.quantidade_meta,
        fact_metas.valor_realizado,
        fact_metas.quantidade_realizada,
        fact_metas.percentual_atingido,
        fact_metas.gap_meta,
        fact_metas.ticket_medio_realizado,
        fact_metas.ranking_periodo,
        fact_metas.quartil_performance,
        fact_metas.meta_batida,
        fact_metas.meta_superada,
        -- the original's CASE: a NULL percentage (no goal) falls to 'Crítico (<50%)'
        case
            when fact_metas.percentual_atingido >= 120 then 'Excepcional (120%+)'
            when fact_metas.percentual_atingido >= 100 then 'Atingiu (100-120%)'
            when fact_metas.percentual_atingido >= 80 then 'Próximo (80-100%)'
            when fact_metas.percentual_atingido >= 50 then 'Abaixo (50-80%)'
            else 'Crítico (<50%)'
        end as faixa_performance,
        fact_metas.data_inclusao,
        fact_metas.data_ultima_atualizacao
    from fact_metas
    left join dim_data
        on fact_metas.data_id = dim_data.data_id
    left join dim_vendedor
        on fact_metas.vendedor_id = dim_vendedor.vendedor_id
    left join dim_equipe
        on dim_vendedor.equipe_id = dim_equipe.equipe_id
    where not ({{ ecommerce_dw.is_true('fact_metas._etl_source_deleted') }})

)

select * from final
