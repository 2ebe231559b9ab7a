{#- dim.VW_CALENDARIO_COMPLETO: the calendar with working days, a period label
    ('Q1 2024'), week and day of the year, days in the month and month end. semana_ano
    is dim_data.semana_do_ano (SQL Server's DATEPART(WEEK), weeks from Sunday). The
    unknown date (-1) is left out. -#}
{{ config(schema='dim') }}

with

dim_data as (

    select * from {{ ref('dim_data') }}

),

final as (

    select
        dim_data.data_id,
        dim_data.data_completa,
        dim_data.ano,
        dim_data.trimestre,
        dim_data.mes,
        dim_data.nome_mes,
        dim_data.dia_da_semana as dia_semana,
        dim_data.nome_dia_semana,
        dim_data.eh_fim_de_semana,
        dim_data.eh_feriado,
        dim_data.nome_feriado,
        {{ ecommerce_dw.as_boolean(
            'not (' ~ ecommerce_dw.is_true('dim_data.eh_fim_de_semana') ~ ')'
            ~ ' and not (' ~ ecommerce_dw.is_true('dim_data.eh_feriado') ~ ')'
        ) }} as eh_dia_util,
        {{ dbt.concat([
            "'Q'",
            'cast(dim_data.trimestre as ' ~ dbt.type_string() ~ ')',
            "' '",
            'cast(dim_data.ano as ' ~ dbt.type_string() ~ ')',
        ]) }} as periodo_desc,
        dim_data.semana_do_ano as semana_ano,
        dim_data.dia_do_ano as dia_ano,
        {{ ecommerce_dw.date_part('day', dbt.last_day('dim_data.data_completa', 'month')) }} as dias_no_mes,
        dim_data.eh_ultimo_dia_mes
    from dim_data
    where dim_data.data_id <> -1

)

select * from final
