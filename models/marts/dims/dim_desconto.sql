{{ config(unique_key='desconto_id') }}

{#- The original's rules (its ETL code): tipo, metodo and aplica_em written with the
    warehouse's accents; situacao from deletion, usage, validity and the active flag,
    judged at load time. A value outside the known domain loads as it is (its data test
    warns). -#}

with

descontos as (

    select * from {{ ref('int_descontos_validated') }}
    where {{ watermark_filter(ref('int_descontos_validated'), 'updated_at', 'discount_id') }}
        and motivo_quarentena is null

),

classificados as (

    select
        descontos.*,
        case
            when descontos.deleted_at is not null then 'Cancelado'
            when coalesce(descontos.max_uses_total, 0) > 0
                and descontos.current_usage_count >= descontos.max_uses_total then 'Esgotado'
            when descontos.end_at < {{ timestamp_literal(etl_now()) }} then 'Expirado'
            when {{ is_true('descontos.is_active') }} then 'Ativo'
            else 'Pausado'
        end as situacao
    from descontos

),

final as (

    select
        discount_id as desconto_id,
        discount_id as desconto_original_id,
        discount_code as codigo_desconto,
        campaign_name as nome_campanha,
        description as descricao,
        case
            when discount_type in ('Promocao Automatica', 'Promoção Automática') then 'Promoção Automática'
            else discount_type
        end as tipo_desconto,
        case
            when discount_method in ('Frete Gratis', 'Frete Grátis') then 'Frete Grátis'
            else discount_method
        end as metodo_desconto,
        discount_value as valor_desconto,
        min_order_value as min_valor_compra_regra,
        max_discount_value as max_valor_desconto_regra,
        max_uses_per_customer as max_usos_por_cliente,
        max_uses_total as max_usos_total,
        case
            when apply_scope in ('Produto Especifico', 'Produto Específico') then 'Produto Específico'
            else apply_scope
        end as aplica_em,
        product_restriction as restricao_produtos,
        start_at as data_inicio_validade,
        end_at as data_fim_validade,
        current_usage_count as total_usos_realizados,
        total_revenue_generated as total_receita_gerada,
        total_discount_given as total_desconto_concedido,
        situacao,
        {{ as_boolean("situacao = 'Ativo'") }} as eh_ativo,
        approval_required as requer_aprovacao,
        is_stackable as eh_cumulativo,
        created_at as data_criacao,
        updated_at as data_ultima_atualizacao,
        deleted_at as data_exclusao,
        {{ etl_load_columns('updated_at', 'deleted_at is not null') }}
    from classificados

    {% if not is_incremental() %}
    union all
    -- unknown member: discount applications whose campaign is missing
    select
        -1 as desconto_id,
        -1 as desconto_original_id,
        'N/A' as codigo_desconto,
        'Desconhecida' as nome_campanha,
        cast(null as varchar(500)) as descricao,
        'Desconhecido' as tipo_desconto,
        'Desconhecido' as metodo_desconto,
        cast(null as decimal(10, 2)) as valor_desconto,
        cast(null as decimal(15, 2)) as min_valor_compra_regra,
        cast(null as decimal(15, 2)) as max_valor_desconto_regra,
        cast(null as {{ dbt.type_int() }}) as max_usos_por_cliente,
        cast(null as {{ dbt.type_int() }}) as max_usos_total,
        'N/A' as aplica_em,
        cast(null as varchar(500)) as restricao_produtos,
        cast(null as {{ dbt.type_timestamp() }}) as data_inicio_validade,
        cast(null as {{ dbt.type_timestamp() }}) as data_fim_validade,
        0 as total_usos_realizados,
        cast(0 as decimal(15, 2)) as total_receita_gerada,
        cast(0 as decimal(15, 2)) as total_desconto_concedido,
        'Ativo' as situacao,
        {{ bool_literal(true) }} as eh_ativo,
        {{ bool_literal(false) }} as requer_aprovacao,
        {{ bool_literal(false) }} as eh_cumulativo,
        cast(null as {{ dbt.type_timestamp() }}) as data_criacao,
        cast(null as {{ dbt.type_timestamp() }}) as data_ultima_atualizacao,
        cast(null as {{ dbt.type_timestamp() }}) as data_exclusao,
        {{ etl_load_columns('cast(null as ' ~ dbt.type_timestamp() ~ ')', '1 = 0') }}
    {% endif %}

)

select * from final
