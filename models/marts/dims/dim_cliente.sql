{{ config(unique_key='cliente_key') }}

with

clientes as (

    select * from {{ ref('int_clientes_validated') }}
    where {{ watermark_filter(ref('int_clientes_validated'), 'updated_at', 'customer_id') }}
        and motivo_quarentena is null

),

final as (

    select
        customer_id as cliente_key,
        customer_id as cliente_original_id,
        customer_code as codigo_cliente,
        -- LGPD: what BI users read is pseudonymised (see SPEC section 7)
        {{ mask_person_name('full_name') }} as nome_cliente,
        {{ mask_email('email') }} as email,
        {{ mask_phone('phone') }} as telefone,
        {{ mask_document('document_number', 'segment') }} as cpf_cnpj,
        {{ generalise_birth_date('birth_date') }} as data_nascimento,
        gender as genero,
        customer_type as tipo_cliente,
        segment as segmento,
        credit_score as score_credito,
        value_category as categoria_valor,
        address_line as endereco,
        district as bairro,
        city as cidade,
        state as estado,
        country as pais,
        zip_code as cep,
        first_signup_date as data_primeiro_cadastro,
        last_purchase_date as data_ultima_compra,
        {{ as_boolean(is_true('is_active') ~ ' and deleted_at is null') }} as eh_ativo,
        accepts_email_marketing as aceita_email_marketing,
        is_vip as eh_cliente_vip,
        deleted_at as data_exclusao,
        {{ etl_load_columns('updated_at', 'deleted_at is not null') }}
    from clientes

)

select * from final
