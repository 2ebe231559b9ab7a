-- Discount applications with the campaign, the margin status and the return on the
-- discount: what the discounts dashboard reads (today's VW_DASH_DESCONTOS_R1).
with

fact_descontos as (

    select * from {{ ref('fact_descontos') }}

),

dim_desconto as (

    select * from {{ ref('dim_desconto') }}

),

dim_data as (

    select * from {{ ref('dim_data') }}

),

fact_vendas as (

    select * from {{ ref('fact_vendas') }}

),

dim_regiao as (

    select * from {{ ref('dim_regiao') }}

),

final as (

    select
        fact_descontos.desconto_aplicado_key,
        fact_descontos.venda_key,
        fact_descontos.data_aplicacao,
        dim_data.data,
        dim_data.periodo_mes,
        fact_descontos.desconto_key,
        dim_desconto.codigo_desconto,
        dim_desconto.nome_campanha,
        dim_desconto.tipo_desconto,
        dim_desconto.metodo_desconto,
        fact_descontos.nivel_aplicacao,
        fact_vendas.regiao_key,
        dim_regiao.regiao_pais,
        dim_regiao.estado,
        fact_descontos.cliente_key,
        fact_descontos.produto_key,
        fact_descontos.valor_desconto_aplicado,
        fact_descontos.valor_sem_desconto,
        fact_descontos.valor_com_desconto,
        fact_descontos.margem_antes_desconto,
        fact_descontos.margem_apos_desconto,
        fact_descontos.impacto_margem,
        fact_descontos.percentual_desconto_efetivo,
        fact_descontos.desconto_aprovado,
        fact_descontos.motivo_rejeicao,
        {{ status_margem('fact_descontos.margem_antes_desconto', 'fact_descontos.margem_apos_desconto') }} as status_margem,
        case
            when fact_descontos.valor_desconto_aplicado > 0
                then (fact_descontos.valor_com_desconto - fact_descontos.valor_desconto_aplicado)
                    / fact_descontos.valor_desconto_aplicado
        end as roi_desconto
    from fact_descontos
    left join dim_desconto
        on fact_descontos.desconto_key = dim_desconto.desconto_key
    left join dim_data
        on fact_descontos.data_key = dim_data.data_key
    left join fact_vendas
        on fact_descontos.venda_key = fact_vendas.venda_key
    left join dim_regiao
        on fact_vendas.regiao_key = dim_regiao.regiao_key
    where not ({{ is_true('fact_descontos._etl_source_deleted') }})

)

select * from final
