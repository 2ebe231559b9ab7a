"""Incremental loading by composite watermark: the named cases of SPEC sections 3 and 4."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.dbt_harness import ENTITIES, SNAPSHOTS, Warehouse
from tests.models.conftest import NOW


def test_second_run_without_source_change_loads_nothing_and_changes_nothing(warehouse: Warehouse):
    warehouse.build()
    before = {entity: warehouse.table(entity, with_load_columns=True) for entity in ENTITIES}
    watermarks = {entity: warehouse.watermark(entity) for entity in ENTITIES}

    warehouse.run()

    windows = warehouse.windows()
    assert set(windows) == {*ENTITIES, *SNAPSHOTS}
    for entity, window in windows.items():
        assert window["extracted_count"] == 0, entity
        assert window["upserted_count"] == 0, entity
    for entity in ENTITIES:
        assert warehouse.table(entity, with_load_columns=True) == before[entity], entity
        assert warehouse.watermark(entity) == watermarks[entity], entity


def test_first_build_loads_every_source_row_and_counts_exactly(warehouse: Warehouse, source_sql):
    warehouse.build()
    windows = warehouse.windows()
    customers = source_sql("select count(*) from core.customers")[0][0]
    items = source_sql("select count(*) from core.order_items")[0][0]
    assert windows["dim_cliente"]["extracted_count"] == customers
    # every source customer, plus the -1 unknown member a full build writes
    assert windows["dim_cliente"]["upserted_count"] == customers + 1
    assert warehouse.scalar("select count(*) from dim.dim_cliente") == customers + 1
    assert warehouse.scalar("select count(*) from dim.dim_cliente where cliente_id = -1") == 1
    assert windows["fact_vendas"]["extracted_count"] == items
    assert warehouse.scalar("select count(*) from fact.fact_vendas") == items
    newest = source_sql(
        "select updated_at, order_item_id from core.order_items order by updated_at desc,"
        " order_item_id desc limit 1"
    )[0]
    assert warehouse.watermark("fact_vendas")[0] >= newest[0]


def test_order_status_change_alone_reaches_fact_vendas(warehouse: Warehouse, source_sql):
    warehouse.run()
    order_id, items = source_sql(
        "select o.order_id, count(*) from core.orders o join core.order_items i using (order_id)"
        " where o.order_status = 'Pendente' group by o.order_id order by o.order_id limit 1"
    )[0]
    source_sql(
        "update core.orders set order_status = 'Pago', updated_at = timestamp '2026-01-15 08:00:00'"
        " where order_id = ?",
        order_id,
    )

    warehouse.run()

    statuses = warehouse.query(
        f"select distinct status_pedido from fact.fact_vendas where pedido_original_id = {order_id}"
    )
    assert statuses == [("Pago",)]
    assert warehouse.windows()["fact_vendas"]["extracted_count"] == items


def test_new_sale_updates_fact_metas_for_its_seller_and_month(warehouse: Warehouse, source_sql):
    warehouse.run()
    seller, month = source_sql(
        "select seller_id, target_month from core.seller_targets_monthly"
        " order by seller_id, target_month limit 1"
    )[0]
    key = month.year * 10000 + month.month * 100 + 1
    before = warehouse.scalar(
        "select valor_realizado from fact.fact_metas"
        f" where vendedor_id = {seller} and data_id = {key}"
    )
    order_ts = datetime(month.year, month.month, 10, 12, 0, 0)
    changed = datetime(2026, 1, 15, 9, 0, 0)
    source_sql(
        "insert into core.orders select order_id + 1000000, 'PED-T1', customer_id, ?, region_id,"
        " 'Entregue', 'Pago', ?, ?, ?, ?, null, 'Site', 'BRL', null, ?, ?, null"
        " from core.orders order by order_id limit 1",
        seller,
        order_ts,
        order_ts,
        order_ts,
        order_ts,
        order_ts,
        changed,
    )
    source_sql(
        "insert into core.order_items select order_item_id + 1000000, order_id + 1000000, 1,"
        " product_id, 2, 50.00, 100.00, 0, 100.00, 60.00, 0, 0, 0, 0, false, ?, ?, null"
        " from core.order_items order by order_item_id limit 1",
        order_ts,
        changed,
    )

    warehouse.run()

    after = warehouse.scalar(
        "select valor_realizado from fact.fact_metas"
        f" where vendedor_id = {seller} and data_id = {key}"
    )
    assert after - before == 100


def _metas(warehouse: Warehouse) -> dict[tuple[int, int], tuple[Any, ...]]:
    rows = warehouse.query(
        "select vendedor_id, data_id, valor_realizado, quantidade_pedidos, ranking_periodo,"
        " quartil_performance from fact.fact_metas"
    )
    return {(row[0], row[1]): row[2:] for row in rows}


@pytest.mark.parametrize("state", ["kept", "dropped"])
def test_sale_moving_to_another_seller_and_month_leaves_the_old_seller_month(
    warehouse: Warehouse, source_sql, state: str
):
    """fact_metas recomputes the seller-months an event left and entered. With its state
    dropped (a warehouse from before it existed), the run recreates it and recomputes every
    seller-month instead."""
    warehouse.run()
    if state == "dropped":
        warehouse.execute("drop table ctl.etl_state__fact_metas")
    # a paid order of a seller-month with other orders, and another seller with a target
    order_id, seller, order_date = source_sql(
        "select o.order_id, o.seller_id, o.order_date from core.orders o"
        " join core.order_items i using (order_id)"
        " where o.order_status = 'Pago' and o.deleted_at is null and i.deleted_at is null"
        " and (select count(*) from core.orders same where same.seller_id = o.seller_id"
        "      and date_trunc('month', same.order_date) = date_trunc('month', o.order_date)) > 1"
        " order by o.order_id limit 1"
    )[0]
    new_seller, new_month = source_sql(
        "select seller_id, target_month from core.seller_targets_monthly"
        " where seller_id <> ? and date_trunc('month', target_month)"
        " <> date_trunc('month', ?::date)"
        " order by seller_id, target_month limit 1",
        seller,
        order_date,
    )[0]
    old_key = order_date.year * 10000 + order_date.month * 100 + 1
    new_key = new_month.year * 10000 + new_month.month * 100 + 1
    before = _metas(warehouse)
    moved = warehouse.scalar(
        "select sum(valor_total_liquido - valor_devolvido) from fact.fact_vendas"
        f" where pedido_original_id = {order_id}"
    )
    source_sql(
        "update core.orders set seller_id = ?, order_date = ?,"
        " updated_at = timestamp '2026-01-15 09:00:00' where order_id = ?",
        new_seller,
        datetime(new_month.year, new_month.month, 12, 10, 0, 0),
        order_id,
    )

    warehouse.run()

    after = _metas(warehouse)
    assert after[(seller, old_key)][0] == before[(seller, old_key)][0] - moved
    assert after[(seller, old_key)][1] == before[(seller, old_key)][1] - 1
    assert after[(new_seller, new_key)][0] == before[(new_seller, new_key)][0] + moved
    assert after[(new_seller, new_key)][1] == before[(new_seller, new_key)][1] + 1
    # the two touched months are ranked again over all of their sellers
    for key in (old_key, new_key):
        month = sorted(
            (-row[0], seller_id, row[2])
            for (seller_id, data_id), row in after.items()
            if data_id == key
        )
        assert [rank for _, _, rank in month] == list(range(1, len(month) + 1)), key
    # a full rebuild of the fact agrees, row for row
    incremental = warehouse.table("fact_metas")
    warehouse.dbt(
        "build",
        "--select",
        "fact_metas",
        "--full-refresh",
        "--exclude-resource-type",
        "test",
        "unit_test",
    )
    assert warehouse.table("fact_metas") == incremental


def test_late_arriving_customer_resolves_once_its_row_arrives(warehouse: Warehouse, source_sql):
    warehouse.run()
    # a customer committed just now (inside the cutoff) with an order committed earlier
    customer_ts = datetime.fromisoformat(NOW) - timedelta(seconds=30)
    order_ts = datetime(2026, 1, 15, 10, 0, 0)
    new_id = source_sql("select max(customer_id) + 1 from core.customers")[0][0]
    source_sql(
        "insert into core.customers select * replace"
        " (? as customer_id, 'CLI-LATE' as customer_code,"
        " ? as created_at, ? as updated_at) from core.customers order by customer_id limit 1",
        new_id,
        customer_ts,
        customer_ts,
    )
    source_sql(
        "insert into core.orders select * replace (order_id + 2000000 as order_id, 'PED-LATE' as"
        " order_number, ? as customer_id, ? as created_at, ? as updated_at)"
        " from core.orders order by order_id limit 1",
        new_id,
        order_ts,
        order_ts,
    )
    source_sql(
        "insert into core.order_items select * replace (order_item_id + 2000000 as order_item_id,"
        " order_id + 2000000 as order_id, ? as created_at, ? as updated_at)"
        " from core.order_items where order_id = (select min(order_id) from core.orders)"
        " and item_number = 1",
        order_ts,
        order_ts,
    )

    warehouse.run()
    assert (
        warehouse.scalar(f"select count(*) from fact.fact_vendas where cliente_id = {new_id}") == 1
    )
    assert (
        warehouse.scalar(f"select count(*) from dim.dim_cliente where cliente_id = {new_id}") == 0
    )

    warehouse.etl_now = (datetime.fromisoformat(NOW) + timedelta(minutes=5)).isoformat()
    warehouse.run()
    assert (
        warehouse.scalar(f"select count(*) from dim.dim_cliente where cliente_id = {new_id}") == 1
    )
    resolved = warehouse.scalar(
        f"select count(*) from fact.vw_dash_vendas_r1 where cliente_id = {new_id}"
        " and tipo_cliente is not null"
    )
    assert resolved == 1


def test_cutoff_holds_back_rows_newer_than_the_cutoff(warehouse: Warehouse, source_sql):
    warehouse.run()
    recent = datetime.fromisoformat(NOW) - timedelta(minutes=1)
    product_id = source_sql("select min(product_id) from core.products")[0][0]
    source_sql(
        "update core.products set brand = 'Marca Nova', updated_at = ? where product_id = ?",
        recent,
        product_id,
    )

    warehouse.run()
    assert warehouse.windows()["dim_produto"]["extracted_count"] == 0
    assert (
        warehouse.scalar(f"select marca from dim.dim_produto where produto_id = {product_id}")
        != "Marca Nova"
    )
    assert warehouse.watermark("dim_produto")[0] < recent

    warehouse.etl_now = (datetime.fromisoformat(NOW) + timedelta(minutes=2)).isoformat()
    warehouse.run()
    assert (
        warehouse.scalar(f"select marca from dim.dim_produto where produto_id = {product_id}")
        == "Marca Nova"
    )
    assert warehouse.watermark("dim_produto") == (recent, product_id)


def test_soft_deleted_customer_stays_in_the_dimension_as_inactive(warehouse: Warehouse, source_sql):
    warehouse.run()
    customer_id = source_sql("select min(customer_id) from core.customers")[0][0]
    deleted = datetime(2026, 1, 15, 7, 0, 0)
    source_sql(
        "update core.customers set deleted_at = ?, updated_at = ?, is_active = false"
        " where customer_id = ?",
        deleted,
        deleted,
        customer_id,
    )

    warehouse.run()

    assert warehouse.query(
        f"select eh_ativo, data_exclusao from dim.dim_cliente where cliente_id = {customer_id}"
    ) == [(False, deleted)]
    window = warehouse.windows()["dim_cliente"]
    assert (window["extracted_count"], window["soft_deleted_count"]) == (1, 1)


def test_failed_model_keeps_its_watermark_while_the_others_advance(
    warehouse: Warehouse, source_sql
):
    warehouse.run()
    before = {entity: warehouse.watermark(entity) for entity in ENTITIES}
    rows_before = warehouse.table("fact_descontos", with_load_columns=True)
    changed = datetime(2026, 1, 15, 9, 30, 0)
    source_sql(
        "update core.orders set updated_at = ? where order_id in"
        " (select order_id from core.order_item_discounts)",
        changed,
    )
    source_sql("update core.customers set updated_at = ? where customer_id = 1", changed)
    # break fact_descontos only: its driving table's applied_at no longer is a timestamp
    source_sql(
        "create table core.broken as select * replace ('not a date' as applied_at)"
        " from core.order_item_discounts; drop table core.order_item_discounts;"
        " alter table core.broken rename to order_item_discounts"
    )

    result = warehouse.run(expect_success=False)

    statuses = {r.node.name: str(r.status) for r in result.result}
    assert statuses["fact_descontos"] == "error"
    assert statuses["fact_vendas"] == "success"
    assert warehouse.watermark("fact_descontos") == before["fact_descontos"]
    assert warehouse.table("fact_descontos", with_load_columns=True) == rows_before
    assert warehouse.watermark("fact_vendas")[0] == changed
    assert warehouse.watermark("dim_cliente")[0] == changed
    control = warehouse.query(
        "select last_status from ctl.etl_control where entity_name = 'fact_descontos'"
    )
    assert control == [("failed",)]
    assert warehouse.windows()["fact_descontos"]["status"] == "failed"


def test_late_arriving_region_replaces_the_unknown_member(warehouse: Warehouse, source_sql):
    warehouse.run()
    orphan = warehouse.query(
        "select venda_id, pedido_original_id from fact.fact_vendas where regiao_id = -1"
        " order by venda_id limit 1"
    )
    assert orphan, "the generated source should have orders matching no region"
    venda_id, order_id = orphan[0]
    state, city = source_sql(
        "select c.state, c.city from core.orders o join core.customers c using (customer_id)"
        " where o.order_id = ?",
        order_id,
    )[0]
    arrived = datetime(2026, 1, 15, 11, 0, 0)
    source_sql(
        "insert into core.regions select * replace (? as region_id, 'REG-LATE' as region_code,"
        " ? as state, ? as city, ? as created_at, ? as updated_at)"
        " from core.regions order by region_id limit 1",
        900001,
        state,
        city,
        arrived,
        arrived,
    )

    warehouse.run()

    assert (
        warehouse.scalar(f"select regiao_id from fact.fact_vendas where venda_id = {venda_id}")
        == 900001
    )
    assert warehouse.scalar("select count(*) from dim.dim_regiao where regiao_id = 900001") == 1
