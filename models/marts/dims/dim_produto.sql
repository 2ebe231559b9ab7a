{{ config(unique_key='produto_key') }}

with

produtos as (

    select * from {{ ref('int_produtos_validated') }}
    where {{ watermark_filter(ref('int_produtos_validated'), 'alterado_em', 'product_id') }}
        and motivo_quarentena is null

),

final as (

    select
        product_id as produto_key,
        product_id as produto_original_id,
        product_code as codigo_produto,
        sku as codigo_sku,
        barcode as codigo_barras,
        product_name as nome_produto,
        short_description as descricao_curta,
        category_name as categoria,
        subcategory_name as subcategoria,
        product_line as linha_produto,
        brand as marca,
        manufacturer as fabricante,
        supplier_id as fornecedor_original_id,
        supplier_name as fornecedor,
        country_origin as pais_origem,
        weight_kg as peso_kg,
        height_cm as altura_cm,
        width_cm as largura_cm,
        depth_cm as profundidade_cm,
        color as cor,
        material,
        cost_price as preco_custo,
        list_price as preco_sugerido,
        suggested_margin_percent as margem_sugerida_percentual,
        is_perishable as eh_perecivel,
        is_fragile as eh_fragil,
        requires_refrigeration as requer_refrigeracao,
        minimum_age as idade_minima,
        min_stock as estoque_minimo,
        max_stock as estoque_maximo,
        reorder_days as dias_reposicao,
        product_status as situacao,
        launch_date as data_lancamento,
        discontinued_date as data_descontinuacao,
        rating_avg as avaliacao_media,
        rating_count as quantidade_avaliacoes,
        {{ as_boolean("product_status = 'Ativo' and deleted_at is null") }} as eh_ativo,
        deleted_at as data_exclusao,
        {{ etl_load_columns('alterado_em', 'deleted_at is not null') }}
    from produtos

)

select * from final
