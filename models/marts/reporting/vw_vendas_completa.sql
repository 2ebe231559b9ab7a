{#- fact.VW_VENDAS_COMPLETA: every sale (order item) with every dimension joined and the
    derived measures (net quantity, gross profit, margin %, average unit price) and
    flags. Soft-deleted items are left out; joins are left joins. A sale without a
    seller carries vendedor_id -1 (the original: NULL), so eh_venda_direta tests both. -#}
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

dim_equipe as (

    select * from {{ ref('dim_equipe') }}

),

final as (

    select
        fact_vendas.venda_id,
        fact_vendas.numero_pedido,
        fact_vendas.data_id,
        dim_data.data_completa,
        dim_data.ano,
        dim_data.trimestre,
        dim_data.mes,
        dim_data.nome_mes,
        dim_data.dia_da_semana as dia_semana,
        dim_data.nome_dia_semana,
        fact_vendas.cliente_id,
        dim_cliente.nome_cliente,
        dim_cliente.tipo_cliente,
        dim_cliente.segmento,
        dim_cliente.pais as cliente_pais,
        dim_cliente.estado as cliente_estado,
        dim_cliente.cidade as cliente_cidade,
        fact_vendas.produto_id,
        dim_produto.nome_produto,
        dim_produto.codigo_sku,
        dim_produto.categoria,
        dim_produto.subcategoria,
        dim_produto.marca,
        dim_produto.nome_fornecedor,
        fact_vendas.regiao_id,
        dim_regiao.cidade as regiao_entrega_cidade,
        dim_regiao.estado as regiao_entrega_estado,
        dim_regiao.regiao_pais as regiao_entrega_regional,
        fact_vendas.vendedor_id,
        dim_vendedor.nome_vendedor,
        dim_vendedor.cargo as vendedor_cargo,
        dim_vendedor.equipe_id,
        dim_equipe.nome_equipe,
        dim_equipe.tipo_equipe,
        dim_equipe.regional as equipe_regional,
        fact_vendas.quantidade_vendida,
        fact_vendas.quantidade_devolvida,
        fact_vendas.quantidade_vendida - fact_vendas.quantidade_devolvida as quantidade_liquida,
        fact_vendas.preco_unitario_tabela,
        fact_vendas.valor_total_bruto,
        fact_vendas.valor_total_descontos,
        fact_vendas.valor_total_liquido,
        fact_vendas.custo_total,
        fact_vendas.valor_devolvido,
        fact_vendas.valor_total_liquido - fact_vendas.custo_total as lucro_bruto,
        cast(
            case
                when fact_vendas.valor_total_liquido > 0
                    then
                        (fact_vendas.valor_total_liquido - fact_vendas.custo_total) * 100.0
                        / fact_vendas.valor_total_liquido
                else 0
            end as decimal(38, 6)
        ) as margem_percentual,
        -- quantity > 0 on every loaded sale (a zero would be quarantined): nullif only
        -- keeps a bad row from failing the whole query
        cast(fact_vendas.valor_total_liquido / nullif(fact_vendas.quantidade_vendida, 0) as decimal(38, 6)) as preco_medio_unitario,
        fact_vendas.percentual_comissao,
        fact_vendas.valor_comissao,
        fact_vendas.teve_desconto,
        {{ ecommerce_dw.as_boolean('fact_vendas.quantidade_devolvida > 0') }} as teve_devolucao,
        {{ ecommerce_dw.as_boolean('fact_vendas.vendedor_id is null or fact_vendas.vendedor_id = -1') }} as eh_venda_direta,
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
    left join dim_equipe
        on dim_vendedor.equipe_id = dim_equipe.equipe_id
    where not ({{ ecommerce_dw.is_true('fact_vendas._etl_source_deleted') }})

)

select * from final
