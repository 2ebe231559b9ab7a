{#- fact.VW_DASH_VENDAS_R1: what the sales dashboard reads. One row per order item of
    fact_vendas with its date, customer, product, region and seller, and margem_bruta.
    Soft-deleted items are left out; joins are left joins, so no sale drops out while
    a dimension row is late (the original's inner joins lose nothing either, its keys
    being complete). -#}
{{ config(schema='fact') }}

with

fact_vendas as (

    select * from {{ ref('fact_vendas') }}

),

dim_data as (

    select * from {{ ref('dim_data') }}

),

dim_cliente as (

    select * from {{ ref('dim_cliente') }}

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
        fact_vendas.venda_id,
        fact_vendas.venda_original_id,
        fact_vendas.numero_pedido,
        fact_vendas.data_id,
        dim_data.data_completa,
        dim_data.ano,
        dim_data.trimestre,
        dim_data.mes,
        dim_data.nome_mes,
        fact_vendas.cliente_id,
        dim_cliente.nome_cliente,
        dim_cliente.tipo_cliente,
        dim_cliente.segmento,
        fact_vendas.produto_id,
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
        fact_vendas.quantidade_vendida,
        fact_vendas.preco_unitario_tabela,
        fact_vendas.valor_total_bruto,
        fact_vendas.valor_total_descontos,
        fact_vendas.valor_total_liquido,
        fact_vendas.custo_total,
        fact_vendas.valor_total_liquido - fact_vendas.custo_total as margem_bruta,
        fact_vendas.quantidade_devolvida,
        fact_vendas.valor_devolvido,
        fact_vendas.percentual_comissao,
        fact_vendas.valor_comissao,
        fact_vendas.teve_desconto,
        fact_vendas.data_inclusao,
        fact_vendas.data_atualizacao
    from fact_vendas
    left join dim_data
        on fact_vendas.data_id = dim_data.data_id
    left join dim_cliente
        on fact_vendas.cliente_id = dim_cliente.cliente_id
    left join dim_produto
        on fact_vendas.produto_id = dim_produto.produto_id
    left join dim_regiao
        on fact_vendas.regiao_id = dim_regiao.regiao_id
    left join dim_vendedor
        on fact_vendas.vendedor_id = dim_vendedor.vendedor_id
    where not ({{ ecommerce_dw.is_true('fact_vendas._etl_source_deleted') }})

)

select * from final
