{#- Customer history (SCD Type 2) for BI: one row per version of a customer, from the
    snapshot snap_oltp__customers, with a validity range a fact joins at its own date:

        fact.data_pedido >= hist.valido_de and fact.data_pedido < hist.valido_ate

    Ranges are half-open and chained (a version ends when the next begins), so a moment
    matches exactly one version of a customer. The first version known is extended back
    to 1900-01-01 (the state before the first snapshot is unknown; the oldest state seen
    is the best answer for older facts), the current one runs to 9999-12-31. A customer
    gone from the source ends at the run that noticed it; should the source bring back a
    row with an older updated_at, the earlier version ends where the next begins, so
    ranges never overlap. Unknown member cliente_id -1, valid always. -#}

with

snap_oltp__customers as (

    select * from {{ ref('snap_oltp__customers') }}

),

versions as (

    select
        snap_oltp__customers.*,
        row_number() over (
            partition by snap_oltp__customers.customer_id
            order by snap_oltp__customers.dbt_valid_from, snap_oltp__customers.dbt_scd_id
        ) as numero_versao,
        lead(snap_oltp__customers.dbt_valid_from) over (
            partition by snap_oltp__customers.customer_id
            order by snap_oltp__customers.dbt_valid_from, snap_oltp__customers.dbt_scd_id
        ) as inicio_proxima_versao
    from snap_oltp__customers

),

final as (

    select
        versions.customer_id as cliente_id,
        cast(versions.numero_versao as {{ dbt.type_int() }}) as numero_versao,
        versions.customer_code as codigo_cliente,
        versions.full_name_masked as nome_cliente,
        versions.customer_type as tipo_cliente,
        versions.segment as segmento,
        versions.value_category as categoria_valor,
        case
            when versions.credit_score < 0 then 0
            when versions.credit_score > 1000 then 1000
            else versions.credit_score
        end as score_credito,
        versions.city as cidade,
        versions.state as estado,
        versions.country as pais,
        {{ as_boolean(is_true('versions.is_active') ~ ' and versions.deleted_at is null') }} as eh_ativo,
        versions.is_vip as eh_cliente_vip,
        versions.deleted_at as data_exclusao,
        case
            when versions.numero_versao = 1 then {{ history_begin() }}
            else versions.dbt_valid_from
        end as valido_de,
        case
            when versions.inicio_proxima_versao < coalesce(versions.dbt_valid_to, {{ history_end() }})
                then versions.inicio_proxima_versao
            else coalesce(versions.dbt_valid_to, {{ history_end() }})
        end as valido_ate,
        versions.dbt_valid_from as registrado_em,
        {{ as_boolean('versions.dbt_valid_to is null') }} as eh_versao_atual,
        {{ as_boolean('versions.dbt_valid_to is not null and versions.inicio_proxima_versao is null') }}
            as eh_removido_da_origem,
        versions._etl_run_id,
        versions._etl_invocation_id
    from versions

    union all

    -- unknown member: facts whose customer is missing point here, at any date
    select
        -1 as cliente_id,
        cast(1 as {{ dbt.type_int() }}) as numero_versao,
        'N/A' as codigo_cliente,
        'Cliente desconhecido' as nome_cliente,
        'Novo' as tipo_cliente,
        'N/A' as segmento,
        cast(null as varchar(20)) as categoria_valor,
        cast(null as {{ dbt.type_int() }}) as score_credito,
        'Desconhecida' as cidade,
        'NA' as estado,
        'Desconhecido' as pais,
        {{ bool_literal(true) }} as eh_ativo,
        {{ bool_literal(false) }} as eh_cliente_vip,
        cast(null as {{ dbt.type_timestamp() }}) as data_exclusao,
        {{ history_begin() }} as valido_de,
        {{ history_end() }} as valido_ate,
        {{ history_begin() }} as registrado_em,
        {{ bool_literal(true) }} as eh_versao_atual,
        {{ bool_literal(false) }} as eh_removido_da_origem,
        cast('{{ ecommerce_dw.etl_run_id() }}' as varchar(64)) as _etl_run_id,
        cast('{{ invocation_id }}' as varchar(64)) as _etl_invocation_id

)

select * from final
