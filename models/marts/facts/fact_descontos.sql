{{ config(unique_key='desconto_aplicado_id') }}

-- depends_on: {{ ref('dim_desconto') }}
-- depends_on: {{ ref('dim_cliente') }}
-- depends_on: {{ ref('dim_produto') }}

{#- Changed keys (etl_pending): the discount rows changed since the watermark, and those
    of changed items or orders. The source has no index from an item or an order to its
    discount rows, so these are found in the warehouse (this table, by venda_id), plus the
    rows it quarantined (a row neither loaded nor quarantined has not been in a window
    yet: it is past the watermark by its own timestamp). #}
{%- set since = etl_changes_since() %}
{%- set changed_keys %}
    select order_item_discount_id as changed_key
    from {{ ref('stg_oltp__order_item_discounts') }}
    where {{ etl_changed(since, 'updated_at', 'order_item_discount_id') }}
    union
    select descontos.desconto_aplicado_id
    from {{ ref('stg_oltp__order_items') }} as order_items
    inner join {{ this }} as descontos
        on order_items.order_item_id = descontos.venda_id
    where {{ etl_changed(since, 'order_items.updated_at', 'descontos.desconto_aplicado_id') }}
    union
    select descontos.desconto_aplicado_id
    from {{ ref('stg_oltp__orders') }} as orders
    inner join {{ ref('stg_oltp__order_items') }} as order_items
        on orders.order_id = order_items.order_id
    inner join {{ this }} as descontos
        on order_items.order_item_id = descontos.venda_id
    where {{ etl_changed(since, 'orders.updated_at', 'descontos.desconto_aplicado_id') }}
    union
    select quarantined.natural_key
    from {{ etl_relation('audit', 'etl_quarantine') }} as quarantined
    where quarantined.entity_name = 'fact_descontos'
{%- endset %}
{%- set pending = etl_pending(ref('int_descontos_aplicados_validated'), 'order_item_discount_id',
    changed_keys if since else none) %}

with

aplicacoes as (

    select * from {{ pending }}
    where {{ watermark_filter(pending, 'alterado_em', 'order_item_discount_id') }}
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
