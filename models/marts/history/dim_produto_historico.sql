{#- Product history (SCD Type 2) for BI: one row per version of a product, from the
    snapshot snap_oltp__products, with a validity range a fact joins at its own date:

        fact.data_pedido >= hist.valido_de and fact.data_pedido < hist.valido_ate

    Same rules as dim_cliente_historico: half-open chained ranges, the first version
    extended back to 1900-01-01, the current one to 9999-12-31, no overlaps. situacao
    follows dim_produto (a soft-deleted product is 'Descontinuado'). Unknown member
    produto_id -1, valid always. -#}

with

snap_oltp__products as (

    select * from {{ ref('snap_oltp__products') }}

),

versions as (

    select
        snap_oltp__products.*,
        row_number() over (
            partition by snap_oltp__products.product_id
            order by snap_oltp__products.dbt_valid_from, snap_oltp__products.dbt_scd_id
        ) as numero_versao,
        lead(snap_oltp__products.dbt_valid_from) over (
            partition by snap_oltp__products.product_id
            order by snap_oltp__products.dbt_valid_from, snap_oltp__products.dbt_scd_id
        ) as inicio_proxima_versao
    from snap_oltp__products

),

final as (

    select
        versions.product_id as produto_id,
        cast(versions.numero_versao as {{ dbt.type_int() }}) as numero_versao,
        versions.product_code as codigo_produto,
        versions.sku as codigo_sku,
        versions.product_name as nome_produto,
        versions.category_name as categoria,
        versions.subcategory_name as subcategoria,
        versions.brand as marca,
        versions.supplier_id as fornecedor_id,
        versions.cost_price as preco_custo,
        versions.list_price as preco_sugerido,
        case
            when versions.deleted_at is not null then 'Descontinuado'
            else versions.product_status
        end as situacao,
        {{ as_boolean("versions.product_status = 'Ativo' and versions.deleted_at is null") }} as eh_ativo,
        versions.launch_date as data_lancamento,
        versions.discontinued_date as data_descontinuacao,
        versions.deleted_at as data_exclusao,
        case
            when versions.numero_versao = 1 then {{ history_begin() }}
            else versions.dbt_valid_from
        end as valido_de,
        case
            when versions.inicio_proxima_versao < coalesce(versions.dbt_valid_to, {{ history_end() }})
                then versions.inicio_proxima_versao
            else coalesce(versions.dbt_valid_to, {{ history_end() }})
        end as valido_ate,
        versions.dbt_valid_from as registrado_em,
        {{ as_boolean('versions.dbt_valid_to is null') }} as eh_versao_atual,
        {{ as_boolean('versions.dbt_valid_to is not null and versions.inicio_proxima_versao is null') }}
            as eh_removido_da_origem,
        versions._etl_run_id,
        versions._etl_invocation_id
    from versions

    union all

    -- unknown member: facts whose product is missing point here, at any date
    select
        -1 as produto_id,
        cast(1 as {{ dbt.type_int() }}) as numero_versao,
        'N/A' as codigo_produto,
        'N/A' as codigo_sku,
        'Produto desconhecido' as nome_produto,
        'Desconhecida' as categoria,
        'Desconhecida' as subcategoria,
        'Desconhecida' as marca,
        -1 as fornecedor_id,
        cast(0 as decimal(10, 2)) as preco_custo,
        cast(0 as decimal(10, 2)) as preco_sugerido,
        'Ativo' as situacao,
        {{ bool_literal(true) }} as eh_ativo,
        cast(null as date) as data_lancamento,
        cast(null as date) as data_descontinuacao,
        cast(null as {{ dbt.type_timestamp() }}) as data_exclusao,
        {{ history_begin() }} as valido_de,
        {{ history_end() }} as valido_ate,
        {{ history_begin() }} as registrado_em,
        {{ bool_literal(true) }} as eh_versao_atual,
        {{ bool_literal(false) }} as eh_removido_da_origem,
        cast('{{ ecommerce_dw.etl_run_id() }}' as varchar(64)) as _etl_run_id,
        cast('{{ invocation_id }}' as varchar(64)) as _etl_invocation_id

)

select * from final
