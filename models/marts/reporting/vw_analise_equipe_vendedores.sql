{#- dim.VW_ANALISE_EQUIPE_VENDEDORES: per active team (eh_ativa), its active sellers
    (eh_ativo): head count, leaders, the sum and average of their individual goals
    against the team's official goal, and the head count by seniority. A seniority is
    matched with or without its accent (Júnior/Junior, Sênior/Senior). The unknown
    members (-1) are left out. -#}
{{ config(schema='dim') }}

with

dim_equipe as (

    select * from {{ ref('dim_equipe') }}

),

dim_vendedor as (

    select * from {{ ref('dim_vendedor') }}

),

vendedores_ativos as (

    select
        dim_vendedor.vendedor_id,
        dim_vendedor.equipe_id,
        dim_vendedor.eh_lider,
        dim_vendedor.meta_mensal_base,
        dim_vendedor.nivel_senioridade
    from dim_vendedor
    where
        dim_vendedor.vendedor_id <> -1
        and {{ ecommerce_dw.is_true('dim_vendedor.eh_ativo') }}

),

final as (

    select
        dim_equipe.equipe_id,
        dim_equipe.nome_equipe,
        dim_equipe.tipo_equipe,
        dim_equipe.regional,
        count(vendedores_ativos.vendedor_id) as total_vendedores,
        cast(sum(case when {{ ecommerce_dw.is_true('vendedores_ativos.eh_lider') }} then 1 else 0 end) as {{ dbt.type_int() }}) as total_lideres,
        -- the contract's decimal(38, 2) (Spark widens a sum by 10 digits)
        cast(sum(vendedores_ativos.meta_mensal_base) as decimal(38, 2)) as soma_metas_individuais,
        cast(avg(vendedores_ativos.meta_mensal_base) as decimal(38, 6)) as media_meta_por_vendedor,
        dim_equipe.meta_mensal_equipe as meta_oficial_equipe,
        dim_equipe.meta_mensal_equipe - sum(vendedores_ativos.meta_mensal_base) as diferenca_metas,
        cast(
            sum(
                case when vendedores_ativos.nivel_senioridade in ('Júnior', 'Junior') then 1 else 0 end
            ) as {{ dbt.type_int() }}
        ) as juniors,
        cast(sum(case when vendedores_ativos.nivel_senioridade = 'Pleno' then 1 else 0 end) as {{ dbt.type_int() }}) as plenos,
        cast(
            sum(
                case
                    when vendedores_ativos.nivel_senioridade in ('Sênior', 'Senior', 'Especialista', 'Gerente')
                        then 1
                    else 0
                end
            ) as {{ dbt.type_int() }}
        ) as seniors
    from dim_equipe
    left join vendedores_ativos
        on dim_equipe.equipe_id = vendedores_ativos.equipe_id
    where
        dim_equipe.equipe_id <> -1
        and {{ ecommerce_dw.is_true('dim_equipe.eh_ativa') }}
    group by
        dim_equipe.equipe_id,
        dim_equipe.nome_equipe,
        dim_equipe.tipo_equipe,
        dim_equipe.regional,
        dim_equipe.meta_mensal_equipe

)

select * from final
