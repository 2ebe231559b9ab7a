{{ config(unique_key='equipe_id') }}

with

equipes as (

    select * from {{ ref('int_equipes_validated') }}

),

equipes_alteradas as (

    select count(*) as quantidade
    from {{ ref('int_equipes_validated') }}
    where {{ watermark_filter(ref('int_equipes_validated'), 'alterado_em', 'team_id') }}

),

final as (

    -- a team's goal and head count sum its sellers', and a seller can move between teams:
    -- when anything in the window changed, every team is recomputed (a handful of rows)
    select
        equipes.team_id as equipe_id,
        equipes.team_id as equipe_original_id,
        equipes.team_name as nome_equipe,
        equipes.team_code as codigo_equipe,
        equipes.team_type as tipo_equipe,
        equipes.team_category as categoria_equipe,
        coalesce(equipes.region_name, 'Sem regional') as regional,
        equipes.region_state as estado_sede,
        equipes.region_city as cidade_sede,
        coalesce(equipes.leader_seller_id, -1) as lider_equipe_id,
        equipes.leader_name as nome_lider,
        -- the contract's decimal(38, 2) whatever a sum's precision is (Spark widens it by 10)
        cast(equipes.meta_mensal_equipe as decimal(38, 2)) as meta_mensal_equipe,
        cast(equipes.meta_mensal_equipe * 3 as decimal(38, 2)) as meta_trimestral_equipe,
        cast(equipes.meta_mensal_equipe * 12 as decimal(38, 2)) as meta_anual_equipe,
        cast(equipes.qtd_membros_atual as {{ dbt.type_int() }}) as qtd_membros_atual,
        equipes.created_at as data_criacao,
        equipes.updated_at as data_ultima_atualizacao,
        equipes.deleted_at as data_inativacao,
        -- the original's rule: soft-deleted -> Inativa, inactive -> Suspensa, else Ativa
        case
            when equipes.deleted_at is not null then 'Inativa'
            when not ({{ is_true('equipes.is_active') }}) then 'Suspensa'
            else 'Ativa'
        end as situacao,
        {{ as_boolean(is_true('equipes.is_active') ~ ' and equipes.deleted_at is null') }} as eh_ativa,
        {{ etl_load_columns('equipes.alterado_em', 'equipes.deleted_at is not null') }}
    from equipes
    inner join equipes_alteradas
        on equipes_alteradas.quantidade > 0
    where equipes.motivo_quarentena is null

    {% if not is_incremental() %}
    union all
    -- unknown member: sellers without a team
    select
        -1 as equipe_id,
        -1 as equipe_original_id,
        'Sem equipe' as nome_equipe,
        'N/A' as codigo_equipe,
        'Desconhecido' as tipo_equipe,
        'Desconhecida' as categoria_equipe,
        'Sem regional' as regional,
        cast(null as varchar(2)) as estado_sede,
        cast(null as varchar(100)) as cidade_sede,
        -1 as lider_equipe_id,
        cast(null as varchar(200)) as nome_lider,
        cast(0 as decimal(15, 2)) as meta_mensal_equipe,
        cast(0 as decimal(15, 2)) as meta_trimestral_equipe,
        cast(0 as decimal(15, 2)) as meta_anual_equipe,
        0 as qtd_membros_atual,
        cast(null as {{ dbt.type_timestamp() }}) as data_criacao,
        cast(null as {{ dbt.type_timestamp() }}) as data_ultima_atualizacao,
        cast(null as {{ dbt.type_timestamp() }}) as data_inativacao,
        'Ativa' as situacao,
        {{ bool_literal(true) }} as eh_ativa,
        {{ etl_load_columns('cast(null as ' ~ dbt.type_timestamp() ~ ')', '1 = 0') }}
    {% endif %}

)

select * from final
