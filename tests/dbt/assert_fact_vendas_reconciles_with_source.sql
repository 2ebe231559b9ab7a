-- Reconciliation, zero tolerance. Returns what differs.
-- A full check (etl_full_checks, --full-refresh, `dbt test`): per order month, the count
-- of items, the sums of gross, discount and net and the count of distinct orders in
-- fact_vendas equal the source's, over the source rows up to fact_vendas's watermark
-- (valid and not soft-deleted).
-- An incremental build: every sale this run loaded equals its source item (amounts,
-- order, deletion), the source rows read by key through their primary key.
{% if etl_full_checks() or flags.WHICH != 'build' %}
with

control as (

    select
        watermark_updated_at,
        watermark_id
    from {{ source('etl', 'etl_control') }}
    where entity_name = 'fact_vendas'

),

vendas as (

    select * from {{ ref('int_vendas_validated') }}

),

fact_vendas as (

    select * from {{ ref('fact_vendas') }}

),

loaded_source as (

    select vendas.*
    from vendas
    cross join control
    where
        vendas.alterado_em < control.watermark_updated_at
        or (
            vendas.alterado_em = control.watermark_updated_at
            and vendas.order_item_id <= control.watermark_id
        )

),

source_by_month as (

    select
        {{ date_key("cast(" ~ dbt.date_trunc('month', 'order_date') ~ " as date)") }} as mes_key,
        count(*) as itens,
        sum(gross_amount) as bruto,
        sum(discount_amount) as descontos,
        sum(net_amount) as liquido,
        count(distinct order_id) as pedidos
    from loaded_source
    where
        motivo_quarentena is null
        and item_deleted_at is null
        and order_deleted_at is null
    group by {{ date_key("cast(" ~ dbt.date_trunc('month', 'order_date') ~ " as date)") }}

),

fact_by_month as (

    select
        {{ date_key("cast(" ~ dbt.date_trunc('month', 'fact_vendas.data_pedido') ~ " as date)") }} as mes_key,
        count(*) as itens,
        sum(fact_vendas.valor_total_bruto) as bruto,
        sum(fact_vendas.valor_total_descontos) as descontos,
        sum(fact_vendas.valor_total_liquido) as liquido,
        count(distinct fact_vendas.pedido_original_id) as pedidos
    from fact_vendas
    inner join loaded_source
        on fact_vendas.venda_id = loaded_source.order_item_id
    where not ({{ is_true('fact_vendas._etl_source_deleted') }})
    group by {{ date_key("cast(" ~ dbt.date_trunc('month', 'fact_vendas.data_pedido') ~ " as date)") }}

),

final as (

    select
        coalesce(source_by_month.mes_key, fact_by_month.mes_key) as mes_key,
        source_by_month.itens as itens_origem,
        fact_by_month.itens as itens_dw,
        source_by_month.liquido as liquido_origem,
        fact_by_month.liquido as liquido_dw
    from source_by_month
    full outer join fact_by_month
        on source_by_month.mes_key = fact_by_month.mes_key
    where
        source_by_month.mes_key is null
        or fact_by_month.mes_key is null
        or source_by_month.itens <> fact_by_month.itens
        or source_by_month.bruto <> fact_by_month.bruto
        or source_by_month.descontos <> fact_by_month.descontos
        or source_by_month.liquido <> fact_by_month.liquido
        or source_by_month.pedidos <> fact_by_month.pedidos

)

select * from final
{% else %}
with

loaded as (

    select * from {{ ref('fact_vendas') }}
    where _etl_invocation_id = '{{ invocation_id }}'

),

source_items as (

    select * from {{ ref('int_vendas_validated') }}
    where order_item_id in (select loaded.venda_id from loaded)

),

final as (

    select
        loaded.venda_id,
        source_items.order_item_id,
        source_items.motivo_quarentena
    from loaded
    left join source_items
        on loaded.venda_id = source_items.order_item_id
    where
        source_items.order_item_id is null
        or source_items.motivo_quarentena is not null
        or loaded.pedido_original_id <> source_items.order_id
        or loaded.quantidade_vendida <> source_items.quantity
        or loaded.valor_total_bruto <> source_items.gross_amount
        or loaded.valor_total_descontos <> source_items.discount_amount
        or loaded.valor_total_liquido <> source_items.net_amount
        or (
            {{ is_true('loaded._etl_source_deleted') }}
            and source_items.item_deleted_at is null
            and source_items.order_deleted_at is null
        )
        or (
            not ({{ is_true('loaded._etl_source_deleted') }})
            and (source_items.item_deleted_at is not null or source_items.order_deleted_at is not null)
        )

)

select * from final
{% endif %}
