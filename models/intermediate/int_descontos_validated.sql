with

discount_campaigns as (

    select * from {{ ref('stg_oltp__discount_campaigns') }}

),

final as (

    select
        discount_campaigns.*,
        {{ key_quality_reason('discount_campaigns.discount_id') }} as motivo_quarentena
    from discount_campaigns

)

select * from final
