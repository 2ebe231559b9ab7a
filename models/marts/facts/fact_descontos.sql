{{ config(unique_key='desconto_aplicado_id') }}

-- depends_on: {{ ref('dim_desconto') }}
-- depends_on: {{ ref('dim_cliente') }}
-- depends_on: {{ ref('dim_produto') }}

with

aplicacoes as (

    select * from {{ ref('int_descontos_aplicados_validated') }}
    where {{ watermark_filter(ref('int_descontos_aplicados_validated'), 'alterado_em', 'order_item_discount_id') }}
        and motivo_quarentena is null

),

final as (

    select
        order_item_discount_id as desconto_aplicado_id,
        coalesce(discount_id, -1) as desconto_id,
        order_item_id as venda_id,
        coalesce({{ date_key('applied_at') }}, -1) as data_aplicacao_id,
        coalesce(customer_id, -1) as cliente_id,
        coalesce(product_id, -1) as produto_id,
        application_level as nivel_aplicacao,
        discount_amount as valor_desconto_aplicado,
        base_amount as valor_sem_desconto,
        final_amount as valor_com_desconto,
        base_amount - cost_amount as margem_antes_desconto,
        final_amount - cost_amount as margem_apos_desconto,
        (base_amount - cost_amount) - (final_amount - cost_amount) as impacto_margem,
        case
            when base_amount > 0
                then cast(case when discount_amount >= base_amount then 100
                        else round(100 * discount_amount / base_amount, 2)
                    end as decimal(5, 2))
            else cast(0 as decimal(5, 2))
        end as percentual_desconto_efetivo,
        approved as desconto_aprovado,
        rejection_reason as motivo_rejeicao,
        order_number as numero_pedido,
        application_created_at as data_inclusao,
        application_updated_at as data_atualizacao,
        order_item_discount_id as desconto_aplicado_original_id,
        cost_amount as custo_total,
        applied_at as data_aplicacao,
        {{ etl_load_columns('alterado_em', 'application_deleted_at is not null or item_deleted_at is not null or order_deleted_at is not null') }}
    from aplicacoes

)

select * from final
