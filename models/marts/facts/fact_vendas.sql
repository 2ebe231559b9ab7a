{{ config(unique_key='venda_id') }}

-- depends_on: {{ ref('dim_cliente') }}
-- depends_on: {{ ref('dim_produto') }}
-- depends_on: {{ ref('dim_regiao') }}
-- depends_on: {{ ref('dim_vendedor') }}
{# Keys are the source ids (durable keys), so a fact row never loses its dimension row
    to load order: a late-arriving customer resolves as soon as dim_cliente loads it. A
    missing seller, region or date points to the -1 unknown member: no key is NULL. The
    depends_on lines only make dbt run the dimensions first (SPEC section 4 order). #}

{#- Changed keys (etl_pending): changed_order_items, this table serving the way back
    from a customer to its sales. #}
{%- set since = etl_changes_since() %}
{%- set changed_keys = changed_order_items(since, this) %}
{%- set pending = etl_pending(ref('int_vendas_validated'), 'order_item_id', changed_keys if since else none) %}

with

vendas as (

    select * from {{ pending }}
    where {{ watermark_filter(pending, 'alterado_em', 'order_item_id') }}
        and motivo_quarentena is null

),

final as (

    select
        order_item_id as venda_id,
        coalesce({{ date_key('order_date') }}, -1) as data_id,
        coalesce(customer_id, -1) as cliente_id,
        product_id as produto_id,
        coalesce(order_region_id, customer_region_id, -1) as regiao_id,
        coalesce(seller_id, -1) as vendedor_id,
        quantity as quantidade_vendida,
        unit_price as preco_unitario_tabela,
        gross_amount as valor_total_bruto,
        discount_amount as valor_total_descontos,
        net_amount as valor_total_liquido,
        cost_amount as custo_total,
        coalesce(return_quantity, 0) as quantidade_devolvida,
        coalesce(returned_amount, 0) as valor_devolvido,
        commission_percent as percentual_comissao,
        commission_amount as valor_comissao,
        order_number as numero_pedido,
        had_discount as teve_desconto,
        item_created_at as data_inclusao,
        item_updated_at as data_atualizacao,
        order_item_id as venda_original_id,
        order_id as pedido_original_id,
        item_number as numero_item,
        order_status as status_pedido,
        sales_channel as canal_venda,
        order_date as data_pedido,
        {{ etl_load_columns('alterado_em', 'item_deleted_at is not null or order_deleted_at is not null') }}
    from vendas

)

select * from final
