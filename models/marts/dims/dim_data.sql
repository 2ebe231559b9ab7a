{#-
    Calendar dimension: one row per day, rebuilt on every run (no watermark).

    Range: 1 Jan of var('calendar_start_year') to 31 Dec of the current year
    (ecommerce_dw.etl_now(): the run's start time, or var('etl_now') when pinned)
    plus var('calendar_years_ahead'), widened to cover the first and the last
    order_date. The spine is a cross join of five digit sets (0 to 99,999 days),
    portable to DuckDB, PostgreSQL and SQL Server.

    semana_do_ano is SQL Server's DATEPART(WEEK) under DATEFIRST 7, as the original has
    it (weeks start on Sunday; week 1 is the one holding 1 January), computed from the
    day of the year and the weekday of 1 January so every target gives the same number.

    Unknown member: data_id -1 (1900-01-01, names 'N/A'), for facts whose date is missing.

    Holidays: the fixed national ones from the seed, plus Carnaval, Sexta-feira
    Santa and Corpus Christi from Easter (anonymous Gregorian / Meeus algorithm).
    When a fixed and a movable holiday fall on the same day (Tiradentes and
    Sexta-feira Santa in 2000 and 2079), the fixed one names the day.
-#}

{{ config(materialized='table') }}

{%- set first_year = var('calendar_start_year') | int -%}
{%- set last_year = ecommerce_dw.etl_now().year + (var('calendar_years_ahead') | int) -%}
{%- set year_as_string = 'cast(ano as ' ~ dbt.type_string() ~ ')' -%}
{#- Once the calendar exists, an incremental run widens it by the orders changed since the
    oldest watermark of the entities that read orders (the source's (updated_at, order_id)
    index) instead of reading every order: orders are never removed, so the range only
    grows. A full check reads them all. -#}
{%- set calendar = adapter.get_relation(this.database, this.schema, this.identifier) if execute and this is not none else none -%}
{%- set since = etl_oldest_watermark(etl_entities_downstream('source.ecommerce_dw.oltp.orders'))
    if calendar is not none and not etl_full_checks() else none -%}

with

stg_oltp__orders as (

    select * from {{ ref('stg_oltp__orders') }}

),

feriados_nacionais_fixos as (

    select * from {{ ref('feriados_nacionais_fixos') }}

),

digits as (

    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9

),

day_offsets as (

    select
        ones.digit
        + tens.digit * 10
        + hundreds.digit * 100
        + thousands.digit * 1000
        + ten_thousands.digit * 10000 as day_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands

),

order_date_bounds as (

    {%- if since %}
    select
        min(known_dates.data_pedido) as primeira_data_pedido,
        max(known_dates.data_pedido) as ultima_data_pedido
    from (
        select dim_data.data_completa as data_pedido
        from {{ this }} as dim_data
        where dim_data.data_id <> -1
        union all
        select cast(stg_oltp__orders.order_date as date) as data_pedido
        from stg_oltp__orders
        where stg_oltp__orders.updated_at >= {{ since }}
    ) as known_dates
    {%- else %}
    select
        min(cast(stg_oltp__orders.order_date as date)) as primeira_data_pedido,
        max(cast(stg_oltp__orders.order_date as date)) as ultima_data_pedido
    from stg_oltp__orders
    {%- endif %}

),

calendar_bounds as (

    select
        case
            when order_date_bounds.primeira_data_pedido < cast('{{ "%04d" | format(first_year) }}-01-01' as date)
                then order_date_bounds.primeira_data_pedido
            else cast('{{ "%04d" | format(first_year) }}-01-01' as date)
        end as data_inicio,
        case
            when order_date_bounds.ultima_data_pedido > cast('{{ "%04d" | format(last_year) }}-12-31' as date)
                then order_date_bounds.ultima_data_pedido
            else cast('{{ "%04d" | format(last_year) }}-12-31' as date)
        end as data_fim
    from order_date_bounds

),

date_spine as (

    select
        cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'calendar_bounds.data_inicio') }} as date) as data
    from calendar_bounds
    cross join day_offsets
    where day_offsets.day_offset <= {{ dbt.datediff('calendar_bounds.data_inicio', 'calendar_bounds.data_fim', 'day') }}

),

