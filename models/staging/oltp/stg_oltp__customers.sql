with

customers as (

    select * from {{ source('oltp', 'customers') }}

),

final as (

    select
        customer_id,
        customer_code,
        trim(full_name) as full_name,
        lower(trim(email)) as email,
        phone,
        document_number,
        birth_date,
        gender,
        customer_type,
        segment,
        credit_score,
        value_category,
        address_line,
        district,
        city,
        state,
        country,
        zip_code,
        first_signup_date,
        last_purchase_date,
        is_active,
        accepts_email_marketing,
        is_vip,
        created_at,
        updated_at,
        deleted_at
    from customers

)

select * from final
