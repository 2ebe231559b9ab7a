"""History (SCD Type 2): the snapshots keep every version of a changed customer or product
with chained validity ranges, a sale joins the version valid at its date, a row gone from
the source has its version closed, the audit window counts exactly what the snapshot
wrote, and the contract tables keep their constraints through batched incremental merges.

One warehouse per engine (DuckDB, and PostgreSQL where a server answers), shared by the
module: a first build; then wave 1, plus three changes of our own on the source (a
customer changes segment between two of its orders, a customer without orders is hard
deleted), and a second build in batches of 7 rows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import pytest

from generator import apply_wave, generate
from tests.conftest import PG_HOST, PG_PASSWORD, PG_PORT, PG_USER, _pg_connect
from tests.dbt_harness import Warehouse, environment
from tests.models.conftest import AS_OF, NOW, SCALE, SEED, duckdb_warehouse

CHANGE_AT = datetime(2026, 1, 15, 12, 0, 0)  # after the wave, before the runs' cutoff
FAR_PAST, FAR_FUTURE = datetime(1900, 1, 1), datetime(9999, 12, 31)
SNAPSHOTS = {
    "snap_oltp__customers": ("customers", "customer_id"),
    "snap_oltp__products": ("products", "product_id"),
}


@dataclass
class Site:
    """A built warehouse, its source, and what the test changed in the source."""

    target: str
    warehouse: Warehouse
    snapshot_before: dict[str, dict[int, tuple[Any, ...]]] = field(default_factory=dict)
    expected: dict[str, dict[str, int]] = field(default_factory=dict)
    wave_started: datetime | None = None
    wave_changed: int = 0
    moved_customer: int = 0
    moved_order: int = 0
    kept_order: int = 0
    old_segment: str = ""
    new_segment: str = ""
    deleted_customer: int = 0
    invocation: str = ""

    @property
    def mark(self) -> str:
        return "%s" if self.target == "postgres" else "?"

    def dw(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.warehouse.query(sql.replace("?", self.mark), params)

    def source(self, sql: str, *params: Any, write: bool = False) -> list[tuple[Any, ...]]:
        """SQL on the source: schema core of the same PostgreSQL database, or the DuckDB
        source file (while no dbt invocation holds it)."""
        if self.target == "postgres":
            with self.warehouse.connect() as conn:
                cursor = conn.cursor()
                cursor.execute(sql.replace("?", "%s"), params)
                rows = cursor.fetchall() if cursor.description else []
                conn.commit()
            return [tuple(row) for row in rows]
        with duckdb.connect(self.warehouse.env["ETL_OLTP_DUCKDB_PATH"], read_only=not write) as c:
            cursor = c.execute(sql, list(params))
            return cursor.fetchall() if cursor.description else []


def _current_versions(site: Site, snapshot: str, key: str) -> dict[int, tuple[Any, ...]]:
    rows = site.dw(
        f"select {key}, dbt_valid_from, updated_at from snapshots.{snapshot}"
        " where dbt_valid_to is null"
    )
    return {row[0]: row[1:] for row in rows}


def _expected_counts(site: Site) -> dict[str, dict[str, int]]:
    """What each snapshot must write next, from the source and the versions it holds
    (dbt's timestamp rule: a version is new when the source updated_at is past it)."""
    expected = {}
    for snapshot, (table, key) in SNAPSHOTS.items():
        current = _current_versions(site, snapshot, key)
        source = {
            row[0]: row[1:]
            for row in site.source(f"select {key}, updated_at, deleted_at from core.{table}")
        }
        changed = [
            k for k, (updated, _) in source.items() if k not in current or current[k][0] < updated
        ]
        soft = sum(1 for k in changed if source[k][1] is not None)
        gone = len(set(current) - set(source))
        expected[snapshot] = {
            "upserted": len(changed),
            "soft_deleted": soft + gone,
            "extracted": len(changed) + gone,
            "hard_deleted": gone,
        }
    return expected


def _prepare(site: Site) -> Site:
    site.warehouse.run()
    site.snapshot_before = {
        snapshot: _current_versions(site, snapshot, key) for snapshot, (_, key) in SNAPSHOTS.items()
    }
    with environment(site.warehouse.env):
        report = apply_wave(
            1,
            target=site.target,
            seed=SEED,
            **(
                {"duckdb_path": site.warehouse.env["ETL_OLTP_DUCKDB_PATH"]}
                if site.target == "duckdb"
                else {}
            ),
        )
    site.wave_started = report.started_at
    site.wave_changed = site.source(
        "select min(customer_id) from core.customers where updated_at >= ? and deleted_at is null"
        " and customer_id in ("
        + ", ".join(str(k) for k in site.snapshot_before["snap_oltp__customers"])
        + ")",
        report.started_at,
    )[0][0]
    assert site.wave_changed is not None, "wave 1 changed no existing customer"

    # a customer, untouched by the wave, with two orders: it changes segment between them
    customer, kept, moved = site.dw(
        "select cliente_id, min(pedido_original_id), max(pedido_original_id) from fact.fact_vendas"
        " where cliente_id > 0 and not (_etl_source_deleted = true) group by cliente_id"
        " having count(distinct pedido_original_id) >= 2 order by cliente_id"
    )[0]
    site.moved_customer, site.kept_order, site.moved_order = customer, kept, moved
    site.old_segment = site.source(
        "select segment from core.customers where customer_id = ?", customer
    )[0][0]
    site.new_segment = "Pessoa Juridica" if site.old_segment == "Pessoa Fisica" else "Pessoa Fisica"
    site.source(
        "update core.customers set segment = ?, updated_at = ? where customer_id = ?",
        site.new_segment,
        CHANGE_AT,
        customer,
        write=True,
    )
    later = CHANGE_AT + timedelta(hours=1)
    site.source(
        "update core.orders set order_date = ?, updated_at = ? where order_id = ?",
        later,
        later,
        moved,
        write=True,
    )
    # a customer without orders disappears from the source (a hard delete)
    site.deleted_customer = site.source(
        "select min(customer_id) from core.customers as c where c.deleted_at is null"
        " and c.updated_at < ? and c.customer_id <> ?"
        " and not exists (select 1 from core.orders as o where o.customer_id = c.customer_id)",
        report.started_at,
        customer,
    )[0][0]
    site.source(
        "delete from core.customers where customer_id = ?", site.deleted_customer, write=True
    )

    site.expected = _expected_counts(site)
    # a full check: the snapshots read the whole source, so the hard delete is seen
    site.warehouse.build(etl_batch_size="7", etl_full_checks=True)
    site.invocation = site.dw(
        "select invocation_id from audit.etl_load_window where entity_name = 'snap_oltp__customers'"
        " order by planned_at desc"
    )[0][0]
    return site


def _pg_site(tmp: Path) -> Iterator[Site]:
    name = f"dwtest_{uuid.uuid4().hex[:12]}"
    admin = _pg_connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'create database "{name}"')
    env = {
        "ETL_PG_HOST": PG_HOST,
        "ETL_PG_PORT": str(PG_PORT),
        "ETL_PG_USER": PG_USER,
        "ETL_PG_PASSWORD": PG_PASSWORD,
        "ETL_PG_DATABASE": name,
    }
    try:
        with environment(env):
            generate(target="postgres", scale=SCALE, seed=SEED, as_of=AS_OF)
        yield _prepare(Site("postgres", Warehouse("postgres", env, tmp / "target", etl_now=NOW)))
    finally:
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp(f"history_{request.param}")
    if request.param == "duckdb":
        yield _prepare(Site("duckdb", duckdb_warehouse(tmp)))
    else:
        request.getfixturevalue("postgres_server")
        yield from _pg_site(tmp)


