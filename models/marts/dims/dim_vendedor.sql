{{ config(unique_key='vendedor_id') }}

{#- The original's derivations (its ETL code): situacao from the source status, cargo and
    tipo_vendedor from the team type, the default commission from tipo_vendedor,
    seniority from whole years since hiring at load time. -#}
{%- set anos_de_casa = ecommerce_dw.int_div(dbt.datediff('coalesce(hire_date, cast(created_at as date))', timestamp_literal(etl_now()), 'day'), '365') -%}

with

vendedores as (

    select * from {{ ref('int_vendedores_validated') }}
    where {{ watermark_filter(ref('int_vendedores_validated'), 'alterado_em', 'seller_id') }}
        and motivo_quarentena is null

),

classificados as (

    select
        vendedores.*,
        case
            when vendedores.deleted_at is not null then 'Desligado'
            when vendedores.seller_status = 'Ativo' then 'Ativo'
            when vendedores.seller_status in ('Inativo', 'Suspenso') then 'Suspenso'
            when vendedores.seller_status = 'Afastado' then 'Afastado'
            when vendedores.seller_status = 'Desligado' then 'Desligado'
            else 'Ativo'
        end as situacao,
        case
            when lower(vendedores.team_type) like '%inside%' then 'Interno'
            when lower(vendedores.team_type) like '%field%' then 'Externo'
            else 'Hibrido'
        end as tipo_vendedor,
        case when vendedores.subordinados_ativos > 0 then 1 else 0 end as lidera
    from vendedores

),

final as (

    select
        seller_id as vendedor_id,
        seller_id as vendedor_original_id,
        seller_name as nome_vendedor,
        seller_name as nome_exibicao,
        seller_code as matricula,
        case
            when lidera = 1 then 'Lider Comercial'
            when lower(team_type) like '%inside%' then 'Executivo Inside Sales'
            when lower(team_type) like '%field%' then 'Executivo Field Sales'
            else 'Consultor Comercial'
        end as cargo,
        case
            when {{ anos_de_casa }} >= 8 then 'Especialista'
            when {{ anos_de_casa }} >= 4 then 'Senior'
            when {{ anos_de_casa }} >= 2 then 'Pleno'
            else 'Junior'
        end as nivel_senioridade,
        'Comercial' as departamento,
        team_category as area,
        coalesce(team_id, -1) as equipe_id,
        coalesce(team_name, 'Sem equipe') as nome_equipe,
        coalesce(manager_seller_id, -1) as gerente_id,
        manager_name as nome_gerente,
        home_state as estado_atuacao,
        home_city as cidade_atuacao,
        case
            when home_state is not null and home_city is not null
                then {{ dbt.concat(['home_state', "' - '", 'home_city']) }}
            else coalesce(home_state, home_city)
        end as territorio_vendas,
        tipo_vendedor,
        coalesce(monthly_goal_amount, 0) as meta_mensal_base,
        -- the contract's precision, whatever the engine makes of decimal x integer
        cast(coalesce(monthly_goal_amount, 0) * 3 as decimal(18, 2)) as meta_trimestral_base,
        cast(case tipo_vendedor when 'Externo' then 3.0 when 'Interno' then 2.0 else 2.5 end as decimal(5, 2)) as percentual_comissao_padrao,
        'Percentual' as tipo_comissao,
        coalesce(hire_date, cast(created_at as date)) as data_contratacao,
        cast(deleted_at as date) as data_desligamento,
        updated_at as data_ultima_atualizacao,
        situacao,
        {{ as_boolean("situacao = 'Ativo'") }} as eh_ativo,
        {{ as_boolean('lidera = 1') }} as eh_lider,
        {{ as_boolean("situacao = 'Ativo'") }} as aceita_novos_clientes,
        {{ dbt.concat(["'Origem core.sellers | tipo='", "coalesce(team_type, 'N/A')", "' | status='", "coalesce(seller_status, 'N/A')"]) }} as observacoes,
        case
            when deleted_at is not null then 'Soft delete na origem OLTP'
            when situacao = 'Suspenso' then 'Status inativo na origem OLTP'
            when situacao = 'Afastado' then 'Status afastado na origem OLTP'
        end as motivo_desligamento,
        deleted_at as data_exclusao,
        {{ etl_load_columns('alterado_em', 'deleted_at is not null') }}
    from classificados

    {% if not is_incremental() %}
    union all
    -- unknown member: orders without a seller
    select
        -1 as vendedor_id,
        -1 as vendedor_original_id,
        'Sem vendedor' as nome_vendedor,
        'Sem vendedor' as nome_exibicao,
        'N/A' as matricula,
        'N/A' as cargo,
        'Desconhecido' as nivel_senioridade,
        'Comercial' as departamento,
        cast(null as varchar(30)) as area,
        -1 as equipe_id,
        'Sem equipe' as nome_equipe,
        -1 as gerente_id,
        cast(null as varchar(200)) as nome_gerente,
        cast(null as varchar(2)) as estado_atuacao,
        cast(null as varchar(100)) as cidade_atuacao,
        cast(null as varchar(110)) as territorio_vendas,
        'N/A' as tipo_vendedor,
        cast(0 as decimal(15, 2)) as meta_mensal_base,
        cast(0 as decimal(15, 2)) as meta_trimestral_base,
        cast(0 as decimal(5, 2)) as percentual_comissao_padrao,
        'N/A' as tipo_comissao,
        cast(null as date) as data_contratacao,
        cast(null as date) as data_desligamento,
        cast(null as {{ dbt.type_timestamp() }}) as data_ultima_atualizacao,
        'Ativo' as situacao,
        {{ bool_literal(true) }} as eh_ativo,
        {{ bool_literal(false) }} as eh_lider,
        {{ bool_literal(false) }} as aceita_novos_clientes,
        'Membro desconhecido' as observacoes,
        cast(null as varchar(60)) as motivo_desligamento,
        cast(null as {{ dbt.type_timestamp() }}) as data_exclusao,
        {{ etl_load_columns('cast(null as ' ~ dbt.type_timestamp() ~ ')', '1 = 0') }}
    {% endif %}

)

select * from final