date_parts as (

    select
        data,
        {{ ecommerce_dw.date_part('year', 'data') }} as ano,
        {{ ecommerce_dw.date_part('quarter', 'data') }} as trimestre,
        {{ ecommerce_dw.date_part('month', 'data') }} as mes,
        {{ ecommerce_dw.date_part('day', 'data') }} as dia,
        {{ ecommerce_dw.date_part('dow', 'data') }} as dia_da_semana_base_zero,
        {{ ecommerce_dw.date_part('doy', 'data') }} as dia_do_ano,
        {{ ecommerce_dw.date_part('month', dbt.dateadd('day', '1', 'data')) }} as mes_do_dia_seguinte
    from date_spine

),

calendar_years as (

    select distinct ano
    from date_parts

),

{# Meeus / Jones / Butcher, in integer arithmetic, with the algorithm's own letters
   (a, b, c, ... m) so it can be checked against the reference. Easter is 22 March
   plus (h + l - 7m) days, which avoids building the date from month and day. #}
easter_terms_century as (

    select
        ano,
        ano % 19 as a,
        {{ ecommerce_dw.int_div('ano', '100') }} as b,
        ano % 100 as c
    from calendar_years

),

easter_terms_epact as (

    select
        ano,
        a,
        b,
        c,
        {{ ecommerce_dw.int_div('b', '4') }} as d,
        b % 4 as e,
        {{ ecommerce_dw.int_div('b + 8', '25') }} as f,
        {{ ecommerce_dw.int_div('c', '4') }} as i,
        c % 4 as k
    from easter_terms_century

),

easter_terms_moon as (

    select
        ano,
        a,
        e,
        i,
        k,
        (19 * a + b - d - {{ ecommerce_dw.int_div('b - f + 1', '3') }} + 15) % 30 as h
    from easter_terms_epact

),

easter_terms_weekday as (

    select
        ano,
        a,
        h,
        (32 + 2 * e + 2 * i - h - k) % 7 as l
    from easter_terms_moon

),

easter_sundays as (

    select
        ano,
        h + l - 7 * {{ ecommerce_dw.int_div('a + 11 * h + 22 * l', '451') }} as dias_apos_22_marco,
        cast({{ dbt.concat([year_as_string, "'-03-22'"]) }} as date) as dia_22_marco
    from easter_terms_weekday

),

easter_dates as (

    select
        ano,
        cast({{ dbt.dateadd('day', 'dias_apos_22_marco', 'dia_22_marco') }} as date) as data_pascoa
    from easter_sundays

),

feriados_moveis as (

    select
        cast({{ dbt.dateadd('day', '-47', 'data_pascoa') }} as date) as data,
        'Carnaval' as nome_feriado
    from easter_dates

    union all

    select
        cast({{ dbt.dateadd('day', '-2', 'data_pascoa') }} as date) as data,
        'Sexta-feira Santa' as nome_feriado
    from easter_dates

    union all

    select
        cast({{ dbt.dateadd('day', '60', 'data_pascoa') }} as date) as data,
        'Corpus Christi' as nome_feriado
    from easter_dates

),

feriados_fixos as (

    select
        cast(feriados_nacionais_fixos.mes as {{ dbt.type_int() }}) as mes,
        cast(feriados_nacionais_fixos.dia as {{ dbt.type_int() }}) as dia,
        feriados_nacionais_fixos.nome_feriado
    from feriados_nacionais_fixos

),

days_with_holidays as (

    select
        date_parts.data,
        date_parts.ano,
        date_parts.trimestre,
        date_parts.mes,
        date_parts.dia,
        {{ ecommerce_dw.int_div(
            'date_parts.dia_do_ano - 1 + ((date_parts.dia_da_semana_base_zero - (date_parts.dia_do_ano - 1)) % 7 + 7) % 7',
            '7'
        ) }} + 1 as semana_do_ano,
        date_parts.dia_da_semana_base_zero + 1 as dia_da_semana,
        date_parts.dia_do_ano,
        date_parts.mes_do_dia_seguinte,
        coalesce(feriados_fixos.nome_feriado, feriados_moveis.nome_feriado) as nome_feriado,
        case
            when feriados_fixos.nome_feriado is not null then 'Fixo'
            when feriados_moveis.nome_feriado is not null then 'Movel'
        end as tipo_feriado
    from date_parts
    left join feriados_fixos
        on date_parts.mes = feriados_fixos.mes
        and date_parts.dia = feriados_fixos.dia
    left join feriados_moveis
        on date_parts.data = feriados_moveis.data

),

named as (

    select
        cast(ano * 10000 + mes * 100 + dia as {{ dbt.type_int() }}) as data_id,
        data as data_completa,
        ano,
        trimestre,
        mes,
        dia,
        semana_do_ano,
        dia_da_semana,
        case mes
            when 1 then 'Janeiro'
            when 2 then 'Fevereiro'
            when 3 then 'Marco'
            when 4 then 'Abril'
            when 5 then 'Maio'
            when 6 then 'Junho'
            when 7 then 'Julho'
            when 8 then 'Agosto'
            when 9 then 'Setembro'
            when 10 then 'Outubro'
            when 11 then 'Novembro'
            when 12 then 'Dezembro'
        end as nome_mes,
        case mes
            when 1 then 'Jan'
            when 2 then 'Fev'
            when 3 then 'Mar'
            when 4 then 'Abr'
            when 5 then 'Mai'
            when 6 then 'Jun'
            when 7 then 'Jul'
            when 8 then 'Ago'
            when 9 then 'Set'
            when 10 then 'Out'
            when 11 then 'Nov'
            when 12 then 'Dez'
        end as nome_mes_abrev,
        case dia_da_semana
            when 1 then 'Domingo'
            when 2 then 'Segunda-feira'
            when 3 then 'Terca-feira'
            when 4 then 'Quarta-feira'
            when 5 then 'Quinta-feira'
            when 6 then 'Sexta-feira'
            when 7 then 'Sabado'
        end as nome_dia_semana,
        case dia_da_semana
            when 1 then 'Dom'
            when 2 then 'Seg'
            when 3 then 'Ter'
            when 4 then 'Qua'
            when 5 then 'Qui'
            when 6 then 'Sex'
            when 7 then 'Sab'
        end as nome_dia_semana_abrev,
        {{ ecommerce_dw.as_boolean('dia_da_semana in (1, 7)') }} as eh_fim_de_semana,
        {{ ecommerce_dw.as_boolean('nome_feriado is not null') }} as eh_feriado,
        nome_feriado,
        dia_do_ano,
        {{ ecommerce_dw.as_boolean('(ano % 4 = 0 and ano % 100 <> 0) or ano % 400 = 0') }} as eh_ano_bissexto,
        {{ dbt.concat([
            year_as_string,
            "'-'",
            dbt.right(dbt.concat(["'0'", 'cast(mes as ' ~ dbt.type_string() ~ ')']), '2')
        ]) }} as periodo_mes,
        {{ dbt.concat([year_as_string, "'-Q'", 'cast(trimestre as ' ~ dbt.type_string() ~ ')']) }} as periodo_trimestre,
        tipo_feriado,
        cast({{ dbt.dateadd('day', '1 - dia', 'data') }} as date) as primeiro_dia_mes,
        {{ ecommerce_dw.as_boolean('mes_do_dia_seguinte <> mes') }} as eh_ultimo_dia_mes
    from days_with_holidays

),

final as (

    select * from named

    union all

    select
        -1 as data_id,
        cast('1900-01-01' as date) as data_completa,
        1900 as ano,
        1 as trimestre,
        1 as mes,
        1 as dia,
        1 as semana_do_ano,
        2 as dia_da_semana,
        'N/A' as nome_mes,
        'N/A' as nome_mes_abrev,
        'N/A' as nome_dia_semana,
        'N/A' as nome_dia_semana_abrev,
        {{ ecommerce_dw.bool_literal(false) }} as eh_fim_de_semana,
        {{ ecommerce_dw.bool_literal(false) }} as eh_feriado,
        cast(null as varchar(50)) as nome_feriado,
        1 as dia_do_ano,
        {{ ecommerce_dw.bool_literal(false) }} as eh_ano_bissexto,
        'N/A' as periodo_mes,
        'N/A' as periodo_trimestre,
        cast(null as varchar(10)) as tipo_feriado,
        cast('1900-01-01' as date) as primeiro_dia_mes,
        {{ ecommerce_dw.bool_literal(false) }} as eh_ultimo_dia_mes

)

select * from final
