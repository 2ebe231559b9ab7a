{#- dim.VW_DESCONTOS_ATIVOS: the campaigns usable now: active (eh_ativo, situacao
    'Ativo'), started and not ended at reporting_now(), with days to expiry and the
    average ticket and discount per use. The source carries no customer restriction,
    campaign origin or channel (typed NULLs). The unknown member (-1) is left out. -#}
{{ config(schema='dim') }}

{%- set now = ecommerce_dw.reporting_now() %}

with

dim_desconto as (

    select * from {{ ref('dim_desconto') }}

),

final as (

    select
        dim_desconto.desconto_id,
        dim_desconto.desconto_original_id,
        dim_desconto.codigo_desconto,
        dim_desconto.nome_campanha,
        dim_desconto.descricao,
        dim_desconto.tipo_desconto,
        dim_desconto.metodo_desconto,
        dim_desconto.valor_desconto,
        dim_desconto.min_valor_compra_regra,
        dim_desconto.max_valor_desconto_regra,
        dim_desconto.max_usos_por_cliente,
        dim_desconto.max_usos_total,
        dim_desconto.aplica_em,
        dim_desconto.restricao_produtos,
        cast(null as varchar(500)) as restricao_clientes,
        dim_desconto.data_inicio_validade,
        dim_desconto.data_fim_validade,
        case
            when dim_desconto.data_fim_validade is null then 'Sem Expiração'
            else 'Válido'
        end as status_validade,
        cast({{ dbt.datediff(now, 'dim_desconto.data_fim_validade', 'day') }} as {{ dbt.type_int() }}) as dias_ate_expirar,
        dim_desconto.total_usos_realizados,
        dim_desconto.total_receita_gerada,
        dim_desconto.total_desconto_concedido,
        cast(null as varchar(50)) as origem_campanha,
        cast(null as varchar(50)) as canal_divulgacao,
        dim_desconto.eh_cumulativo,
        dim_desconto.requer_aprovacao,
        cast(
            case
                when dim_desconto.total_usos_realizados > 0
                    then dim_desconto.total_receita_gerada / dim_desconto.total_usos_realizados
                else 0
            end as decimal(38, 6)
        ) as ticket_medio_com_desconto,
        cast(
            case
                when dim_desconto.total_usos_realizados > 0
                    then dim_desconto.total_desconto_concedido / dim_desconto.total_usos_realizados
                else 0
            end as decimal(38, 6)
        ) as desconto_medio_por_uso
    from dim_desconto
    where
        dim_desconto.desconto_id <> -1
        and {{ ecommerce_dw.is_true('dim_desconto.eh_ativo') }}
        and dim_desconto.situacao = 'Ativo'
        and dim_desconto.data_inicio_validade <= {{ now }}
        and (dim_desconto.data_fim_validade is null or dim_desconto.data_fim_validade >= {{ now }})

)

select * from final
