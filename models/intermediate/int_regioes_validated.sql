with

regions as (

    select * from {{ ref('stg_oltp__regions') }}

),

final as (

    select
        regions.*,
        {{ key_quality_reason('regions.region_id') }} as motivo_quarentena
    from regions

)

select * from final
