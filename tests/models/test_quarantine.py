"""Bad source rows: good rows load, bad rows wait in audit.etl_quarantine with a reason,
the watermark moves past them, and a row corrected later loads and leaves quarantine."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.dbt_harness import Warehouse
from tests.models.conftest import duckdb_warehouse

BAD_TS = datetime(2026, 1, 15, 6, 0, 0)
FIXED_TS = datetime(2026, 1, 15, 7, 0, 0)

# kind -> (entity, SQL that makes one existing source row bad, SQL that corrects it, key)
ITEM = "(select min(order_item_id) from core.order_items)"
BAD_ITEMS = {
    "produto_inexistente": "product_id = 999999999",
    "quantidade_invalida": "quantity = -1",
    "valor_liquido_divergente": "net_amount = net_amount + 1",
}


def _source(warehouse: Warehouse, sql: str, *params):
    with duckdb.connect(warehouse.env["ETL_OLTP_DUCKDB_PATH"]) as conn:
        cursor = conn.execute(sql, list(params))
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def legacy_warehouse(tmp_path: Path) -> Warehouse:
    """A warehouse over a legacy source: no CHECK constraints, so bad rows can exist."""
    return duckdb_warehouse(tmp_path, checks=False)


@pytest.mark.parametrize("reason", sorted(BAD_ITEMS))
def test_bad_order_item_is_quarantined_then_loads_once_corrected(
    legacy_warehouse: Warehouse, reason
):
    warehouse = legacy_warehouse
    warehouse.run()
    item_id, original = _source(
        warehouse,
        f"select order_item_id, struct_pack(product_id, quantity, net_amount) from core.order_items"
        f" where order_item_id = {ITEM}",
    )[0]
    loaded_before = warehouse.scalar("select count(*) from fact.fact_vendas")
    other_id = _source(warehouse, "select max(order_item_id) from core.order_items")[0][0]
    _source(
        warehouse,
        f"update core.order_items set {BAD_ITEMS[reason]}, updated_at = ? where order_item_id = ?",
        BAD_TS,
        item_id,
    )
    _source(
        warehouse,
        "update core.order_items set updated_at = ? where order_item_id = ?",
        BAD_TS,
        other_id,
    )

    warehouse.run()

    window = warehouse.windows()["fact_vendas"]
    assert (window["extracted_count"], window["upserted_count"], window["quarantined_count"]) == (
        2,
        1,
        1,
    )
    assert warehouse.query(
        "select natural_key, reason from audit.etl_quarantine where entity_name = 'fact_vendas'"
    ) == [(item_id, reason)]
    assert warehouse.watermark("fact_vendas")[0] == BAD_TS  # moved past the bad row
    assert warehouse.scalar("select count(*) from fact.fact_vendas") == loaded_before

    _source(
        warehouse,
        "update core.order_items set product_id = ?, quantity = ?, net_amount = ?, updated_at = ?"
        " where order_item_id = ?",
        original["product_id"],
        original["quantity"],
        original["net_amount"],
        FIXED_TS,
        item_id,
    )
    warehouse.run()

    assert (
        warehouse.scalar(
            "select count(*) from audit.etl_quarantine where entity_name = 'fact_vendas'"
        )
        == 0
    )
    assert (
        warehouse.scalar(f"select count(*) from fact.fact_vendas where venda_id = {item_id}") == 1
    )
    assert warehouse.windows()["fact_vendas"]["upserted_count"] == 1


@pytest.mark.parametrize(
    ("reason", "statement"),
    [
        (
            "chave_natural_duplicada",
            "insert into core.customers select * replace (? as updated_at)"
            " from core.customers"
            " where customer_id = (select min(customer_id) from core.customers)",
        ),
        (
            "chave_natural_nula",
            "insert into core.customers select * replace (null as customer_id,"
            " ? as updated_at) from core.customers where customer_id = (select min(customer_id)"
            " from core.customers)",
        ),
    ],
)
def test_null_or_duplicate_natural_key_is_quarantined(
    legacy_warehouse: Warehouse, reason, statement
):
    warehouse = legacy_warehouse
    # a source without a primary key on customers
    _source(
        warehouse,
        "create table core.customers_copy as select * from core.customers;"
        " drop table core.customers; alter table core.customers_copy rename to customers",
    )
    warehouse.run()
    good_id = _source(warehouse, "select max(customer_id) from core.customers")[0][0]
    _source(warehouse, statement, BAD_TS)
    _source(
        warehouse, "update core.customers set updated_at = ? where customer_id = ?", BAD_TS, good_id
    )

    warehouse.run()

    reasons = warehouse.query(
        "select distinct reason from audit.etl_quarantine where entity_name = 'dim_cliente'"
    )
    assert reasons == [(reason,)]
    window = warehouse.windows()["dim_cliente"]
    assert window["quarantined_count"] >= 1
    assert window["upserted_count"] == 1
    assert warehouse.watermark("dim_cliente")[0] == BAD_TS
