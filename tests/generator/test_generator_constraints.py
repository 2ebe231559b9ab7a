"""Every source rule holds in the generated data, rechecked in SQL independently of the DDL.

The sources here are generated WITHOUT constraints (checks=False), so the DDL cannot be what
keeps the data valid: each query below counts the rows breaking one rule, and must be 0.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from oltp_snapshots import AS_OF, query

from generator import generate, reference
from generator.documents import is_valid_cnpj, is_valid_cpf, is_valid_ean13
from generator.schema import (
    APPLICATION_LEVELS,
    APPLY_SCOPES,
    CUSTOMER_TYPES,
    DISCOUNT_METHODS,
    DISCOUNT_TYPES,
    GENDERS,
    ORDER_STATUSES,
    PAYMENT_STATUSES,
    PRODUCT_STATUSES,
    REGION_NAMES,
    SALES_CHANNELS,
    SEGMENTS,
    SELLER_STATUSES,
    TABLES,
    TEAM_CATEGORIES,
    TEAM_TYPES,
    VALUE_CATEGORIES,
)
from generator.volumes import BaseVolumes

SCALES = (0.01, 0.05, 0.2)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in (" + ", ".join(f"'{v}'" for v in values) + ")"


def _not_in(column: str, values: tuple[str, ...], nullable: bool = False) -> str:
    rule = f"not ({_in(column, values)})"
    return f"{column} is not null and {rule}" if nullable else f"{column} is null or {rule}"


AS_OF_TS = f"timestamp '{AS_OF.isoformat()} 00:00:00'"
AS_OF_MONTH = f"date '{AS_OF.replace(day=1).isoformat()}'"

# rule name -> SQL counting violating rows
RULES: dict[str, str] = {}
for _t in TABLES:
    RULES[f"{_t.name}: primary key unique and not null"] = (
        f"select count(*) - count(distinct {_t.pk}) + count(*) filter (where {_t.pk} is null)"
        f" from core.{_t.name}"
    )
    RULES[f"{_t.name}: updated_at >= created_at, all before as-of, not deleted"] = (
        f"select count(*) from core.{_t.name} where created_at is null or updated_at is null"
        f" or updated_at < created_at or updated_at >= {AS_OF_TS} or deleted_at is not null"
    )
    _stamps = [c.name for c in _t.columns if c.kind == "ts"]
    RULES[f"{_t.name}: every timestamp is a whole second"] = (
        f"select count(*) from core.{_t.name} where "
        + " or ".join(f"date_trunc('second', {c}) <> {c}" for c in _stamps)
    )
    for _, _cols in _t.unique:
        _key = ", ".join(_cols)
        RULES[f"{_t.name}: ({_key}) unique"] = (
            f"select count(*) from (select {_key} from core.{_t.name}"
            f" group by {_key} having count(*) > 1)"
        )

# the level the original records an application of each apply_scope at
_SCOPE_LEVEL = (
    "case c.apply_scope when 'Pedido Total' then 'Pedido' when 'Frete' then 'Frete'"
    " when 'Categoria' then 'Categoria' else 'Item' end"
)
# net sales and quantity per seller and month, orders not canceled
_SOLD = (
    "select o.seller_id, cast(date_trunc('month', o.order_date) as date) as target_month,"
    " sum(i.net_amount) as net, sum(i.quantity) as qty from core.orders o"
    " join core.order_items i using (order_id)"
    " where o.seller_id is not null and o.order_status <> 'Cancelado' group by all"
)

RULES.update(
    {
        "regions: domains": "select count(*) from core.regions where "
        f"{_not_in('region_name', REGION_NAMES)} or country <> 'Brasil' or length(state) <> 2"
        " or length(ibge_code) <> 7 or not regexp_full_match(ibge_code, '[0-9]{7}')",
        "teams: domains": "select count(*) from core.teams where "
        f"{_not_in('team_type', TEAM_TYPES)} or {_not_in('team_category', TEAM_CATEGORIES)}",
        "customers: domains": "select count(*) from core.customers where "
        f"({_not_in('gender', GENDERS, nullable=True)})"
        f" or {_not_in('customer_type', CUSTOMER_TYPES)} or {_not_in('segment', SEGMENTS)}"
        f" or ({_not_in('value_category', VALUE_CATEGORIES, nullable=True)})"
        " or credit_score not between 0 and 1000 or length(state) <> 2 or country <> 'Brasil'"
        " or not regexp_full_match(zip_code, '[0-9]{5}-[0-9]{3}')"
        " or email <> lower(email) or email not like '%@%.%'"
        " or (is_vip <> (customer_type = 'VIP'))",
        "customers: Pessoa Juridica has no birth date nor gender, Pessoa Fisica a gender": (
            "select count(*) from core.customers where (segment = 'Pessoa Juridica'"
            " and (birth_date is not null or gender is not null))"
            " or (segment = 'Pessoa Fisica' and gender is null)"
        ),
        "customers: an incomplete address misses street, district and zip code together": (
            "select count(*) from core.customers where (address_line is null)"
            " <> (district is null) or (address_line is null) <> (zip_code is null)"
        ),
        "customers: signed up before the first order, last purchase = last order": (
            "select count(*) from core.customers c left join (select customer_id,"
            " min(order_date) as first_order, max(order_date) as last_order from core.orders"
            " group by customer_id) o using (customer_id) where c.created_at > o.first_order"
            " or c.first_signup_date > cast(o.first_order as date)"
            " or c.last_purchase_date is distinct from cast(o.last_order as date)"
            " or (c.value_category is null) <> (o.customer_id is null)"
        ),
        "products: domains and prices": "select count(*) from core.products where "
        f"{_not_in('product_status', PRODUCT_STATUSES)} or cost_price <= 0"
        " or list_price < cost_price or suggested_margin_percent not between 0 and 100"
        " or weight_kg <= 0 or height_cm <= 0 or width_cm <= 0 or depth_cm <= 0"
        " or (weight_kg is null) <> (height_cm is null) or (width_cm is null)"
        " <> (depth_cm is null) or (weight_kg is null) <> (depth_cm is null)"
        " or minimum_age not in (3, 18) or min_stock < 0 or max_stock < min_stock"
        " or reorder_days <= 0 or rating_avg not between 0 and 5 or rating_count < 0"
        " or (rating_avg is null) <> (rating_count = 0)"
        " or (discontinued_date is not null) <> (product_status = 'Descontinuado')"
        " or discontinued_date < launch_date or supplier_id is null",
        "sellers: domains": "select count(*) from core.sellers where "
        f"{_not_in('seller_status', SELLER_STATUSES)} or monthly_goal_amount <= 0"
        " or length(home_state) <> 2",
        "sellers: leaders have no manager, the others report to their team's leader": (
            "select count(*) from core.sellers s left join core.sellers m"
            " on m.seller_id = s.manager_seller_id where s.team_id is null"
            " or (s.manager_seller_id is not null and (m.seller_id is null"
            " or m.team_id <> s.team_id or m.manager_seller_id is not null))"
            " or (s.manager_seller_id is null and (select count(*) from core.sellers l"
            " where l.team_id = s.team_id and l.manager_seller_id is null) <> 1)"
            " or (s.manager_seller_id is null and s.seller_status <> 'Ativo')"
        ),
        "discount_campaigns: domains": "select count(*) from core.discount_campaigns where "
        f"{_not_in('discount_type', DISCOUNT_TYPES)}"
        f" or {_not_in('discount_method', DISCOUNT_METHODS)}"
        f" or {_not_in('apply_scope', APPLY_SCOPES)} or end_at <= start_at"
        " or (discount_method = 'Percentual' and discount_value > 100) or discount_value < 0"
        " or (apply_scope = 'Frete') <> (discount_method = 'Frete Gratis')"
        " or (product_restriction is not null)"
        " <> (apply_scope in ('Produto Especifico', 'Categoria'))"
        " or min_order_value <= 0 or max_discount_value <= 0 or current_usage_count < 0"
        " or total_revenue_generated < 0 or total_discount_given < 0",
        "discount_campaigns: usage totals match the approved applications": (
            "select count(*) from core.discount_campaigns c left join (select discount_id,"
            " count(*) as n, sum(discount_amount) as d, sum(final_amount) as r"
            " from core.order_item_discounts where approved group by discount_id) a"
            " using (discount_id) where c.current_usage_count <> coalesce(a.n, 0)"
            " or c.total_discount_given <> coalesce(a.d, 0)"
            " or c.total_revenue_generated <> coalesce(a.r, 0)"
        ),
        "orders: domains": "select count(*) from core.orders where "
        f"{_not_in('order_status', ORDER_STATUSES)}"
        f" or ({_not_in('payment_status', PAYMENT_STATUSES, nullable=True)})"
        f" or ({_not_in('sales_channel', SALES_CHANNELS, nullable=True)})"
        " or currency_code <> 'BRL' or length(notes) > 500 or notes = ''"
        " or not regexp_full_match(order_number, 'PED-[0-9]{10}')",
        "orders: payment status follows the order status as the original's seed writes it": (
            "select count(*) from core.orders where payment_status <> case order_status"
            " when 'Pendente' then 'Pendente' when 'Cancelado' then 'Estornado' else 'Pago' end"
        ),
        "orders: timestamps follow the status": (
            "select count(*) from core.orders where created_at <> order_date"
            " or approved_at < order_date or shipped_at < approved_at"
            " or delivered_at < shipped_at or canceled_at < order_date"
            " or (shipped_at is not null and approved_at is null)"
            " or (delivered_at is not null and shipped_at is null)"
            " or (canceled_at is not null) <> (order_status = 'Cancelado')"
            " or (order_status = 'Pendente' and approved_at is not null)"
            " or (order_status in ('Pago', 'Faturado', 'Enviado', 'Entregue', 'Devolvido')"
            "     and approved_at is null)"
            " or (order_status in ('Enviado', 'Entregue', 'Devolvido') and shipped_at is null)"
            " or (order_status in ('Entregue', 'Devolvido') and delivered_at is null)"
            " or (order_status in ('Pendente', 'Pago', 'Faturado', 'Cancelado')"
            "     and shipped_at is not null)"
            " or updated_at < greatest(order_date, coalesce(approved_at, order_date),"
            "     coalesce(shipped_at, order_date), coalesce(delivered_at, order_date),"
            "     coalesce(canceled_at, order_date))"
        ),
        "orders: every order has 1-4 items numbered 1..n": (
            "select count(*) from core.orders o left join (select order_id, count(*) as n,"
            " max(item_number) as m, min(item_number) as f from core.order_items"
            " group by order_id) i using (order_id)"
            " where i.n is null or i.n > 4 or i.m <> i.n or i.f <> 1"
        ),
        "order_items: money invariants": (
            "select count(*) from core.order_items i join core.products p using (product_id)"
            " join core.orders o using (order_id)"
            " where quantity <= 0 or unit_price <> p.list_price"
            " or gross_amount <> quantity * unit_price"
            " or net_amount <> gross_amount - discount_amount"
            " or discount_amount < 0 or discount_amount > gross_amount"
            " or cost_amount <> quantity * p.cost_price"
            " or return_quantity < 0 or return_quantity > quantity"
            " or returned_amount < 0 or returned_amount > net_amount"
            " or had_discount <> (discount_amount > 0)"
            # commission lives on the item: none without a seller
            " or (i.commission_percent is null) <> (o.seller_id is null)"
            " or (i.commission_amount is null) <> (o.seller_id is null)"
            " or i.commission_percent not between 1 and 10"
            # round(net * pct / 100, 2), in exact decimal arithmetic (half a cent at most)
            " or abs(commission_amount * 100 - net_amount * i.commission_percent) > 0.5"
            " or i.created_at <> o.order_date"
        ),
        "order_items: one commission percent per product category": (
            "select count(*) from (select p.category_name from core.order_items i"
            " join core.products p using (product_id) where i.commission_percent is not null"
            " group by p.category_name having count(distinct i.commission_percent) > 1)"
        ),
        "order_items: returns follow the order status": (
            "select count(*) from core.order_items i join core.orders o using (order_id)"
            " where (o.order_status = 'Devolvido' and (return_quantity <> quantity"
            "        or returned_amount <> net_amount))"
            " or (o.order_status not in ('Devolvido', 'Entregue') and return_quantity <> 0)"
            " or (return_quantity = 0 and returned_amount <> 0)"
        ),
        "order_item_discounts: exactly every 5th item, one row each, matching the item": (
            "select count(*) from core.order_items i full join core.order_item_discounts d"
            " using (order_item_id) where (i.order_item_id % 5 = 0) <> (d.order_item_id is not"
            " null) or d.order_id <> i.order_id or d.base_amount <> i.gross_amount"
            " or (d.approved and i.discount_amount <> d.discount_amount)"
            " or (not d.approved and i.discount_amount <> 0)"
        ),
        "order_item_discounts: amounts, approval and reason": "select count(*) from"
        " core.order_item_discounts where "
        f"{_not_in('application_level', APPLICATION_LEVELS)} or discount_amount < 0"
        " or final_amount <> base_amount - discount_amount or discount_amount > base_amount"
        " or approved <> (rejection_reason is null) or (approved and discount_amount <= 0)"
        " or (not approved and discount_amount <> 0)",
        "order_item_discounts: campaign runs at the order date, level follows its scope": (
            "select count(*) from core.order_item_discounts d join core.orders o"
            " using (order_id) left join core.discount_campaigns c using (discount_id)"
            " where c.discount_id is null or o.order_date not between c.start_at and c.end_at"
            f" or d.applied_at < o.order_date or d.application_level <> {_SCOPE_LEVEL}"
        ),
        "seller_targets_monthly: a target for every seller and month, and only those": (
            "with months as (select unnest(generate_series(date_trunc('month', min(order_date)),"
            f" date '{AS_OF.isoformat()}', interval 1 month)) as m from core.orders),"
            " expected as (select seller_id, cast(m as date) as target_month"
            " from core.sellers, months)"
            " select count(*) from expected e full join core.seller_targets_monthly t"
            " using (seller_id, target_month) where e.seller_id is null"
            " or t.seller_target_id is null or extract(day from t.target_month) <> 1"
        ),
        "seller_targets_monthly: values, period type and months closed before the as-of": (
            "select count(*) from core.seller_targets_monthly where target_amount <= 0"
            " or target_quantity <= 0 or realized_amount < 0 or realized_quantity < 0"
            f" or period_type <> 'Mensal' or period_closed <> (target_month < {AS_OF_MONTH})"
        ),
        "seller_targets_monthly: realized figures within a plausible band of the sales": (
            f"select count(*) from core.seller_targets_monthly t left join ({_SOLD}) s"
            " using (seller_id, target_month)"
            " where abs(t.realized_amount - coalesce(s.net, 0)) > 0.25 * coalesce(s.net, 0)"
            " or abs(t.realized_quantity - coalesce(s.qty, 0)) > 0.25 * coalesce(s.qty, 0) + 2"
        ),
        "references: no orphans in the base (orders, items, discounts, products, teams)": (
            "select (select count(*) from core.orders o left join core.customers c"
            " using (customer_id) left join core.sellers s using (seller_id)"
            " left join core.regions r using (region_id) where c.customer_id is null"
            " or (o.seller_id is not null and s.seller_id is null)"
            " or (o.region_id is not null and r.region_id is null))"
            " + (select count(*) from core.order_items i left join core.products p"
            " using (product_id) where p.product_id is null)"
            " + (select count(*) from core.order_item_discounts d left join core.order_items i"
            " using (order_item_id) where i.order_item_id is null)"
            " + (select count(*) from core.products p left join core.suppliers s"
            " using (supplier_id) where s.supplier_id is null)"
            " + (select count(*) from core.teams t left join core.regions r using (region_id)"
            " where t.region_id is not null and r.region_id is null)"
        ),
    }
)


@pytest.fixture(scope="module", params=SCALES, ids=[f"scale{s}" for s in SCALES])
def source(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("constraints") / "oltp.duckdb"
    generate(scale=request.param, seed=11, as_of=AS_OF, duckdb_path=path, checks=False)
    return path


@pytest.mark.parametrize("rule", sorted(RULES))
def test_source_rule_holds(source: Path, rule: str) -> None:
    ((violations,),) = query(source, RULES[rule])
    assert violations == 0, f"{rule}: {violations} violating rows"


def test_rule_queries_detect_a_broken_row(tmp_path: Path) -> None:
    """The rule queries are not vacuous: one bad row of each kind is counted."""
    path = tmp_path / "bad.duckdb"
    generate(scale=0.01, seed=3, as_of=AS_OF, duckdb_path=path, checks=False)
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("update core.order_items set net_amount = net_amount + 1 where order_item_id = 7")
    con.execute("update core.orders set order_status = 'Perdido' where order_id = 3")
    con.execute("delete from core.order_item_discounts where order_item_id = 10")
    con.execute("delete from core.seller_targets_monthly where seller_target_id = 5")
    con.execute(
        "update core.seller_targets_monthly set realized_amount = realized_amount * 2 + 100"
        " where seller_target_id = 40"
    )
    con.execute(
        "update core.customers set updated_at = updated_at + interval 1 millisecond"
        " where customer_id = 2"
    )
    con.execute("update core.orders set payment_status = 'Aprovado' where order_id = 4")
    con.close()
    for rule in (
        "order_items: money invariants",
        "orders: domains",
        "order_item_discounts: exactly every 5th item, one row each, matching the item",
        "seller_targets_monthly: a target for every seller and month, and only those",
        "seller_targets_monthly: realized figures within a plausible band of the sales",
        "customers: every timestamp is a whole second",
        "orders: payment status follows the order status as the original's seed writes it",
    ):
        ((violations,),) = query(path, RULES[rule])
        assert violations >= 1, rule


def test_documents_and_barcodes_have_valid_check_digits(source: Path) -> None:
    rows = query(
        source,
        "select segment, document_number from core.customers where document_number is not null",
    )
    for segment, document in rows:
        valid = is_valid_cpf(document) if segment == "Pessoa Fisica" else is_valid_cnpj(document)
        assert valid, (segment, document)
    assert len({d for _, d in rows}) == len(rows)
    barcodes = query(source, "select barcode from core.products where barcode is not null")
    assert barcodes and all(is_valid_ean13(b) for (b,) in barcodes)


def test_geography_is_real_and_customers_mostly_live_in_region_cities(source: Path) -> None:
    regions = query(source, "select region_name, state, city, ibge_code from core.regions")
    known = {(c.state, c.name, c.ibge_code) for c in reference.CITIES}
    assert len(regions) == 15
    assert all((s, c, i) in known for _, s, c, i in regions)
    assert sorted({r[0] for r in regions}) == sorted(
        ["Norte", "Nordeste", "Centro-Oeste", "Sudeste", "Sul"]
    )
    ((total, in_region, unknown),) = query(
        source,
        "select count(*), count(r.region_id), count(*) filter (where k.city is null)"
        " from core.customers c left join core.regions r using (state, city)"
        " left join (select unnest(?) as city) k on k.city = c.city",
        [[c.name for c in reference.CITIES]],
    )
    assert unknown == 0
    assert 0.75 <= in_region / total < 1.0  # mostly, and a few live where there is no region


def test_orders_mostly_take_the_customer_region(source: Path) -> None:
    ((with_region, same),) = query(
        source,
        "select count(*), count(*) filter (where r.city = c.city and r.state = c.state)"
        " from core.orders o join core.customers c using (customer_id)"
        " join core.regions r on r.region_id = o.region_id",
    )
    assert same / with_region >= 0.6


def test_scale_001_is_still_a_usable_data_set(tmp_path: Path) -> None:
    path = tmp_path / "tiny.duckdb"
    report = generate(scale=0.01, as_of=AS_OF, duckdb_path=path)
    rows = report.rows
    assert rows["orders"] >= 300 and rows["sellers"] >= 8 and rows["teams"] >= 3
    assert rows["regions"] == 15 and rows["discount_campaigns"] >= 5
    assert rows["order_item_discounts"] >= 50
    ((statuses, with_seller_teams),) = query(
        path,
        "select count(distinct order_status), count(distinct s.team_id) from core.orders"
        " left join core.sellers s using (seller_id)",
    )
    assert statuses == 7 and with_seller_teams >= 3


MIX_SCALE = 0.2


@pytest.fixture(scope="module")
def mix(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A scale-0.2 source, large enough for shares and mixes."""
    path = tmp_path_factory.mktemp("mix") / "mix.duckdb"
    report = generate(scale=MIX_SCALE, seed=5, as_of=AS_OF, duckdb_path=path, checks=False)
    return path, report.rows


