{% snapshot snap_oltp__products %}

{{ config(unique_key='product_id') }}

{#- History (SCD Type 2) of the product attributes BI users follow over time: list price,
    cost, status, category, subcategory, brand and supplier. One version per change of
    core.products.updated_at (strategy timestamp); a product gone from the source closes
    its version (hard_deletes invalidate, dbt_project.yml). No personal data. -#}
{%- set rows_to_snapshot = ecommerce_dw.etl_snapshot_source(ref('stg_oltp__products'), 'product_id') %}
{% do ecommerce_dw.etl_snapshot_window(rows_to_snapshot, 'product_id') %}

with

stg_oltp__products as (

    select * from {{ rows_to_snapshot }}

),

-- rows whose key is NULL or duplicated are left out, as dim_produto quarantines them
checked as (

    select
        stg_oltp__products.*,
        {{ key_quality_reason('stg_oltp__products.product_id') }} as motivo_quarentena
    from stg_oltp__products

),

final as (

    select
        product_id,
        product_code,
        sku,
        product_name,
        category_name,
        subcategory_name,
        brand,
        supplier_id,
        cost_price,
        list_price,
        product_status,
        launch_date,
        discontinued_date,
        created_at,
        updated_at,
        deleted_at,
        {{ etl_snapshot_columns('updated_at', 'deleted_at is not null') }}
    from checked
    where motivo_quarentena is null

)

select * from final

{% endsnapshot %}
