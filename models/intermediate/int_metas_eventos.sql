-- Everything that can change a row of fact_metas, as events with a change timestamp and
-- the month they touch: a target row, or a sale (any order item, loaded or quarantined).
-- fact_metas recomputes every month that has an event in its load window.
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
        cast({{ dbt.date_trunc('month', 'seller_targets.target_month') }} as date) as mes_referencia
    from seller_targets

    union all

    select
        -- a sale's figures in fact_metas come from the item and its order alone
        greatest(vendas.item_updated_at, coalesce(vendas.order_updated_at, vendas.item_updated_at)) as alterado_em,
        vendas.order_item_id as evento_id,
        'venda' as tipo_evento,
        cast({{ dbt.date_trunc('month', 'vendas.order_date') }} as date) as mes_referencia
    from vendas
    where vendas.order_date is not null

)

select * from final
