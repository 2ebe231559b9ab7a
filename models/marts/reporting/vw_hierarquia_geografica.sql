{#- dim.VW_HIERARQUIA_GEOGRAFICA: the active regions (eh_ativo) with the country >
    macro-region > state > city path and the original's demographic classifications.
    The source carries no CEP range, DDD, municipality type or size, population, area,
    density, GDP, HDI, coordinates or time zone: those are typed NULLs, and the
    classifications follow the original's CASE on them (population and HDI fall to
    their last band, eh_capital is false, codigo_estado_ddd is 'UF-'). The unknown
    member (-1) is left out. -#}
{{ config(schema='dim') }}

with

dim_regiao as (

    select * from {{ ref('dim_regiao') }}

),

regioes as (

    select
        dim_regiao.regiao_id,
        dim_regiao.regiao_original_id,
        dim_regiao.pais,
        dim_regiao.regiao_pais,
        dim_regiao.estado,
        dim_regiao.nome_estado,
        dim_regiao.cidade,
        dim_regiao.codigo_ibge,
        cast(null as varchar(10)) as cep_inicial,
        cast(null as varchar(10)) as cep_final,
        cast(null as varchar(2)) as ddd,
        cast(null as varchar(30)) as tipo_municipio,
        cast(null as varchar(20)) as porte_municipio,
        cast(null as {{ dbt.type_int() }}) as populacao_estimada,
        cast(null as decimal(10, 2)) as area_km2,
        cast(null as decimal(10, 2)) as densidade_demografica,
        cast(null as decimal(10, 2)) as pib_per_capita,
        cast(null as decimal(4, 3)) as idh,
        cast(null as decimal(10, 7)) as latitude,
        cast(null as decimal(10, 7)) as longitude,
        cast(null as varchar(50)) as fuso_horario
    from dim_regiao
    where
        dim_regiao.regiao_id <> -1
        and {{ ecommerce_dw.is_true('dim_regiao.eh_ativo') }}

),

final as (

    select
        regioes.regiao_id,
        regioes.regiao_original_id,
        regioes.pais,
        regioes.regiao_pais,
        regioes.estado,
        regioes.nome_estado,
        regioes.cidade,
        regioes.codigo_ibge,
        regioes.cep_inicial,
        regioes.cep_final,
        regioes.ddd,
        regioes.tipo_municipio,
        regioes.porte_municipio,
        regioes.populacao_estimada,
        regioes.area_km2,
        regioes.densidade_demografica,
        regioes.pib_per_capita,
        regioes.idh,
        regioes.latitude,
        regioes.longitude,
        regioes.fuso_horario,
        {{ dbt.concat([
            "coalesce(regioes.pais, '')",
            "' > '",
            "coalesce(regioes.regiao_pais, '')",
            "' > '",
            "coalesce(regioes.estado, '')",
            "' > '",
            "coalesce(regioes.cidade, '')",
        ]) }} as hierarquia_completa,
        case
            when regioes.populacao_estimada > 1000000 then 'Metrópole (>1M)'
            when regioes.populacao_estimada > 500000 then 'Grande (500k-1M)'
            when regioes.populacao_estimada > 100000 then 'Médio (100k-500k)'
            else 'Pequeno (<100k)'
        end as classificacao_populacional,
        case
            when regioes.idh >= 0.800 then 'Muito Alto (≥0.800)'
            when regioes.idh >= 0.700 then 'Alto (0.700-0.799)'
            when regioes.idh >= 0.600 then 'Médio (0.600-0.699)'
            else 'Baixo (<0.600)'
        end as classificacao_idh,
        {{ ecommerce_dw.as_boolean("regioes.tipo_municipio = 'Capital'") }} as eh_capital,
        {{ dbt.concat([
            "coalesce(regioes.estado, '')",
            "'-'",
            "coalesce(regioes.ddd, '')",
        ]) }} as codigo_estado_ddd
    from regioes

)

select * from final