def _versions(site: Site, model: str, key: str, value: int) -> list[tuple[Any, ...]]:
    return site.dw(
        f"select numero_versao, valido_de, valido_ate, segmento, tipo_cliente, eh_versao_atual,"
        f" eh_removido_da_origem from dim.{model} where {key} = ? order by numero_versao",
        value,
    )


def test_snapshot_after_a_wave_holds_the_old_and_new_versions_with_their_ranges(site: Site):
    customer = site.wave_changed
    old_from, old_updated = site.snapshot_before["snap_oltp__customers"][customer]
    new_updated, new_type = site.source(
        "select updated_at, customer_type from core.customers where customer_id = ?", customer
    )[0]
    versions = site.dw(
        "select dbt_valid_from, dbt_valid_to, updated_at, customer_type from"
        " snapshots.snap_oltp__customers where customer_id = ? order by dbt_valid_from",
        customer,
    )
    assert len(versions) == 2, versions
    (old, new) = versions
    assert old[0] == old_from == old_updated and old[1] == new_updated  # closed by the change
    assert new[0] == new_updated and new[1] is None and new[3] == new_type  # current
    history = site.dw(
        "select numero_versao, valido_de, valido_ate, tipo_cliente, eh_versao_atual"
        " from dim.dim_cliente_historico where cliente_id = ? order by numero_versao",
        customer,
    )
    assert [row[:3] for row in history] == [
        (1, FAR_PAST, new_updated),
        (2, new_updated, FAR_FUTURE),
    ]
    assert [bool(row[4]) for row in history] == [False, True]
    assert history[1][3] == new_type


