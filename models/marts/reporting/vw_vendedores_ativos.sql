{#- dim.VW_VENDEDORES_ATIVOS: the active sellers (eh_ativo and situacao 'Ativo') with
    their team, manager, goal and time with the company (months from the hire date to
    reporting_now(), counted as month boundaries like SQL Server's DATEDIFF). The source
    carries no e-mail (typed NULL). The unknown member (-1) is left out. -#}
{{ config(schema='dim') }}

{%- set meses = dbt.datediff('dim_vendedor.data_contratacao', ecommerce_dw.reporting_now(), 'month') %}

with

dim_vendedor as (

    select * from {{ ref('dim_vendedor') }}

),

dim_equipe as (

    select * from {{ ref('dim_equipe') }}

),

final as (

    select
        dim_vendedor.vendedor_id,
        dim_vendedor.vendedor_original_id,
        dim_vendedor.nome_vendedor,
        dim_vendedor.nome_exibicao,
        cast(null as varchar(255)) as email,
        dim_vendedor.cargo,
        dim_vendedor.nivel_senioridade,
        dim_vendedor.equipe_id,
        dim_vendedor.nome_equipe,
        dim_equipe.regional,
        dim_equipe.tipo_equipe,
        dim_vendedor.gerente_id,
        dim_vendedor.nome_gerente,
        dim_vendedor.eh_lider,
        dim_vendedor.estado_atuacao,
        dim_vendedor.cidade_atuacao,
        dim_vendedor.tipo_vendedor,
        dim_vendedor.meta_mensal_base,
        dim_vendedor.percentual_comissao_padrao,
        dim_vendedor.data_contratacao,
        cast({{ meses }} as {{ dbt.type_int() }}) as meses_na_empresa,
        -- the original's CASE: no hire date falls to 'Veterano (2a+)'
        case
            when {{ meses }} < 6 then 'Novato (<6m)'
            when {{ meses }} < 12 then 'Júnior (6-12m)'
            when {{ meses }} < 24 then 'Intermediário (1-2a)'
            else 'Veterano (2a+)'
        end as tempo_casa_categoria
    from dim_vendedor
    left join dim_equipe
        on dim_vendedor.equipe_id = dim_equipe.equipe_id
    where
        dim_vendedor.vendedor_id <> -1
        and {{ ecommerce_dw.is_true('dim_vendedor.eh_ativo') }}
        and dim_vendedor.situacao = 'Ativo'

)

select * from final
