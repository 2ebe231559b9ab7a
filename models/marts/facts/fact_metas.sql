{{ config(unique_key='data_id', incremental_strategy='delete+insert') }}

-- depends_on: {{ ref('dim_vendedor') }}
{# Grain: seller x month x tipo_periodo (the source only knows 'Mensal'). Rankings and
    quartiles compare the sellers of a month, so the unit of change is the month: every
    month touched by an event in the load window (a target or any sale of that month) is
    recomputed whole and replaced (delete+insert on the month's data_id). A new or changed
    sale therefore updates its seller's month on the next run, and a sale moving to another
    seller updates both.

    The original's rules (CONTRACT.md): percentual_atingido = realizado / meta x 100, capped
    at 999.99; gap_meta = realizado - meta; meta_batida = realizado >= meta; meta_superada =
    realizado > meta; ticket_medio_realizado = realizado / quantidade_realizada (NULL when
    0); ranking_periodo = DENSE_RANK of the month by valor_realizado desc, vendedor asc;
    quartil_performance = NTILE(4) in the same order, Q1 the best. valor_realizado is
    computed from the sales (the source's own realized_amount is carried beside it as
    valor_realizado_origem; README, metric dictionary). #}

{#- Changed keys (etl_pending): the target rows changed since the watermark, and the sale
    events of changed items or orders (evento_id mixes both id spaces: a key of one space
    found in the other only adds a row the window rule then leaves out). #}
{%- set since = etl_changes_since() %}
{%- set changed_keys %}
    select seller_target_id as changed_key
    from {{ ref('stg_oltp__seller_targets_monthly') }}
    where updated_at >= {{ since }}
    union
    {{ changed_order_items(since) }}
{%- endset %}
{%- set pending = etl_pending(ref('int_metas_eventos'), 'evento_id', changed_keys if since else none) %}

with

eventos as (

    select * from {{ pending }}
    where {{ watermark_filter(pending, 'alterado_em', 'evento_id') }}

),

seller_targets as (

    select * from {{ ref('stg_oltp__seller_targets_monthly') }}

),

sellers as (

    select * from {{ ref('stg_oltp__sellers') }}

),

vendas as (

    select * from {{ ref('int_vendas_validated') }}

),

meses_alterados as (

    select distinct mes_referencia
    from eventos

),

metas as (

    select
        seller_targets.seller_id,
        cast({{ dbt.date_trunc('month', 'seller_targets.target_month') }} as date) as mes_referencia,
        max(coalesce(seller_targets.period_type, 'Mensal')) as tipo_periodo,
        sum(seller_targets.target_amount) as valor_meta,
        sum(seller_targets.target_quantity) as quantidade_meta,
        sum(seller_targets.realized_amount) as valor_realizado_origem,
        sum(seller_targets.realized_quantity) as quantidade_realizada_origem,
        max(case when {{ is_true('seller_targets.period_closed') }} then 1 else 0 end) as periodo_fechado_origem,
        min(seller_targets.created_at) as data_inclusao,
        max(seller_targets.updated_at) as alterado_em
    from seller_targets
    inner join meses_alterados
        on cast({{ dbt.date_trunc('month', 'seller_targets.target_month') }} as date) = meses_alterados.mes_referencia
    where seller_targets.deleted_at is null
    group by seller_targets.seller_id, cast({{ dbt.date_trunc('month', 'seller_targets.target_month') }} as date)

),

realizado as (

    select
        vendas.seller_id,
        cast({{ dbt.date_trunc('month', 'vendas.order_date') }} as date) as mes_referencia,
        sum(vendas.net_amount - vendas.returned_amount) as valor_realizado,
        sum(vendas.quantity - vendas.return_quantity) as quantidade_realizada,
        count(distinct vendas.order_id) as quantidade_pedidos,
        max(greatest(vendas.item_updated_at, coalesce(vendas.order_updated_at, vendas.item_updated_at))) as alterado_em
    from vendas
    inner join meses_alterados
        on cast({{ dbt.date_trunc('month', 'vendas.order_date') }} as date) = meses_alterados.mes_referencia
    where vendas.motivo_quarentena is null
        and vendas.seller_id is not null
        and vendas.item_deleted_at is null
        and vendas.order_deleted_at is null
        and vendas.order_status in ('Pago', 'Faturado', 'Enviado', 'Entregue')
    group by vendas.seller_id, cast({{ dbt.date_trunc('month', 'vendas.order_date') }} as date)

),

combinado as (

    select
        coalesce(metas.seller_id, realizado.seller_id) as seller_id,
        coalesce(metas.mes_referencia, realizado.mes_referencia) as mes_referencia,
        coalesce(metas.tipo_periodo, 'Mensal') as tipo_periodo,
        coalesce(metas.valor_meta, 0) as valor_meta,
        metas.quantidade_meta,
        coalesce(realizado.valor_realizado, 0) as valor_realizado,
        coalesce(realizado.quantidade_realizada, 0) as quantidade_realizada,
        coalesce(realizado.quantidade_pedidos, 0) as quantidade_pedidos,
        metas.valor_realizado_origem,
        metas.quantidade_realizada_origem,
        metas.periodo_fechado_origem,
        coalesce(metas.data_inclusao, realizado.alterado_em) as data_inclusao,
        case
            when realizado.alterado_em is null then metas.alterado_em
            when metas.alterado_em is null then realizado.alterado_em
            when metas.alterado_em > realizado.alterado_em then metas.alterado_em
            else realizado.alterado_em
        end as alterado_em
    from metas
    full outer join realizado
        on metas.seller_id = realizado.seller_id
        and metas.mes_referencia = realizado.mes_referencia

),

final as (

    select
        cast(combinado.seller_id * 100000000 + {{ date_key('combinado.mes_referencia') }} as {{ dbt.type_bigint() }}) as meta_id,
        combinado.seller_id as vendedor_id,
        {{ date_key('combinado.mes_referencia') }} as data_id,
        combinado.valor_meta,
        cast(combinado.quantidade_meta as {{ dbt.type_int() }}) as quantidade_meta,
        combinado.valor_realizado,
        cast(combinado.quantidade_realizada as {{ dbt.type_int() }}) as quantidade_realizada,
        cast(
            case
                when combinado.valor_meta <= 0 then 0
                when 100 * combinado.valor_realizado / combinado.valor_meta > 999.99 then 999.99
                else round(100 * combinado.valor_realizado / combinado.valor_meta, 2)
            end as decimal(6, 2)
        ) as percentual_atingido,
        combinado.valor_realizado - combinado.valor_meta as gap_meta,
        case
            when combinado.quantidade_realizada > 0
                then cast(round(combinado.valor_realizado / combinado.quantidade_realizada, 2) as decimal(15, 2))
        end as ticket_medio_realizado,
        dense_rank() over (
            partition by combinado.mes_referencia
            order by combinado.valor_realizado desc, combinado.seller_id asc
        ) as ranking_periodo,
        {{ dbt.concat(["'Q'", "cast(ntile(4) over (partition by combinado.mes_referencia order by combinado.valor_realizado desc, combinado.seller_id asc) as " ~ dbt.type_string() ~ ")"]) }} as quartil_performance,
        {{ as_boolean('combinado.valor_realizado >= combinado.valor_meta') }} as meta_batida,
        {{ as_boolean('combinado.valor_realizado > combinado.valor_meta') }} as meta_superada,
        {{ as_boolean(
            'combinado.periodo_fechado_origem = 1 or (combinado.periodo_fechado_origem is null and combinado.mes_referencia < '
            ~ dbt.date_trunc('month', timestamp_literal(etl_now())) ~ ')'
        ) }} as eh_periodo_fechado,
        combinado.tipo_periodo,
        combinado.data_inclusao,
        combinado.alterado_em as data_ultima_atualizacao,
        coalesce(sellers.team_id, -1) as equipe_id,
        combinado.mes_referencia,
        combinado.quantidade_pedidos,
        combinado.valor_realizado_origem,
        cast(combinado.quantidade_realizada_origem as {{ dbt.type_int() }}) as quantidade_realizada_origem,
        {{ etl_load_columns('combinado.alterado_em', '1 = 0') }}
    from combinado
    left join sellers
        on combinado.seller_id = sellers.seller_id

)

select * from final