def test_history_ranges_are_chained_for_every_customer_and_product(site: Site):
    for model, (table, key) in {
        "dim_cliente_historico": ("customers", "cliente_id"),
        "dim_produto_historico": ("products", "produto_id"),
    }.items():
        rows = site.dw(
            f"select {key}, numero_versao, valido_de, valido_ate, eh_removido_da_origem"
            f" from dim.{model} order by {key}, numero_versao"
        )
        by_key: dict[int, list[tuple[Any, ...]]] = {}
        for row in rows:
            by_key.setdefault(row[0], []).append(row)
        assert len(by_key) > 100, model
        for versions in by_key.values():
            assert [v[1] for v in versions] == list(range(1, len(versions) + 1))
            assert versions[0][2] == FAR_PAST, versions
            for earlier, later in pairwise(versions):
                assert earlier[3] == later[2], versions  # a version ends where the next begins
            assert versions[-1][3] == FAR_FUTURE or bool(versions[-1][4]), versions
        # a current version per source row, plus the -1 unknown member
        current = {k for k, v in by_key.items() if v[-1][3] == FAR_FUTURE}
        assert len(current) == site.source(f"select count(*) from core.{table}")[0][0] + 1, model


def test_sale_joins_the_customer_version_valid_at_its_date(site: Site):
    rows = site.dw(
        "select fact_vendas.pedido_original_id, sales.segmento_na_venda, sales.segmento_atual,"
        " sales.versao_cliente_na_venda, sales.mudou_de_segmento"
        " from fact.vw_vendas_com_historico as sales"
        " inner join fact.fact_vendas as fact_vendas on fact_vendas.venda_id = sales.venda_id"
        " where sales.cliente_id = ?",
        site.moved_customer,
    )
    by_order = {row[0]: row[1:] for row in rows}
    assert site.kept_order in by_order and site.moved_order in by_order, rows
    for order, (segment, current, version, changed) in by_order.items():
        assert current == site.new_segment
        if order == site.moved_order:  # placed after the change: the new version
            assert (segment, version, bool(changed)) == (site.new_segment, 2, False), order
        elif order == site.kept_order:  # placed before it: the old one
            assert (segment, version, bool(changed)) == (site.old_segment, 1, True), order
    # one row per live sale: no sale lost or doubled by the range joins
    assert (
        site.dw("select count(*) from fact.vw_vendas_com_historico")[0][0]
        == site.dw("select count(*) from fact.fact_vendas where not (_etl_source_deleted = true)")[
            0
        ][0]
    )


def test_customer_gone_from_the_source_has_its_version_closed(site: Site):
    customer = site.deleted_customer
    snapshot = site.dw(
        "select dbt_valid_to, _etl_closed_invocation_id from snapshots.snap_oltp__customers"
        " where customer_id = ?",
        customer,
    )
    assert len(snapshot) == 1 and snapshot[0][0] is not None, snapshot
    assert snapshot[0][1] == site.invocation
    history = site.dw(
        "select valido_ate, eh_versao_atual, eh_removido_da_origem from dim.dim_cliente_historico"
        " where cliente_id = ?",
        customer,
    )
    assert [(row[0], bool(row[1]), bool(row[2])) for row in history] == [
        (snapshot[0][0], False, True)
    ]
    # the Type 1 dimension keeps the customer it loaded
    assert site.dw("select count(*) from dim.dim_cliente where cliente_id = ?", customer) == [(1,)]


def test_snapshot_audit_window_counts_exactly_what_the_snapshot_wrote(site: Site):
    for snapshot, (table, key) in SNAPSHOTS.items():
        window = site.dw(
            "select load_kind, status, extracted_count, upserted_count, soft_deleted_count,"
            " watermark_to_updated_at, watermark_to_id from audit.etl_load_window"
            " where invocation_id = ? and entity_name = ?",
            site.invocation,
            snapshot,
        )
        assert len(window) == 1, snapshot
        kind, status, extracted, upserted, soft_deleted, to_ts, to_id = window[0]
        expected = site.expected[snapshot]
        assert (kind, status) == ("snapshot", "loaded")
        assert (extracted, upserted, soft_deleted) == (
            expected["extracted"],
            expected["upserted"],
            expected["soft_deleted"],
        ), snapshot
        written = site.dw(
            f"select count(*) from snapshots.{snapshot} where _etl_invocation_id = ?",
            site.invocation,
        )[0][0]
        assert upserted == written > 0, snapshot
        newest = site.source(f"select max(updated_at) from core.{table}")[0][0]
        newest_id = site.source(
            f"select max({key}) from core.{table} where updated_at = ?", newest
        )[0][0]
        assert (to_ts, to_id) == (newest, newest_id), snapshot
    assert site.expected["snap_oltp__customers"]["hard_deleted"] == 1


