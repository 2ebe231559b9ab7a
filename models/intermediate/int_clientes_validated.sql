with

customers as (

    select * from {{ ref('stg_oltp__customers') }}

),

final as (

    select
        customers.*,
        {{ key_quality_reason('customers.customer_id') }} as motivo_quarentena
    from customers

)

select * from final
