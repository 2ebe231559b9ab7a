{#- dim.VW_PRODUTOS_ATIVOS: the active products (situacao 'Ativo') with their category
    path, dimensions, suggested margin, markup and a price band. The unknown member (-1)
    is left out. -#}
{{ config(schema='dim') }}

{%- set text = dbt.type_string() %}

with

dim_produto as (

    select * from {{ ref('dim_produto') }}

),

produtos as (

    select
        dim_produto.*,
        dim_produto.preco_sugerido - dim_produto.preco_custo as lucro_unitario
    from dim_produto
    where
        dim_produto.produto_id <> -1
        and dim_produto.situacao = 'Ativo'

),

final as (

    select
        produtos.produto_id,
        produtos.produto_original_id,
        produtos.codigo_sku,
        produtos.nome_produto,
        produtos.marca,
        produtos.categoria,
        produtos.subcategoria,
        produtos.fornecedor_id,
        produtos.nome_fornecedor,
        produtos.peso_kg,
        case
            when
                produtos.altura_cm is not null
                and produtos.largura_cm is not null
                and produtos.profundidade_cm is not null
                then {{ dbt.concat([
                    'cast(produtos.altura_cm as ' ~ text ~ ')',
                    "'x'",
                    'cast(produtos.largura_cm as ' ~ text ~ ')',
                    "'x'",
                    'cast(produtos.profundidade_cm as ' ~ text ~ ')',
                    "' cm'",
                ]) }}
        end as dimensoes,
        produtos.preco_sugerido,
        produtos.preco_custo as custo_medio,
        case
            when produtos.preco_sugerido > 0
                then cast(100.0 * produtos.lucro_unitario / produtos.preco_sugerido as decimal(9, 2))
            else 0
        end as margem_sugerida,
        case
            when produtos.preco_custo > 0
                then cast(100.0 * produtos.lucro_unitario / produtos.preco_custo as decimal(9, 2))
            else 0
        end as markup_percentual,
        {{ dbt.concat([
            "coalesce(produtos.categoria, '')",
            "' > '",
            "coalesce(produtos.subcategoria, '')",
            "' > '",
            "coalesce(produtos.nome_produto, '')",
        ]) }} as hierarquia_completa,
        case
            when produtos.preco_sugerido > 5000 then 'Premium (>5k)'
            when produtos.preco_sugerido > 1000 then 'Alto (1k-5k)'
            when produtos.preco_sugerido > 100 then 'Médio (100-1k)'
            else 'Baixo (<100)'
        end as faixa_preco,
        produtos.data_cadastro,
        produtos.data_ultima_atualizacao
    from produtos

)

select * from final
