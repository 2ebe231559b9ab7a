-- Everything that can change a row of fact_metas, as events with a change timestamp: a
-- target row, or a sale (any order item, loaded or quarantined). Each event carries the
-- seller-month it counts in and what it adds there; eh_valido = 0 for an event that
-- counts nowhere (a soft-deleted target; a quarantined, soft-deleted, unpaid or
-- seller-less sale, or one without an order date), which only removes what it added before.
-- fact_metas keeps the events it loaded (ctl.etl_state__fact_metas) and recomputes the
-- seller-months a window's events leave or enter.
with

seller_targets as (

    select * from {{ ref('stg_oltp__seller_targets_monthly') }}

),

vendas as (

    select * from {{ ref('int_vendas_validated') }}

),

final as (

    select
        seller_targets.updated_at as alterado_em,
        seller_targets.seller_target_id as evento_id,
        'meta' as tipo_evento,
        seller_targets.seller_id as vendedor_id,
        cast({{ dbt.date_trunc('month', 'seller_targets.target_month') }} as date) as mes_referencia,
        case
            when seller_targets.deleted_at is null
                and seller_targets.seller_id is not null
                and seller_targets.target_month is not null
                then 1
            else 0
        end as eh_valido,
        seller_targets.target_amount as valor_meta,
        seller_targets.target_quantity as quantidade_meta,
        seller_targets.realized_amount as valor_realizado_origem,
        seller_targets.realized_quantity as quantidade_realizada_origem,
        case when {{ is_true('seller_targets.period_closed') }} then 1 else 0 end as periodo_fechado_origem,
        coalesce(seller_targets.period_type, 'Mensal') as tipo_periodo,
        seller_targets.created_at as data_inclusao,
        cast(null as decimal(15, 2)) as valor_realizado,
        cast(null as {{ dbt.type_int() }}) as quantidade_realizada,
        cast(null as {{ dbt.type_bigint() }}) as pedido_id
    from seller_targets

    union all

    select
        -- a sale's figures in fact_metas come from the item and its order alone
        greatest(vendas.item_updated_at, coalesce(vendas.order_updated_at, vendas.item_updated_at)) as alterado_em,
        vendas.order_item_id as evento_id,
        'venda' as tipo_evento,
        vendas.seller_id as vendedor_id,
        cast({{ dbt.date_trunc('month', 'vendas.order_date') }} as date) as mes_referencia,
        case
            when vendas.motivo_quarentena is null
                and vendas.seller_id is not null
                and vendas.order_date is not null
                and vendas.item_deleted_at is null
                and vendas.order_deleted_at is null
                and vendas.order_status in ('Pago', 'Faturado', 'Enviado', 'Entregue')
                then 1
            else 0
        end as eh_valido,
        cast(null as decimal(15, 2)) as valor_meta,
        cast(null as {{ dbt.type_int() }}) as quantidade_meta,
        cast(null as decimal(15, 2)) as valor_realizado_origem,
        cast(null as {{ dbt.type_int() }}) as quantidade_realizada_origem,
        cast(null as {{ dbt.type_int() }}) as periodo_fechado_origem,
        cast(null as {{ dbt.type_string() }}) as tipo_periodo,
        cast(null as {{ dbt.type_timestamp() }}) as data_inclusao,
        vendas.net_amount - vendas.returned_amount as valor_realizado,
        vendas.quantity - vendas.return_quantity as quantidade_realizada,
        vendas.order_id as pedido_id
    from vendas

)

select * from final