def test_volumes_and_mixes_follow_the_spec(mix: tuple[Path, dict[str, int]]) -> None:
    path, rows = mix
    vol = BaseVolumes.for_scale(MIX_SCALE)
    assert rows["orders"] == vol.orders == 18_000
    assert rows["customers"] == 4_000 and rows["products"] == 1_000
    assert rows["sellers"] == 60
    assert 2.35 <= rows["order_items"] / vol.orders <= 2.65
    assert rows["order_item_discounts"] == rows["order_items"] // 5
    mix_ = dict(query(path, "select order_status, count(*) from core.orders group by all"))
    expected = {"Cancelado": 3, "Devolvido": 4, "Enviado": 8, "Entregue": 42, "Faturado": 19,
                "Pago": 15, "Pendente": 9}  # fmt: skip
    for status, per_100 in expected.items():
        assert abs(mix_[status] / vol.orders * 100 - per_100) <= 0.5, status
    ((no_seller, no_region, rejected, discounts, first, last),) = query(
        path,
        "select avg(case when seller_id is null then 1 else 0 end),"
        " avg(case when region_id is null then 1 else 0 end),"
        " (select avg(case when approved then 0 else 1 end) from core.order_item_discounts),"
        " (select count(*) from core.order_item_discounts),"
        " min(order_date), max(updated_at) from core.orders",
    )
    assert abs(no_seller - 0.10) <= 0.01 and abs(no_region - 0.04) <= 0.01
    assert abs(rejected - 0.05) <= 0.01 and discounts > 0
    assert first.date() >= date(2022, 1, 15) and first.date() <= date(2022, 1, 20)
    assert last.date() == date(2025, 1, 14)


