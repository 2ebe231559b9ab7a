-- Sales at item grain joined to every dimension, with margem_bruta: what the sales
-- dashboard reads (today's VW_DASH_VENDAS_R1). Soft-deleted sales are left out.
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

dim_equipe as (

    select * from {{ ref('dim_equipe') }}

),

final as (

    select
        fact_vendas.venda_key,
        fact_vendas.numero_pedido,
        fact_vendas.pedido_original_id,
        fact_vendas.data_pedido,
        dim_data.data,
        dim_data.ano,
        dim_data.mes,
        dim_data.periodo_mes,
        dim_data.nome_dia_semana,
        dim_data.dia_da_semana,
        fact_vendas.status_pedido,
        fact_vendas.canal_venda,
        fact_vendas.cliente_key,
        dim_cliente.tipo_cliente,
        dim_cliente.segmento,
        dim_cliente.estado as estado_cliente,
        fact_vendas.produto_key,
        dim_produto.nome_produto,
        dim_produto.categoria,
        dim_produto.subcategoria,
        dim_produto.marca,
        fact_vendas.regiao_key,
        dim_regiao.regiao_pais,
        dim_regiao.estado,
        dim_regiao.cidade,
        fact_vendas.vendedor_key,
        dim_vendedor.nome_vendedor,
        dim_vendedor.equipe_key,
        dim_equipe.nome_equipe,
        dim_equipe.tipo_equipe,
        dim_equipe.regional,
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
        fact_vendas.teve_desconto
    from fact_vendas
    left join dim_data
        on fact_vendas.data_key = dim_data.data_key
    left join dim_cliente
        on fact_vendas.cliente_key = dim_cliente.cliente_key
    left join dim_produto
        on fact_vendas.produto_key = dim_produto.produto_key
    left join dim_regiao
        on fact_vendas.regiao_key = dim_regiao.regiao_key
    left join dim_vendedor
        on fact_vendas.vendedor_key = dim_vendedor.vendedor_key
    left join dim_equipe
        on dim_vendedor.equipe_key = dim_equipe.equipe_key
    where not ({{ is_true('fact_vendas._etl_source_deleted') }})

)

select * from final
