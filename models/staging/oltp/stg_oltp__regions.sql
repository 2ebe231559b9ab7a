with

regions as (

    select * from {{ source('oltp', 'regions') }}

),

final as (

    select
        region_id,
        region_code,
        country,
        region_name,
        state,
        state_name,
        city,
        ibge_code,
        is_active,
        created_at,
        updated_at,
        deleted_at
    from regions

)

select * from final
