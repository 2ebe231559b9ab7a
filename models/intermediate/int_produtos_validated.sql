with

products as (

    select * from {{ ref('stg_oltp__products') }}

),

suppliers as (

    select * from {{ ref('stg_oltp__suppliers') }}

),

final as (

    select
        products.*,
        suppliers.supplier_name,
        -- the supplier's name is part of the product row: a supplier change re-loads its products
        greatest(products.updated_at, coalesce(suppliers.updated_at, products.updated_at)) as alterado_em,
        {{ key_quality_reason('products.product_id') }} as motivo_quarentena
    from products
    left join suppliers
        on products.supplier_id = suppliers.supplier_id

)

select * from final
