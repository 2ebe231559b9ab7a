{% snapshot snap_oltp__customers %}

{{ config(unique_key='customer_id') }}

{#- History (SCD Type 2) of the customer attributes BI users follow over time: type,
    segment, value category, credit score, city and state. One version per change of
    core.customers.updated_at (strategy timestamp); a customer gone from the source closes
    its version (hard_deletes invalidate, dbt_project.yml). LGPD: only the first name is
    kept, masked as in dim_cliente; e-mail, phone, document and birth date are not
    historised at all. -#}
{%- set rows_to_snapshot = ecommerce_dw.etl_snapshot_source(ref('stg_oltp__customers'), 'customer_id') %}
{% do ecommerce_dw.etl_snapshot_window(rows_to_snapshot, 'customer_id') %}

with

stg_oltp__customers as (

    select * from {{ rows_to_snapshot }}

),

-- rows whose key is NULL or duplicated are left out, as dim_cliente quarantines them
checked as (

    select
        stg_oltp__customers.*,
        {{ key_quality_reason('stg_oltp__customers.customer_id') }} as motivo_quarentena
    from stg_oltp__customers

),

final as (

    select
        customer_id,
        customer_code,
        {{ mask_person_name('full_name') }} as full_name_masked,
        customer_type,
        segment,
        value_category,
        credit_score,
        city,
        state,
        country,
        is_active,
        is_vip,
        first_signup_date,
        created_at,
        updated_at,
        deleted_at,
        {{ etl_snapshot_columns('updated_at', 'deleted_at is not null') }}
    from checked
    where motivo_quarentena is null

)

select * from final

{% endsnapshot %}
