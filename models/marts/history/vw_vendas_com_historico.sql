{#- Consumption example of the history dimensions: each live sale (order item of
    fact_vendas) with the customer and the product as they were when the order was placed
    (the version valid at data_pedido), beside their current state (dim_cliente). The
    question it answers: "which segment, type and value category was the customer in at
    the time of the sale, and at what list price was the product?", which the Type 1
    dimensions cannot answer once the customer or the product changed. Joins are left
    joins on the durable keys, so no sale drops out; every sale finds exactly one
    version (the history ranges are chained and start in 1900). -#}
{{ config(materialized='view', schema='fact') }}

with

fact_vendas as (

    select * from {{ ref('fact_vendas') }}

),

dim_cliente_historico as (

    select * from {{ ref('dim_cliente_historico') }}

),

dim_produto_historico as (

    select * from {{ ref('dim_produto_historico') }}

),

dim_cliente as (

    select * from {{ ref('dim_cliente') }}

),

vendas_vivas as (

    select * from fact_vendas
    where not ({{ is_true('fact_vendas._etl_source_deleted') }})

),

final as (

    select
        vendas_vivas.venda_id,
        vendas_vivas.numero_pedido,
        vendas_vivas.data_id,
        vendas_vivas.data_pedido,
        vendas_vivas.cliente_id,
        dim_cliente_historico.numero_versao as versao_cliente_na_venda,
        dim_cliente_historico.segmento as segmento_na_venda,
        dim_cliente_historico.tipo_cliente as tipo_cliente_na_venda,
        dim_cliente_historico.categoria_valor as categoria_valor_na_venda,
        dim_cliente_historico.estado as estado_cliente_na_venda,
        dim_cliente.segmento as segmento_atual,
        dim_cliente.tipo_cliente as tipo_cliente_atual,
        {{ as_boolean('dim_cliente_historico.segmento <> dim_cliente.segmento') }} as mudou_de_segmento,
        vendas_vivas.produto_id,
        dim_produto_historico.numero_versao as versao_produto_na_venda,
        dim_produto_historico.categoria as categoria_produto_na_venda,
        dim_produto_historico.situacao as situacao_produto_na_venda,
        dim_produto_historico.preco_sugerido as preco_sugerido_na_venda,
        dim_produto_historico.preco_custo as preco_custo_na_venda,
        vendas_vivas.preco_unitario_tabela,
        vendas_vivas.quantidade_vendida,
        vendas_vivas.valor_total_liquido,
        vendas_vivas.custo_total,
        vendas_vivas.valor_total_liquido - vendas_vivas.custo_total as margem_bruta
    from vendas_vivas
    left join dim_cliente_historico
        on vendas_vivas.cliente_id = dim_cliente_historico.cliente_id
        and vendas_vivas.data_pedido >= dim_cliente_historico.valido_de
        and vendas_vivas.data_pedido < dim_cliente_historico.valido_ate
    left join dim_produto_historico
        on vendas_vivas.produto_id = dim_produto_historico.produto_id
        and vendas_vivas.data_pedido >= dim_produto_historico.valido_de
        and vendas_vivas.data_pedido < dim_produto_historico.valido_ate
    left join dim_cliente
        on vendas_vivas.cliente_id = dim_cliente.cliente_id

)

select * from final
