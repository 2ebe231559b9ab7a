with

suppliers as (

    select * from {{ source('oltp', 'suppliers') }}

),

final as (

    select
        supplier_id,
        supplier_code,
        trim(supplier_name) as supplier_name,
        country,
        is_active,
        created_at,
        updated_at,
        deleted_at
    from suppliers

)

select * from final