# (table, column) -> (lowest, highest) share of NULLs in the base
NULL_SHARES: dict[tuple[str, str], tuple[float, float]] = {
    ("customers", "email"): (0.005, 0.05),
    ("customers", "phone"): (0.02, 0.08),
    ("customers", "document_number"): (0.001, 0.03),
    ("customers", "birth_date"): (0.15, 0.25),  # Pessoa Juridica has none
    ("customers", "credit_score"): (0.02, 0.07),
    ("customers", "address_line"): (0.005, 0.05),
    ("customers", "value_category"): (0.01, 0.5),  # customers without orders
    ("products", "barcode"): (0.01, 0.06),
    ("products", "full_description"): (0.02, 0.1),
    ("products", "weight_kg"): (0.005, 0.05),
    ("products", "minimum_age"): (0.5, 0.99),  # most categories have no age limit
    ("products", "rating_avg"): (0.04, 0.13),  # products nobody rated yet
    ("discount_campaigns", "min_order_value"): (0.05, 0.6),
    ("orders", "payment_status"): (0.002, 0.03),
    ("orders", "sales_channel"): (0.002, 0.03),
    ("orders", "notes"): (0.8, 0.95),
    ("order_items", "commission_percent"): (0.07, 0.13),  # orders without a seller
    ("seller_targets_monthly", "target_quantity"): (0.02, 0.09),
}


