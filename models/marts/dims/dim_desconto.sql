{{ config(unique_key='desconto_key') }}

with

descontos as (

    select * from {{ ref('int_descontos_validated') }}
    where {{ watermark_filter(ref('int_descontos_validated'), 'updated_at', 'discount_id') }}
        and motivo_quarentena is null

),

final as (

    select
        discount_id as desconto_key,
        discount_id as desconto_original_id,
        discount_code as codigo_desconto,
        campaign_name as nome_campanha,
        description as descricao,
        discount_type as tipo_desconto,
        discount_method as metodo_desconto,
        discount_value as valor_desconto,
        min_order_value as valor_minimo_pedido,
        max_discount_value as valor_maximo_desconto,
        max_uses_per_customer as limite_uso_por_cliente,
        max_uses_total as limite_uso_total,
        apply_scope as escopo_aplicacao,
        product_restriction as restricao_produto,
        is_stackable as eh_cumulativo,
        approval_required as requer_aprovacao,
        start_at as data_inicio_validade,
        end_at as data_fim_validade,
        case
            when deleted_at is not null or not ({{ is_true('is_active') }}) then 'Inativo'
            else 'Ativo'
        end as situacao,
        {{ as_boolean(is_true('is_active') ~ ' and deleted_at is null') }} as eh_ativo,
        deleted_at as data_exclusao,
        {{ etl_load_columns('updated_at', 'deleted_at is not null') }}
    from descontos

    {% if not is_incremental() %}
    union all
    -- unknown member: discount applications whose campaign is missing
    select
        -1 as desconto_key,
        -1 as desconto_original_id,
        'N/A' as codigo_desconto,
        'Desconhecida' as nome_campanha,
        cast(null as varchar(500)) as descricao,
        'Desconhecido' as tipo_desconto,
        'Desconhecido' as metodo_desconto,
        cast(0 as decimal(14, 2)) as valor_desconto,
        cast(0 as decimal(14, 2)) as valor_minimo_pedido,
        cast(null as decimal(14, 2)) as valor_maximo_desconto,
        cast(null as {{ dbt.type_int() }}) as limite_uso_por_cliente,
        cast(null as {{ dbt.type_int() }}) as limite_uso_total,
        'N/A' as escopo_aplicacao,
        cast(null as varchar(60)) as restricao_produto,
        {{ bool_literal(false) }} as eh_cumulativo,
        {{ bool_literal(false) }} as requer_aprovacao,
        cast(null as {{ dbt.type_timestamp() }}) as data_inicio_validade,
        cast(null as {{ dbt.type_timestamp() }}) as data_fim_validade,
        'Ativo' as situacao,
        {{ bool_literal(true) }} as eh_ativo,
        cast(null as {{ dbt.type_timestamp() }}) as data_exclusao,
        {{ etl_load_columns('cast(null as ' ~ dbt.type_timestamp() ~ ')', '1 = 0') }}
    {% endif %}

)

select * from final
