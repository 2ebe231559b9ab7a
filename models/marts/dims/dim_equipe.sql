{{ config(unique_key='equipe_key') }}

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

    -- a team's goal sums its sellers', and a seller can move between teams: when anything
    -- in the window changed, every team is recomputed (a handful of rows)
    select
        equipes.team_id as equipe_key,
        equipes.team_id as equipe_original_id,
        equipes.team_name as nome_equipe,
        equipes.team_code as codigo_equipe,
        equipes.team_type as tipo_equipe,
        equipes.team_category as categoria_equipe,
        coalesce(equipes.region_name, 'Sem regional') as regional,
        equipes.meta_mensal_equipe,
        case when equipes.deleted_at is null and {{ is_true('equipes.is_active') }} then 'Ativa' else 'Inativa' end as situacao,
        {{ as_boolean(is_true('equipes.is_active') ~ ' and equipes.deleted_at is null') }} as eh_ativa,
        equipes.deleted_at as data_exclusao,
        {{ etl_load_columns('equipes.alterado_em', 'equipes.deleted_at is not null') }}
    from equipes
    inner join equipes_alteradas
        on equipes_alteradas.quantidade > 0
    where equipes.motivo_quarentena is null

    {% if not is_incremental() %}
    union all
    -- unknown member: sellers without a team
    select
        -1 as equipe_key,
        -1 as equipe_original_id,
        'Sem equipe' as nome_equipe,
        'N/A' as codigo_equipe,
        'Desconhecido' as tipo_equipe,
        'Desconhecida' as categoria_equipe,
        'Sem regional' as regional,
        cast(0 as decimal(14, 2)) as meta_mensal_equipe,
        'Ativa' as situacao,
        {{ bool_literal(true) }} as eh_ativa,
        cast(null as {{ dbt.type_timestamp() }}) as data_exclusao,
        {{ etl_load_columns('cast(null as ' ~ dbt.type_timestamp() ~ ')', '1 = 0') }}
    {% endif %}

)

select * from final
