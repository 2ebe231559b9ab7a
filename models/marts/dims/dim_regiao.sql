{{ config(unique_key='regiao_id') }}

with

regioes as (

    select * from {{ ref('int_regioes_validated') }}
    where {{ watermark_filter(ref('int_regioes_validated'), 'updated_at', 'region_id') }}
        and motivo_quarentena is null

),

final as (

    select
        region_id as regiao_id,
        region_id as regiao_original_id,
        region_code as codigo_regiao,
        country as pais,
        region_name as regiao_pais,
        state as estado,
        state_name as nome_estado,
        city as cidade,
        ibge_code as codigo_ibge,
        created_at as data_cadastro,
        updated_at as data_ultima_atualizacao,
        {{ as_boolean(is_true('is_active') ~ ' and deleted_at is null') }} as eh_ativo,
        deleted_at as data_exclusao,
        {{ etl_load_columns('updated_at', 'deleted_at is not null') }}
    from regioes

    {% if not is_incremental() %}
    union all
    -- unknown member: orders without a region that match no region by the customer's city
    select
        -1 as regiao_id,
        -1 as regiao_original_id,
        'N/A' as codigo_regiao,
        'Desconhecido' as pais,
        'Desconhecida' as regiao_pais,
        'NA' as estado,
        'Desconhecido' as nome_estado,
        'Desconhecida' as cidade,
        cast(null as varchar(10)) as codigo_ibge,
        cast(null as {{ dbt.type_timestamp() }}) as data_cadastro,
        cast(null as {{ dbt.type_timestamp() }}) as data_ultima_atualizacao,
        {{ bool_literal(true) }} as eh_ativo,
        cast(null as {{ dbt.type_timestamp() }}) as data_exclusao,
        {{ etl_load_columns('cast(null as ' ~ dbt.type_timestamp() ~ ')', '1 = 0') }}
    {% endif %}

)

select * from final
