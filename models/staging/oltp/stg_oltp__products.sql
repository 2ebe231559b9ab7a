-- Flags arrive as boolean, smallint 0/1 or bit, as the source was ported: normalised here.
with

products as (

    select * from {{ source('oltp', 'products') }}

),

final as (

    select
        product_id,
        product_code,
        sku,
        barcode,
        trim(product_name) as product_name,
        short_description,
        full_description,
        category_name,
        subcategory_name,
        product_line,
        brand,
        manufacturer,
        supplier_id,
        country_origin,
        weight_kg,
        height_cm,
        width_cm,
        depth_cm,
        color,
        material,
        cost_price,
        list_price,
        suggested_margin_percent,
        {{ flag_to_boolean('is_perishable') }} as is_perishable,
        {{ flag_to_boolean('is_fragile') }} as is_fragile,
        {{ flag_to_boolean('requires_refrigeration') }} as requires_refrigeration,
        minimum_age,
        min_stock,
        max_stock,
        reorder_days,
        product_status,
        launch_date,
        discontinued_date,
        rating_avg,
        rating_count,
        keywords,
        created_at,
        updated_at,
        deleted_at
    from products

)

select * from final
