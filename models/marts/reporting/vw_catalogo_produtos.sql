{#- dim.VW_CATALOGO_PRODUTOS: the product catalogue (situacao 'Ativo') with availability,
    a price band and a quality seal from the ratings. The unknown member (-1) is left
    out. -#}
{{ config(schema='dim') }}

with

dim_produto as (

    select * from {{ ref('dim_produto') }}

),

final as (

    select
        dim_produto.produto_id,
        dim_produto.codigo_sku,
        dim_produto.nome_produto,
        dim_produto.categoria,
        dim_produto.subcategoria,
        dim_produto.marca,
        dim_produto.nome_fornecedor,
        dim_produto.preco_sugerido,
        dim_produto.avaliacao_media,
        dim_produto.total_avaliacoes,
        case
            when dim_produto.estoque_minimo > 0 then 'Disponivel'
            else 'Sob Encomenda'
        end as disponibilidade,
        case
            when dim_produto.preco_sugerido < 100 then 'Ate R$ 100'
            when dim_produto.preco_sugerido < 500 then 'R$ 100 a R$ 500'
            when dim_produto.preco_sugerido < 1000 then 'R$ 500 a R$ 1.000'
            when dim_produto.preco_sugerido < 3000 then 'R$ 1.000 a R$ 3.000'
            else 'Acima de R$ 3.000'
        end as faixa_preco,
        case
            when dim_produto.avaliacao_media >= 4.5 and dim_produto.total_avaliacoes >= 100 then 'Premium'
            when dim_produto.avaliacao_media >= 4.0 and dim_produto.total_avaliacoes >= 50 then 'Recomendado'
            else 'Padrao'
        end as selo_qualidade
    from dim_produto
    where
        dim_produto.produto_id <> -1
        and dim_produto.situacao = 'Ativo'

)

select * from final
