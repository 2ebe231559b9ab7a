{{ config(unique_key='data_key', incremental_strategy='delete+insert') }}

-- depends_on: {{ ref('dim_vendedor') }}
{# Grain: seller x month x tipo_periodo. Rankings and quartiles compare the sellers of a
    month, so the unit of change is the month: every month touched by an event in the load
    window (a target or any sale of that month) is recomputed whole and replaced
    (delete+insert on the month's data_key). A new or changed sale therefore updates its
    seller's month on the next run, and a sale moving to another seller updates both. #}

with

eventos as (

    select * from {{ ref('int_metas_eventos') }}
    where {{ watermark_filter(ref('int_metas_eventos'), 'alterado_em', 'evento_id') }}

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
        sum(seller_targets.target_amount) as valor_meta,
        sum(seller_targets.target_quantity) as quantidade_meta,
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
        max(vendas.alterado_em) as alterado_em
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
        coalesce(metas.valor_meta, 0) as valor_meta,
        coalesce(metas.quantidade_meta, 0) as quantidade_meta,
        coalesce(realizado.valor_realizado, 0) as valor_realizado,
        coalesce(realizado.quantidade_realizada, 0) as quantidade_realizada,
        coalesce(realizado.quantidade_pedidos, 0) as quantidade_pedidos,
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

medido as (

    select
        combinado.*,
        case
            when combinado.valor_meta <= 0 then null
            when 100 * combinado.valor_realizado / combinado.valor_meta > 999.99 then 999.99
            else round(100 * combinado.valor_realizado / combinado.valor_meta, 2)
        end as percentual_atingido
    from combinado

),

final as (

    select
        {{ date_key('medido.mes_referencia') }} as data_key,
        medido.seller_id as vendedor_key,
        coalesce(sellers.team_id, -1) as equipe_key,
        medido.mes_referencia,
        cast('Mensal' as varchar(20)) as tipo_periodo,
        medido.valor_meta,
        medido.quantidade_meta,
        medido.valor_realizado,
        medido.quantidade_realizada,
        medido.quantidade_pedidos,
        cast(medido.percentual_atingido as decimal(6, 2)) as percentual_atingido,
        medido.valor_meta - medido.valor_realizado as gap_meta,
        case
            when medido.quantidade_pedidos > 0
                then round(medido.valor_realizado / medido.quantidade_pedidos, 2)
            else 0
        end as ticket_medio_realizado,
        {{ as_boolean('medido.percentual_atingido >= 100') }} as meta_batida,
        {{ as_boolean('medido.percentual_atingido > 100') }} as meta_superada,
        rank() over (
            partition by medido.mes_referencia
            order by coalesce(medido.percentual_atingido, -1) desc
        ) as ranking_periodo,
        {{ dbt.concat(["'Q'", "cast(ntile(4) over (partition by medido.mes_referencia order by coalesce(medido.percentual_atingido, -1) desc, medido.seller_id) as " ~ dbt.type_string() ~ ")"]) }} as quartil_performance,
        {{ as_boolean('medido.mes_referencia < ' ~ dbt.date_trunc('month', timestamp_literal(etl_now()))) }} as eh_periodo_fechado,
        {{ etl_load_columns('medido.alterado_em', '1 = 0') }}
    from medido
    left join sellers
        on medido.seller_id = sellers.seller_id

)

select * from final
