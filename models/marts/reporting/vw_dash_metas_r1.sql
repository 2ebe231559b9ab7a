{#- fact.VW_DASH_METAS_R1: what the goals dashboard reads. One row per month of the last
    24 (to the current one) and active seller (eh_ativo and situacao 'Ativo'), where the
    seller has a goal or sold something that month. The goal is the seller's
    meta_mensal_base; realizado, itens and pedidos add up every fact_vendas row of the
    seller-month whatever the order status (soft-deleted rows aside). Ranking and
    quartile are within the month, by valor_realizado descending then vendedor_id, over
    the rows kept. "Now" is reporting_now(). -#}
{{ config(schema='fact') }}

{%- set today = 'cast(' ~ ecommerce_dw.reporting_now() ~ ' as date)' %}

with

dim_data as (

    select * from {{ ref('dim_data') }}

),

dim_vendedor as (

    select * from {{ ref('dim_vendedor') }}

),

dim_equipe as (

    select * from {{ ref('dim_equipe') }}

),

fact_vendas as (

    select * from {{ ref('fact_vendas') }}

),

-- first days of the months whose first day is no older than 24 months before today, to
-- the current month (a first day is <= the end of the current month iff it is <= today)
month_range as (

    select
        dim_data.data_id,
        dim_data.data_completa,
        dim_data.ano,
        dim_data.trimestre,
        dim_data.mes,
        dim_data.nome_mes
    from dim_data
    where
        dim_data.dia = 1
        and dim_data.data_id <> -1
        and dim_data.data_completa >= {{ dbt.dateadd('month', '-24', today) }}
        and dim_data.data_completa <= {{ today }}

),

sellers as (

    select
        dim_vendedor.vendedor_id,
        dim_vendedor.vendedor_original_id,
        dim_vendedor.nome_vendedor,
        coalesce(dim_vendedor.nome_equipe, 'Sem equipe') as nome_equipe,
        dim_vendedor.equipe_id,
        coalesce(dim_equipe.regional, 'Sem regional') as regional,
        coalesce(dim_equipe.tipo_equipe, 'Nao informado') as tipo_equipe,
        coalesce(dim_vendedor.estado_atuacao, 'Nao informado') as estado_atuacao,
        coalesce(dim_vendedor.cidade_atuacao, 'Nao informado') as cidade_atuacao,
        coalesce(dim_vendedor.meta_mensal_base, 0) as valor_meta
    from dim_vendedor
    left join dim_equipe
        on dim_vendedor.equipe_id = dim_equipe.equipe_id
    where
        dim_vendedor.vendedor_id <> -1
        and {{ ecommerce_dw.is_true('dim_vendedor.eh_ativo') }}
        and dim_vendedor.situacao = 'Ativo'

),

sales_monthly as (

    select
        dim_data.primeiro_dia_mes as data_completa,
        fact_vendas.vendedor_id,
        sum(fact_vendas.valor_total_liquido) as valor_realizado,
        cast(sum(fact_vendas.quantidade_vendida) as {{ dbt.type_int() }}) as itens_realizados,
        count(distinct fact_vendas.numero_pedido) as pedidos_realizados
    from fact_vendas
    inner join dim_data
        on fact_vendas.data_id = dim_data.data_id
    where not ({{ ecommerce_dw.is_true('fact_vendas._etl_source_deleted') }})
    group by
        dim_data.primeiro_dia_mes,
        fact_vendas.vendedor_id

),

seller_months as (

    select
        month_range.data_id,
        month_range.data_completa,
        month_range.ano,
        month_range.trimestre,
        month_range.mes,
        month_range.nome_mes,
        sellers.vendedor_id,
        sellers.vendedor_original_id,
        sellers.nome_vendedor,
        sellers.nome_equipe,
        sellers.equipe_id,
        sellers.regional,
        sellers.tipo_equipe,
        sellers.estado_atuacao,
        sellers.cidade_atuacao,
        sellers.valor_meta,
        coalesce(sales_monthly.valor_realizado, 0) as valor_realizado,
        coalesce(sales_monthly.itens_realizados, 0) as itens_realizados,
        coalesce(sales_monthly.pedidos_realizados, 0) as pedidos_realizados
    from month_range
    cross join sellers
    left join sales_monthly
        on month_range.data_completa = sales_monthly.data_completa
        and sellers.vendedor_id = sales_monthly.vendedor_id

),

kept as (

    select seller_months.* from seller_months
    where seller_months.valor_meta > 0 or seller_months.valor_realizado > 0

),

ranked as (

    select
        kept.*,
        -- bigint as in the contract (ranks are int on Spark)
        cast(row_number() over (
            order by kept.data_id, kept.vendedor_id
        ) as {{ dbt.type_bigint() }}) as meta_snapshot_id,
        cast(dense_rank() over (
            partition by kept.data_id
            order by kept.valor_realizado desc, kept.vendedor_id asc
        ) as {{ dbt.type_bigint() }}) as ranking_periodo,
        ntile(4) over (
            partition by kept.data_id
            order by kept.valor_realizado desc, kept.vendedor_id asc
        ) as quartil_numero
    from kept

),

final as (

    select
        ranked.meta_snapshot_id,
        ranked.data_id,
        ranked.data_completa,
        ranked.ano,
        ranked.trimestre,
        ranked.mes,
        ranked.nome_mes,
        ranked.vendedor_id,
        ranked.vendedor_original_id,
        ranked.nome_vendedor,
        ranked.nome_equipe,
        ranked.equipe_id,
        ranked.regional,
        ranked.tipo_equipe,
        ranked.estado_atuacao,
        ranked.cidade_atuacao,
        cast(ranked.valor_meta as decimal(15, 2)) as valor_meta,
        cast(ranked.valor_realizado as decimal(15, 2)) as valor_realizado,
        cast(ranked.valor_realizado - ranked.valor_meta as decimal(15, 2)) as gap_meta,
        cast(
            case
                when ranked.valor_meta > 0 then ranked.valor_realizado * 100.0 / ranked.valor_meta
                else 0
            end as decimal(12, 2)
        ) as percentual_atingido,
        {{ ecommerce_dw.as_boolean('ranked.valor_meta > 0 and ranked.valor_realizado >= ranked.valor_meta') }} as meta_batida,
        {{ ecommerce_dw.as_boolean('ranked.valor_meta > 0 and ranked.valor_realizado >= ranked.valor_meta * 1.2') }} as meta_superada,
        ranked.ranking_periodo,
        case ranked.quartil_numero
            when 1 then 'Q1'
            when 2 then 'Q2'
            when 3 then 'Q3'
            else 'Q4'
        end as quartil_performance,
        ranked.itens_realizados,
        ranked.pedidos_realizados,
        {{ ecommerce_dw.reporting_now() }} as data_atualizacao
    from ranked

)

select * from final
