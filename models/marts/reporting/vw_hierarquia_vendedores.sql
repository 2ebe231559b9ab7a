{#- dim.VW_HIERARQUIA_VENDEDORES: every seller (active or not, as the original) with the
    direct manager and the manager's manager, and the depth of the chain above them
    (1 = no manager, 4 = three or more levels). "No manager" is NULL here, as in the
    original (dim_vendedor writes -1). The unknown member (-1) is left out. -#}
{{ config(schema='dim') }}

with

dim_vendedor as (

    select * from {{ ref('dim_vendedor') }}

),

-- the table writes -1 for "no manager"; the chain reads it as the original's NULL
vendedores as (

    select
        dim_vendedor.vendedor_id,
        dim_vendedor.nome_vendedor,
        dim_vendedor.cargo,
        dim_vendedor.nivel_senioridade,
        dim_vendedor.equipe_id,
        dim_vendedor.nome_equipe,
        case when dim_vendedor.gerente_id <> -1 then dim_vendedor.gerente_id end as gerente_id,
        dim_vendedor.eh_lider,
        dim_vendedor.eh_ativo
    from dim_vendedor
    where dim_vendedor.vendedor_id <> -1

),

final as (

    select
        vendedores.vendedor_id,
        vendedores.nome_vendedor,
        vendedores.cargo,
        vendedores.nivel_senioridade,
        vendedores.equipe_id,
        vendedores.nome_equipe,
        vendedores.gerente_id as gerente_direto_id,
        gerente_direto.nome_vendedor as gerente_direto_nome,
        gerente_direto.cargo as gerente_direto_cargo,
        gerente_direto.gerente_id as gerente_nivel2_id,
        gerente_nivel2.nome_vendedor as gerente_nivel2_nome,
        case
            when vendedores.gerente_id is null then 1
            when gerente_direto.gerente_id is null then 2
            when gerente_nivel2.gerente_id is null then 3
            else 4
        end as nivel_hierarquico,
        vendedores.eh_lider,
        vendedores.eh_ativo
    from vendedores
    left join vendedores as gerente_direto
        on vendedores.gerente_id = gerente_direto.vendedor_id
    left join vendedores as gerente_nivel2
        on gerente_direto.gerente_id = gerente_nivel2.vendedor_id

)

select * from final
