-- Goals against actuals by seller and month, with the seller's team and region: what
-- the goals dashboard reads (today's VW_DASH_METAS_R1).
with

fact_metas as (

    select * from {{ ref('fact_metas') }}

),

dim_vendedor as (

    select * from {{ ref('dim_vendedor') }}

),

dim_equipe as (

    select * from {{ ref('dim_equipe') }}

),

final as (

    select
        fact_metas.vendedor_key,
        dim_vendedor.nome_vendedor,
        dim_vendedor.matricula,
        dim_vendedor.situacao as situacao_vendedor,
        fact_metas.equipe_key,
        dim_equipe.nome_equipe,
        dim_equipe.tipo_equipe,
        dim_equipe.categoria_equipe,
        dim_equipe.regional,
        fact_metas.data_key,
        fact_metas.mes_referencia,
        fact_metas.tipo_periodo,
        fact_metas.valor_meta,
        fact_metas.quantidade_meta,
        fact_metas.valor_realizado,
        fact_metas.quantidade_realizada,
        fact_metas.quantidade_pedidos,
        fact_metas.percentual_atingido,
        fact_metas.gap_meta,
        fact_metas.ticket_medio_realizado,
        fact_metas.meta_batida,
        fact_metas.meta_superada,
        fact_metas.ranking_periodo,
        fact_metas.quartil_performance,
        fact_metas.eh_periodo_fechado
    from fact_metas
    left join dim_vendedor
        on fact_metas.vendedor_key = dim_vendedor.vendedor_key
    left join dim_equipe
        on fact_metas.equipe_key = dim_equipe.equipe_key

)

select * from final
