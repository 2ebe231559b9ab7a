{{ config(unique_key='produto_id') }}

{#- Changed keys (etl_pending): the products changed since the watermark, and those of a
    changed supplier. #}
{%- set since = etl_changes_since() %}
{%- set changed_keys %}
    select product_id as changed_key
    from {{ ref('stg_oltp__products') }}
    where {{ etl_changed(since, 'updated_at', 'product_id') }}
    union
    select products.product_id
    from {{ ref('stg_oltp__suppliers') }} as suppliers
    inner join {{ ref('stg_oltp__products') }} as products
        on suppliers.supplier_id = products.supplier_id
    where {{ etl_changed(since, 'suppliers.updated_at', 'products.product_id') }}
{%- endset %}
{%- set pending = etl_pending(ref('int_produtos_validated'), 'product_id', changed_keys if since else none) %}

with

produtos as (

    select * from {{ pending }}
    where {{ watermark_filter(pending, 'alterado_em', 'product_id') }}
        and motivo_quarentena is null

),

final as (

    select
        product_id as produto_id,
        product_id as produto_original_id,
        product_code as codigo_produto,
        sku as codigo_sku,
        barcode as codigo_barras,
        product_name as nome_produto,
        short_description as descricao_curta,
        full_description as descricao_completa,
        category_name as categoria,
        subcategory_name as subcategoria,
        product_line as linha_produto,
        brand as marca,
        manufacturer as fabricante,
        supplier_id as fornecedor_id,
        supplier_name as nome_fornecedor,
        country_origin as pais_origem,
        weight_kg as peso_kg,
        height_cm as altura_cm,
        width_cm as largura_cm,
        depth_cm as profundidade_cm,
        color as cor_principal,
        material,
        cost_price as preco_custo,
        list_price as preco_sugerido,
        suggested_margin_percent as margem_sugerida_percent,
        is_perishable as eh_perecivel,
        is_fragile as eh_fragil,
        requires_refrigeration as requer_refrigeracao,
        minimum_age as idade_minima_venda,
        min_stock as estoque_minimo,
        max_stock as estoque_maximo,
        reorder_days as prazo_reposicao_dias,
        -- the original's rule: a soft-deleted product is 'Descontinuado'
        case when deleted_at is not null then 'Descontinuado' else product_status end as situacao,
        launch_date as data_lancamento,
        discontinued_date as data_descontinuacao,
        created_at as data_cadastro,
        updated_at as data_ultima_atualizacao,
        keywords as palavras_chave,
        case
            when rating_avg < 0 then cast(0 as decimal(2, 1))
            when rating_avg > 5 then cast(5 as decimal(2, 1))
            else rating_avg
        end as avaliacao_media,
        rating_count as total_avaliacoes,
        {{ as_boolean("product_status = 'Ativo' and deleted_at is null") }} as eh_ativo,
        deleted_at as data_exclusao,
        {{ etl_load_columns('alterado_em', 'deleted_at is not null') }}
    from produtos

    {% if not is_incremental() %}
    union all
    -- unknown member: facts whose product is missing point here (no fact key is NULL)
    select
        -1 as produto_id,
        -1 as produto_original_id,
        'N/A' as codigo_produto,
        'N/A' as codigo_sku,
        cast(null as varchar(20)) as codigo_barras,
        'Produto desconhecido' as nome_produto,
        cast(null as varchar(255)) as descricao_curta,
        cast(null as {{ dbt.type_string() }}) as descricao_completa,
        'Desconhecida' as categoria,
        'Desconhecida' as subcategoria,
        cast(null as varchar(50)) as linha_produto,
        'Desconhecida' as marca,
        cast(null as varchar(100)) as fabricante,
        -1 as fornecedor_id,
        'Fornecedor desconhecido' as nome_fornecedor,
        cast(null as varchar(50)) as pais_origem,
        cast(null as decimal(8, 3)) as peso_kg,
        cast(null as decimal(6, 2)) as altura_cm,
        cast(null as decimal(6, 2)) as largura_cm,
        cast(null as decimal(6, 2)) as profundidade_cm,
        cast(null as varchar(30)) as cor_principal,
        cast(null as varchar(50)) as material,
        cast(0 as decimal(10, 2)) as preco_custo,
        cast(0 as decimal(10, 2)) as preco_sugerido,
        cast(null as decimal(5, 2)) as margem_sugerida_percent,
        {{ bool_literal(false) }} as eh_perecivel,
        {{ bool_literal(false) }} as eh_fragil,
        {{ bool_literal(false) }} as requer_refrigeracao,
        cast(null as {{ dbt.type_int() }}) as idade_minima_venda,
        0 as estoque_minimo,
        0 as estoque_maximo,
        cast(null as {{ dbt.type_int() }}) as prazo_reposicao_dias,
        'Ativo' as situacao,
        cast(null as date) as data_lancamento,
        cast(null as date) as data_descontinuacao,
        cast(null as {{ dbt.type_timestamp() }}) as data_cadastro,
        cast(null as {{ dbt.type_timestamp() }}) as data_ultima_atualizacao,
        cast(null as varchar(200)) as palavras_chave,
        cast(null as decimal(2, 1)) as avaliacao_media,
        0 as total_avaliacoes,
        {{ bool_literal(true) }} as eh_ativo,
        cast(null as {{ dbt.type_timestamp() }}) as data_exclusao,
        {{ etl_load_columns('cast(null as ' ~ dbt.type_timestamp() ~ ')', '1 = 0') }}
    {% endif %}

)

select * from final