def test_contract_tables_keep_their_constraints_through_batched_merges(site: Site):
    batches = site.dw(
        "select batches from audit.etl_load_window where invocation_id = ? and entity_name = ?",
        site.invocation,
        "fact_vendas",
    )[0][0]
    assert batches > 1  # the second build merged fact_vendas in batches of 7
    manifest = json.loads((site.warehouse.target_path / "manifest.json").read_text())
    keyed = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"]["materialized"] in ("table", "incremental")
        and (
            any(c["type"] == "primary_key" for c in node["constraints"])
            or any(
                c["type"] == "primary_key"
                for col in node["columns"].values()
                for c in col["constraints"]
            )
        )
    }
    assert {"dim_cliente", "fact_vendas", "dim_data", "dim_cliente_historico"} <= keyed
    if site.target == "duckdb":
        found = site.dw(
            "select distinct table_name from duckdb_constraints()"
            " where constraint_type = 'PRIMARY KEY' and schema_name in ('dim', 'fact')"
        )
    else:
        found = site.dw(
            "select distinct table_name from information_schema.table_constraints"
            " where constraint_type = 'PRIMARY KEY' and table_schema in ('dim', 'fact')"
        )
    assert keyed <= {row[0] for row in found}


def _selected_columns(site: Site, code: str) -> list[str]:
    """The columns a compiled model selects, in order, without reading any row."""
    sql = f"select * from (\n{code}\n) as model_query where 1 = 0"
    if site.target == "postgres":
        with site.warehouse.connect() as conn:
            cursor = conn.cursor()
            cursor.execute(sql)
            return [column[0] for column in cursor.description]
    with duckdb.connect(site.warehouse.env["ETL_DUCKDB_PATH"], read_only=True) as conn:
        source = site.warehouse.env["ETL_OLTP_DUCKDB_PATH"]
        conn.execute(f"attach '{source}' as ecommerce_oltp (read_only)")
        return [column[0] for column in conn.execute(sql).description]


def test_contract_tables_keep_the_column_order_their_sql_selects(site: Site):
    """An enforced contract creates the table with its YAML's column order: that order is
    the SQL's (the original warehouse's), so `select *` reports see the same columns."""
    results = json.loads((site.warehouse.target_path / "run_results.json").read_text())
    checked = []
    for result in results["results"]:
        name = result["unique_id"].split(".")[-1]
        if not result["unique_id"].startswith("model.") or not name.startswith(("dim_", "fact_")):
            continue
        schema = "dim" if name.startswith("dim_") else "fact"
        table = site.dw(
            "select column_name from information_schema.columns where table_schema = ?"
            " and table_name = ? order by ordinal_position",
            schema,
            name,
        )
        assert [row[0] for row in table] == _selected_columns(site, result["compiled_code"]), name
        checked.append(name)
    assert len(checked) == 12, checked  # 7 dimensions, 3 facts, 2 history dimensions


def test_incremental_build_snapshots_only_the_changed_rows(site: Site):
    """Runs last: changes one customer and one product, then a build that is not a full
    check reads just those rows (ctl.etl_pending__<snapshot>) and versions them."""
    customer, product = site.source(
        "select min(c.customer_id), min(p.product_id) from core.customers as c, core.products as p"
        " where c.deleted_at is null and p.deleted_at is null"
    )[0]
    later = site.source("select max(updated_at) from core.customers")[0][0] + timedelta(hours=1)
    site.source(
        "update core.customers set segment = 'Pessoa Juridica', updated_at = ?"
        " where customer_id = ?",
        later,
        customer,
        write=True,
    )
    site.source(
        "update core.products set list_price = list_price + 1, updated_at = ? where product_id = ?",
        later,
        product,
        write=True,
    )
    changes = (
        ("snap_oltp__customers", "customers", "customer_id", customer),
        ("snap_oltp__products", "products", "product_id", product),
    )
    # what each snapshot reads: the rows changed at or after the newest updated_at it holds
    # (ties with that instant included; dbt versions only the row that moved past it)
    expected = {}
    for snapshot, table, key, _ in changes:
        newest = site.dw(f"select max(updated_at) from snapshots.{snapshot}")[0][0]
        expected[snapshot] = set(
            site.source(f"select {key} from core.{table} where updated_at >= ?", newest)
        )
    site.warehouse.build()
    for snapshot, _, key, changed in changes:
        read = set(site.dw(f"select {key} from ctl.etl_pending__{snapshot}"))
        assert read == expected[snapshot] and (changed,) in read, snapshot
        current = site.dw(
            f"select dbt_valid_from from snapshots.{snapshot}"
            f" where {key} = ? and dbt_valid_to is null",
            changed,
        )
        assert current == [(later,)], snapshot
        window = site.dw(
            "select extracted_count, upserted_count, source_relation from audit.etl_load_window"
            " where entity_name = ? order by planned_at desc",
            snapshot,
        )[0]
        assert window[:2] == (1, 1) and f"etl_pending__{snapshot}" in window[2], window
