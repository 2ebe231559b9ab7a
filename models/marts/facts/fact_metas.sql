{{ config(unique_key='data_id', incremental_strategy='delete+insert') }}

-- depends_on: {{ ref('dim_vendedor') }}
{# Grain: seller x month x tipo_periodo (the source only knows 'Mensal'). The unit of
    change is the seller-month: the events of the load window (int_metas_eventos: a target
    row or a sale) touch the seller-month each counted in when last loaded (the state,
    ctl.etl_state__fact_metas) and the one it counts in now. Those seller-months are
    recomputed from the state with the window's events in it; the month's other sellers
    keep their rows from the warehouse, and the ranks and quartiles of each touched month
    are recomputed over all of its sellers. Each touched month is then replaced whole
    (delete+insert on its data_id). A sale whose order moves to another seller or month
    therefore leaves the old seller-month and enters the new one; a seller-month left
    with no target and no sale is removed. A full build computes every seller-month from
    the whole intermediate model. The post-hook (etl_complete_load, meta etl.state) saves
    the window's events into the state before it moves the watermark.

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
    where {{ etl_changed(since, 'updated_at', 'seller_target_id') }}
    union
    {{ changed_order_items(since) }}
{%- endset %}
{%- set pending = etl_pending(ref('int_metas_eventos'), 'evento_id', changed_keys if since else none) %}
{%- set state = etl_state(ref('int_metas_eventos'), 'alterado_em', 'evento_id') %}

with

eventos as (

    select * from {{ pending }}
    where {{ watermark_filter(pending, 'alterado_em', 'evento_id') }}

),

{% if is_incremental() %}
estado_anterior as (

    select * from {{ state.relation }}

),

vendedor_meses as (

    -- where the window's events counted before, and where they count now
    select estado_anterior.vendedor_id, estado_anterior.mes_referencia
    from estado_anterior
    inner join eventos
        on estado_anterior.tipo_evento = eventos.tipo_evento
        and estado_anterior.evento_id = eventos.evento_id

    union

    select eventos.vendedor_id, eventos.mes_referencia
    from eventos
    where eventos.eh_valido = 1
{%- if state.created %}

    union

    -- the state was created in this run: every seller-month the warehouse holds
    select atual.vendedor_id, atual.mes_referencia
    from {{ this }} as atual
{%- endif %}

),

estado as (

    -- the touched seller-months' events, with the window's in place of their old versions
    select estado_anterior.*
    from estado_anterior
    inner join vendedor_meses
        on estado_anterior.vendedor_id = vendedor_meses.vendedor_id
        and estado_anterior.mes_referencia = vendedor_meses.mes_referencia
    where not exists (
        select 1
        from eventos
        where eventos.tipo_evento = estado_anterior.tipo_evento
            and eventos.evento_id = estado_anterior.evento_id
    )

    union all

    select * from eventos
    where eventos.eh_valido = 1

),
{% else %}
estado as (

    select * from eventos
    where eh_valido = 1

),
{% endif %}

sellers as (

    select * from {{ ref('stg_oltp__sellers') }}

),

metas as (

    select
        vendedor_id,
        mes_referencia,
        max(tipo_periodo) as tipo_periodo,
        -- sums in the contract's decimal(38, 2) on every engine (Spark widens a sum by 10 digits)
        cast(sum(valor_meta) as decimal(38, 2)) as valor_meta,
        sum(quantidade_meta) as quantidade_meta,
        cast(sum(valor_realizado_origem) as decimal(38, 2)) as valor_realizado_origem,
        sum(quantidade_realizada_origem) as quantidade_realizada_origem,
        max(periodo_fechado_origem) as periodo_fechado_origem,
        min(data_inclusao) as data_inclusao,
        max(alterado_em) as alterado_em
    from estado
    where tipo_evento = 'meta'
    group by vendedor_id, mes_referencia

),

realizado as (

    select
        vendedor_id,
        mes_referencia,
        cast(sum(valor_realizado) as decimal(38, 2)) as valor_realizado,
        sum(quantidade_realizada) as quantidade_realizada,
        count(distinct pedido_id) as quantidade_pedidos,
        max(alterado_em) as alterado_em
    from estado
    where tipo_evento = 'venda'
    group by vendedor_id, mes_referencia

),

combinado as (

    select
        coalesce(metas.vendedor_id, realizado.vendedor_id) as vendedor_id,
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
        on metas.vendedor_id = realizado.vendedor_id
        and metas.mes_referencia = realizado.mes_referencia

),

recalculado as (

    select
        combinado.vendedor_id,
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
        cast(combinado.valor_realizado - combinado.valor_meta as decimal(38, 2)) as gap_meta,
        case
            when combinado.quantidade_realizada > 0
                then cast(round(combinado.valor_realizado / combinado.quantidade_realizada, 2) as decimal(15, 2))
        end as ticket_medio_realizado,
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
        cast(combinado.quantidade_realizada_origem as {{ dbt.type_int() }}) as quantidade_realizada_origem
    from combinado
    left join sellers
        on combinado.vendedor_id = sellers.seller_id

),

meses as (

    select
        recalculado.vendedor_id,
        recalculado.data_id,
        recalculado.valor_meta,
        recalculado.quantidade_meta,
        recalculado.valor_realizado,
        recalculado.quantidade_realizada,
        recalculado.percentual_atingido,
        recalculado.gap_meta,
        recalculado.ticket_medio_realizado,
        recalculado.meta_batida,
        recalculado.meta_superada,
        recalculado.eh_periodo_fechado,
        recalculado.tipo_periodo,
        recalculado.data_inclusao,
        recalculado.data_ultima_atualizacao,
        recalculado.equipe_id,
        recalculado.mes_referencia,
        recalculado.quantidade_pedidos,
        recalculado.valor_realizado_origem,
        recalculado.quantidade_realizada_origem
    from recalculado
    {%- if is_incremental() %}

    union all

    -- the touched months' other sellers, as the warehouse has them, to rank with
    select
        atual.vendedor_id,
        atual.data_id,
        atual.valor_meta,
        atual.quantidade_meta,
        atual.valor_realizado,
        atual.quantidade_realizada,
        atual.percentual_atingido,
        atual.gap_meta,
        atual.ticket_medio_realizado,
        atual.meta_batida,
        atual.meta_superada,
        atual.eh_periodo_fechado,
        atual.tipo_periodo,
        atual.data_inclusao,
        atual.data_ultima_atualizacao,
        atual.equipe_id,
        atual.mes_referencia,
        atual.quantidade_pedidos,
        atual.valor_realizado_origem,
        atual.quantidade_realizada_origem
    from {{ this }} as atual
    where atual.mes_referencia in (select mes_referencia from vendedor_meses)
        and not exists (
            select 1
            from vendedor_meses
            where vendedor_meses.vendedor_id = atual.vendedor_id
                and vendedor_meses.mes_referencia = atual.mes_referencia
        )
    {%- endif %}

),

final as (

    select
        cast(meses.vendedor_id * 100000000 + meses.data_id as {{ dbt.type_bigint() }}) as meta_id,
        meses.vendedor_id,
        meses.data_id,
        meses.valor_meta,
        meses.quantidade_meta,
        meses.valor_realizado,
        meses.quantidade_realizada,
        meses.percentual_atingido,
        meses.gap_meta,
        meses.ticket_medio_realizado,
        -- bigint as in the contract (ranks are int on Spark)
        cast(dense_rank() over (
            partition by meses.mes_referencia
            order by meses.valor_realizado desc, meses.vendedor_id asc
        ) as {{ dbt.type_bigint() }}) as ranking_periodo,
        {{ dbt.concat(["'Q'", "cast(ntile(4) over (partition by meses.mes_referencia order by meses.valor_realizado desc, meses.vendedor_id asc) as " ~ dbt.type_string() ~ ")"]) }} as quartil_performance,
        meses.meta_batida,
        meses.meta_superada,
        meses.eh_periodo_fechado,
        meses.tipo_periodo,
        meses.data_inclusao,
        meses.data_ultima_atualizacao,
        meses.equipe_id,
        meses.mes_referencia,
        meses.quantidade_pedidos,
        meses.valor_realizado_origem,
        meses.quantidade_realizada_origem,
        {{ etl_load_columns('meses.data_ultima_atualizacao', '1 = 0') }}
    from meses

)

select * from final
