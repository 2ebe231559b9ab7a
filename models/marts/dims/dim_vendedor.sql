{{ config(unique_key='vendedor_key') }}

with

vendedores as (

    select * from {{ ref('int_vendedores_validated') }}
    where {{ watermark_filter(ref('int_vendedores_validated'), 'alterado_em', 'seller_id') }}
        and motivo_quarentena is null

),

final as (

    select
        seller_id as vendedor_key,
        seller_id as vendedor_original_id,
        seller_name as nome_vendedor,
        seller_code as matricula,
        coalesce(team_id, -1) as equipe_key,
        coalesce(team_name, 'Sem equipe') as equipe,
        manager_seller_id as gerente_original_id,
        manager_name as gerente,
        home_state as estado_atuacao,
        home_city as cidade_atuacao,
        monthly_goal_amount as meta_mensal_base,
        commission_percent as percentual_comissao_padrao,
        hire_date as data_contratacao,
        -- seniority at load time, from the hire date
        case
            when {{ dbt.datediff('hire_date', timestamp_literal(etl_now()), 'month') }} < 12 then 'Junior'
            when {{ dbt.datediff('hire_date', timestamp_literal(etl_now()), 'month') }} < 36 then 'Pleno'
            when {{ dbt.datediff('hire_date', timestamp_literal(etl_now()), 'month') }} < 72 then 'Senior'
            else 'Especialista'
        end as nivel_senioridade,
        case when deleted_at is null then seller_status else 'Desligado' end as situacao,
        {{ as_boolean("seller_status = 'Ativo' and deleted_at is null") }} as eh_ativo,
        {{ as_boolean('manager_seller_id is null') }} as eh_lider,
        deleted_at as data_exclusao,
        {{ etl_load_columns('alterado_em', 'deleted_at is not null') }}
    from vendedores

    {% if not is_incremental() %}
    union all
    -- unknown member: orders without a seller
    select
        -1 as vendedor_key,
        -1 as vendedor_original_id,
        'Sem vendedor' as nome_vendedor,
        'N/A' as matricula,
        -1 as equipe_key,
        'Sem equipe' as equipe,
        cast(null as {{ dbt.type_bigint() }}) as gerente_original_id,
        cast(null as varchar(150)) as gerente,
        'NA' as estado_atuacao,
        'Desconhecida' as cidade_atuacao,
        cast(0 as decimal(14, 2)) as meta_mensal_base,
        cast(0 as decimal(5, 2)) as percentual_comissao_padrao,
        cast(null as date) as data_contratacao,
        'Desconhecido' as nivel_senioridade,
        'Ativo' as situacao,
        {{ bool_literal(true) }} as eh_ativo,
        {{ bool_literal(false) }} as eh_lider,
        cast(null as {{ dbt.type_timestamp() }}) as data_exclusao,
        {{ etl_load_columns('cast(null as ' ~ dbt.type_timestamp() ~ ')', '1 = 0') }}
    {% endif %}

)

select * from final
