-- Flags arrive as boolean, smallint 0/1 or bit, as the source was ported: normalised here.
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
        trim(value_category) as value_category,
        address_line,
        district,
        city,
        upper(trim(state)) as state,
        country,
        zip_code,
        first_signup_date,
        last_purchase_date,
        {{ flag_to_boolean('is_active') }} as is_active,
        {{ flag_to_boolean('accepts_email_marketing') }} as accepts_email_marketing,
        {{ flag_to_boolean('is_vip') }} as is_vip,
        created_at,
        updated_at,
        deleted_at
    from customers

)

select * from final