@pytest.mark.parametrize(("table", "column"), sorted(NULL_SHARES))
def test_nullable_columns_are_null_in_a_realistic_share(
    mix: tuple[Path, dict[str, int]], table: str, column: str
) -> None:
    ((share,),) = query(
        mix[0], f"select avg(case when {column} is null then 1.0 else 0 end) from core.{table}"
    )
    low, high = NULL_SHARES[(table, column)]
    assert low <= share <= high, (table, column, share)


# (table, column) -> the values the original's CHECKs or seed give that column
DOMAINS: dict[tuple[str, str], tuple[str, ...]] = {
    ("customers", "gender"): GENDERS,
    ("customers", "customer_type"): CUSTOMER_TYPES,
    ("customers", "segment"): SEGMENTS,
    ("customers", "value_category"): ("Alto Valor", "Medio Valor", "Base"),
    ("products", "product_status"): PRODUCT_STATUSES,
    ("sellers", "seller_status"): ("Ativo", "Inativo"),
    ("discount_campaigns", "discount_method"): DISCOUNT_METHODS,
    ("discount_campaigns", "apply_scope"): (
        "Pedido Total",
        "Produto Especifico",
        "Categoria",
        "Frete",
        "Item Individual",
    ),
    ("orders", "order_status"): ORDER_STATUSES,
    ("orders", "payment_status"): ("Pendente", "Pago", "Estornado"),
    ("orders", "sales_channel"): ("Site", "App", "Marketplace", "Televendas"),
    ("orders", "currency_code"): ("BRL",),
    ("order_item_discounts", "application_level"): APPLICATION_LEVELS,
    ("seller_targets_monthly", "period_type"): ("Mensal",),
}


