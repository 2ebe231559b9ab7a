{#- fact.VW_DESCONTOS_COMPLETA: every discount application with its campaign, date,
    customer and product, the margin status in the original's accented labels
    ('Prejuízo', 'Margem Crítica', 'Margem Reduzida', 'Margem Saudável') and the return
    on the discount. Soft-deleted applications are left out; joins are left joins. -#}
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

dim_produto as (

    select * from {{ ref('dim_produto') }}

),

final as (

    select
        fact_descontos.desconto_aplicado_id,
        fact_descontos.desconto_id,
        fact_descontos.venda_id,
        fact_descontos.numero_pedido,
        dim_desconto.codigo_desconto,
        dim_desconto.nome_campanha,
        dim_desconto.tipo_desconto,
        dim_desconto.metodo_desconto,
        -- the source carries no campaign origin
        cast(null as varchar(50)) as origem_campanha,
        fact_descontos.data_aplicacao_id,
        dim_data.data_completa as data_aplicacao,
        dim_data.ano,
        dim_data.mes,
        dim_data.nome_mes,
        fact_descontos.cliente_id,
        dim_cliente.nome_cliente,
        dim_cliente.tipo_cliente,
        dim_cliente.segmento,
        fact_descontos.produto_id,
        dim_produto.nome_produto,
        dim_produto.categoria,
        dim_produto.subcategoria,
        fact_descontos.nivel_aplicacao,
        fact_descontos.valor_sem_desconto,
        fact_descontos.valor_desconto_aplicado,
        fact_descontos.valor_com_desconto,
        fact_descontos.percentual_desconto_efetivo,
        fact_descontos.margem_antes_desconto,
        fact_descontos.margem_apos_desconto,
        fact_descontos.impacto_margem,
        {{ ecommerce_dw.status_margem('fact_descontos.margem_antes_desconto', 'fact_descontos.margem_apos_desconto', labels='completa') }} as status_margem,
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
        ) as roi_desconto
    from fact_descontos
    left join dim_desconto
        on fact_descontos.desconto_id = dim_desconto.desconto_id
    left join dim_data
        on fact_descontos.data_aplicacao_id = dim_data.data_id
    left join dim_cliente
        on fact_descontos.cliente_id = dim_cliente.cliente_id
    left join dim_produto
        on fact_descontos.produto_id = dim_produto.produto_id
    where not ({{ ecommerce_dw.is_true('fact_descontos._etl_source_deleted') }})

)

select * from final
