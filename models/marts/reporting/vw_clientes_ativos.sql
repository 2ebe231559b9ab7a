{#- dim.VW_CLIENTES_ATIVOS: the active customers (eh_ativo) with their purchase history
    and the days since their last purchase, counted to reporting_now(). The unknown
    member (-1) is not a customer and is left out. Names, e-mails and phones are the
    dimension's LGPD-masked values. -#}
{{ config(schema='dim') }}

with

dim_cliente as (

    select * from {{ ref('dim_cliente') }}

),

final as (

    select
        dim_cliente.cliente_id,
        dim_cliente.cliente_original_id,
        dim_cliente.nome_cliente,
        dim_cliente.email,
        dim_cliente.telefone,
        dim_cliente.tipo_cliente,
        dim_cliente.segmento,
        dim_cliente.cidade,
        dim_cliente.estado,
        dim_cliente.pais,
        dim_cliente.data_primeiro_cadastro,
        dim_cliente.data_ultima_compra,
        dim_cliente.total_compras_historico,
        dim_cliente.valor_total_gasto_historico,
        dim_cliente.ticket_medio_historico,
        dim_cliente.eh_cliente_vip,
        dim_cliente.aceita_email_marketing,
        cast(
            case
                when dim_cliente.data_ultima_compra is null then null
                else {{ dbt.datediff('dim_cliente.data_ultima_compra', ecommerce_dw.reporting_now(), 'day') }}
            end as {{ dbt.type_int() }}
        ) as dias_desde_ultima_compra
    from dim_cliente
    where
        dim_cliente.cliente_id <> -1
        and {{ ecommerce_dw.is_true('dim_cliente.eh_ativo') }}

)

select * from final
