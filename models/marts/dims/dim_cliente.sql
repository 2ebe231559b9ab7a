{{ config(unique_key='cliente_id') }}

{#- Changed keys (etl_pending): the customers changed since the watermark, and the
    customers of changed orders or order items (their purchase history). #}
{%- set since = etl_changes_since() %}
{%- set changed_keys %}
    select customer_id as changed_key
    from {{ ref('stg_oltp__customers') }}
    where {{ etl_changed(since, 'updated_at', 'customer_id') }}
    union
    select customer_id
    from {{ ref('stg_oltp__orders') }}
    where {{ etl_changed(since, 'updated_at', 'customer_id') }}
    union
    select orders.customer_id
    from {{ ref('stg_oltp__order_items') }} as order_items
    inner join {{ ref('stg_oltp__orders') }} as orders
        on order_items.order_id = orders.order_id
    where {{ etl_changed(since, 'order_items.updated_at', 'orders.customer_id') }}
{%- endset %}
{%- set pending = etl_pending(ref('int_clientes_validated'), 'customer_id', changed_keys if since else none) %}

with

clientes as (

    select * from {{ pending }}
    where {{ watermark_filter(pending, 'alterado_em', 'customer_id') }}
        and motivo_quarentena is null

),

final as (

    select
        customer_id as cliente_id,
        customer_id as cliente_original_id,
        customer_code as codigo_cliente,
        -- LGPD: what BI users read is pseudonymised (see SPEC section 7)
        {{ mask_person_name('full_name') }} as nome_cliente,
        {{ mask_email('email') }} as email,
        {{ mask_phone('phone') }} as telefone,
        {{ mask_document('document_number', 'segment') }} as cpf_cnpj,
        {{ generalise_birth_date('birth_date') }} as data_nascimento,
        upper(trim(gender)) as genero,
        customer_type as tipo_cliente,
        segment as segmento,
        case
            when credit_score < 0 then 0
            when credit_score > 1000 then 1000
            else credit_score
        end as score_credito,
        value_category as categoria_valor,
        address_line as endereco_completo,
        district as bairro,
        city as cidade,
        state as estado,
        country as pais,
        zip_code as cep,
        first_signup_date as data_primeiro_cadastro,
        last_purchase_date as data_ultima_compra,
        updated_at as data_ultima_atualizacao,
        cast(total_compras_historico as {{ dbt.type_int() }}) as total_compras_historico,
        valor_total_gasto_historico,
        ticket_medio_historico,
        {{ as_boolean(is_true('is_active') ~ ' and deleted_at is null') }} as eh_ativo,
        accepts_email_marketing as aceita_email_marketing,
        is_vip as eh_cliente_vip,
        deleted_at as data_exclusao,
        {{ etl_load_columns('alterado_em', 'deleted_at is not null') }}
    from clientes

    {% if not is_incremental() %}
    union all
    -- unknown member: facts whose customer is missing point here (no fact key is NULL)
    select
        -1 as cliente_id,
        -1 as cliente_original_id,
        'N/A' as codigo_cliente,
        'Cliente desconhecido' as nome_cliente,
        cast(null as varchar(200)) as email,
        cast(null as varchar(30)) as telefone,
        cast(null as varchar(20)) as cpf_cnpj,
        cast(null as date) as data_nascimento,
        cast(null as varchar(1)) as genero,
        'Novo' as tipo_cliente,
        'N/A' as segmento,
        cast(null as {{ dbt.type_int() }}) as score_credito,
        cast(null as varchar(20)) as categoria_valor,
        cast(null as varchar(200)) as endereco_completo,
        cast(null as varchar(80)) as bairro,
        'Desconhecida' as cidade,
        'NA' as estado,
        'Desconhecido' as pais,
        cast(null as varchar(10)) as cep,
        cast('1900-01-01' as date) as data_primeiro_cadastro,
        cast(null as date) as data_ultima_compra,
        cast(null as {{ dbt.type_timestamp() }}) as data_ultima_atualizacao,
        0 as total_compras_historico,
        cast(0 as decimal(15, 2)) as valor_total_gasto_historico,
        cast(null as decimal(15, 2)) as ticket_medio_historico,
        {{ bool_literal(true) }} as eh_ativo,
        {{ bool_literal(false) }} as aceita_email_marketing,
        {{ bool_literal(false) }} as eh_cliente_vip,
        cast(null as {{ dbt.type_timestamp() }}) as data_exclusao,
        {{ etl_load_columns('cast(null as ' ~ dbt.type_timestamp() ~ ')', '1 = 0') }}
    {% endif %}

)

select * from final
