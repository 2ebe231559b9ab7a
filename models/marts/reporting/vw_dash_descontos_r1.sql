{#- fact.VW_DASH_DESCONTOS_R1: what the discounts dashboard reads. One row per discount
    application of fact_descontos with the campaign, date, customer, product, the sale's
    region and seller, the margin status and the return on the discount. Soft-deleted
    applications are left out; joins are left joins (the original's inner joins to the
    campaign, date, customer and sale lose nothing while keys are complete). -#}
{{ config(schema='fact') }}

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

dim_cliente as (

    select * from {{ ref('dim_cliente') }}

),

fact_vendas as (

    select * from {{ ref('fact_vendas') }}

),

dim_produto as (

    select * from {{ ref('dim_produto') }}

),

dim_regiao as (

    select * from {{ ref('dim_regiao') }}

),

dim_vendedor as (

    select * from {{ ref('dim_vendedor') }}

),

final as (

    select
        fact_descontos.desconto_aplicado_id,
        fact_descontos.desconto_aplicado_original_id,
        fact_descontos.venda_id,
        fact_vendas.venda_original_id,
        fact_descontos.numero_pedido,
        fact_descontos.data_aplicacao_id,
        dim_data.data_completa,
        dim_data.ano,
        dim_data.trimestre,
        dim_data.mes,
        dim_data.nome_mes,
        fact_descontos.desconto_id,
        dim_desconto.desconto_original_id,
        dim_desconto.codigo_desconto,
        dim_desconto.nome_campanha,
        dim_desconto.tipo_desconto,
        dim_desconto.metodo_desconto,
        -- the original's coalesce(origem_campanha / canal_divulgacao, 'Nao informado'):
        -- the source carries neither, so always 'Nao informado'
        cast('Nao informado' as varchar(50)) as origem_campanha,
        cast('Nao informado' as varchar(50)) as canal_divulgacao,
        fact_descontos.cliente_id,
        dim_cliente.nome_cliente,
        dim_cliente.tipo_cliente,
        dim_cliente.segmento,
        fact_descontos.produto_id,
        dim_produto.nome_produto,
        dim_produto.categoria,
        dim_produto.subcategoria,
        dim_produto.marca,
        fact_vendas.regiao_id,
        dim_regiao.estado,
        dim_regiao.cidade,
        dim_regiao.regiao_pais,
        fact_vendas.vendedor_id,
        dim_vendedor.nome_vendedor,
        dim_vendedor.nome_equipe,
        fact_descontos.nivel_aplicacao,
        cast(fact_descontos.valor_sem_desconto as decimal(15, 2)) as valor_sem_desconto,
        cast(fact_descontos.valor_desconto_aplicado as decimal(15, 2)) as valor_desconto_aplicado,
        cast(fact_descontos.valor_com_desconto as decimal(15, 2)) as valor_com_desconto,
        cast(fact_descontos.percentual_desconto_efetivo as decimal(8, 2)) as percentual_desconto_efetivo,
        cast(fact_descontos.margem_antes_desconto as decimal(15, 2)) as margem_antes_desconto,
        cast(fact_descontos.margem_apos_desconto as decimal(15, 2)) as margem_apos_desconto,
        cast(fact_descontos.impacto_margem as decimal(15, 2)) as impacto_margem,
        {{ ecommerce_dw.status_margem('fact_descontos.margem_antes_desconto', 'fact_descontos.margem_apos_desconto', labels='dash') }} as status_margem,
        fact_descontos.desconto_aprovado,
        fact_descontos.motivo_rejeicao,
        cast(
            case
                when fact_descontos.valor_desconto_aplicado > 0
                    then
                        (fact_descontos.valor_com_desconto - fact_descontos.valor_desconto_aplicado)
                        / fact_descontos.valor_desconto_aplicado
                else 0
            end as decimal(12, 4)
        ) as roi_desconto,
        cast(
            case
                when fact_descontos.valor_com_desconto > 0
                    then fact_descontos.impacto_margem / fact_descontos.valor_com_desconto
                else 0
            end as decimal(12, 4)
        ) as impacto_margem_pct_receita,
        fact_descontos.data_inclusao,
        fact_descontos.data_atualizacao
    from fact_descontos
    left join dim_desconto
        on fact_descontos.desconto_id = dim_desconto.desconto_id
    left join dim_data
        on fact_descontos.data_aplicacao_id = dim_data.data_id
    left join dim_cliente
        on fact_descontos.cliente_id = dim_cliente.cliente_id
    left join fact_vendas
        on fact_descontos.venda_id = fact_vendas.venda_id
    left join dim_produto
        on fact_descontos.produto_id = dim_produto.produto_id
    left join dim_regiao
        on fact_vendas.regiao_id = dim_regiao.regiao_id
    left join dim_vendedor
        on fact_vendas.vendedor_id = dim_vendedor.vendedor_id
    where not ({{ ecommerce_dw.is_true('fact_descontos._etl_source_deleted') }})

)

select * from final