@pytest.mark.parametrize(("table", "column"), sorted(DOMAINS))
def test_value_domains_are_the_originals(
    mix: tuple[Path, dict[str, int]], table: str, column: str
) -> None:
    found = {v for (v,) in query(mix[0], f"select distinct {column} from core.{table}")}
    found.discard(None)
    expected = set(DOMAINS[(table, column)])
    assert found <= expected, (table, column, found - expected)
    if table != "discount_campaigns":  # 18 campaigns need not draw every method
        assert found == expected, (table, column, expected - found)


def test_realized_figures_are_the_oltps_own_not_the_sales(
    mix: tuple[Path, dict[str, int]],
) -> None:
    ((rows, sold, equal, closed, open_),) = query(
        mix[0],
        f"select count(*), count(s.net), count(*) filter (where t.realized_amount = s.net),"
        " count(*) filter (where t.period_closed), count(*) filter (where not t.period_closed)"
        f" from core.seller_targets_monthly t left join ({_SOLD}) s"
        " using (seller_id, target_month)",
    )
    assert sold >= 0.9 * rows  # most seller-months sold something
    assert equal <= 0.1 * sold  # and the OLTP's figure is rarely the sum of the sales
    assert open_ == mix[1]["sellers"] and closed == rows - open_  # only the as-of month is open
