"""The source has exactly the original system's columns (CONTRACT.md, "Source:
ECOMMERCE_OLTP.core"): names, order, types, nullability and defaults, in each dialect.

The expected list below is written from CONTRACT.md (SQL Server types, as the contract gives
them), not derived from generator.schema; the PostgreSQL and DuckDB expectations are derived
from it with the fixed type mapping of those engines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import psycopg2
import pytest
import sqlglot
from oltp_snapshots import AS_OF, query
from sqlglot import exp

from generator import generate
from generator.ddl import create_table_sql, source_ddl
from generator.schema import BY_NAME, TABLE_NAMES

_NOW = "SYSUTCDATETIME()"
_COMMON = f"""
    created_at datetime2(0) not null default {_NOW}
    updated_at datetime2(0) not null default {_NOW}
    deleted_at datetime2(0) null
"""

# table -> "column type null|not null [default x]" lines, in the contract's order
CONTRACT: dict[str, str] = {
    "regions": """
        region_id bigint not null
        region_code varchar(30) not null
        country varchar(50) not null default 'Brasil'
        region_name varchar(30) null
        state char(2) not null
        state_name varchar(50) not null
        city varchar(100) not null
        ibge_code varchar(10) null
        is_active bit not null default 1
    """,
    "teams": """
        team_id bigint not null
        team_code varchar(30) not null
        team_name varchar(120) not null
        team_type varchar(30) null
        team_category varchar(30) null
        region_id bigint null
        is_active bit not null default 1
    """,
    "suppliers": """
        supplier_id bigint not null
        supplier_code varchar(30) not null
        supplier_name varchar(150) not null
        country varchar(50) null
        is_active bit not null default 1
    """,
    "customers": """
        customer_id bigint not null
        customer_code varchar(50) not null
        full_name varchar(200) not null
        email varchar(200) null
        phone varchar(30) null
        document_number varchar(20) null
        birth_date date null
        gender char(1) null
        customer_type varchar(20) not null default 'Novo'
        segment varchar(20) not null default 'Pessoa Fisica'
        credit_score int null
        value_category varchar(20) null
        address_line varchar(200) null
        district varchar(80) null
        city varchar(100) not null
        state char(2) not null
        country varchar(50) not null default 'Brasil'
        zip_code varchar(10) null
        first_signup_date date not null
        last_purchase_date date null
        is_active bit not null default 1
        accepts_email_marketing bit not null default 0
        is_vip bit not null default 0
    """,
    "products": """
        product_id bigint not null
        product_code varchar(50) not null
        sku varchar(50) not null
        barcode varchar(20) null
        product_name varchar(200) not null
        short_description varchar(255) null
        full_description varchar(max) null
        category_name varchar(50) not null
        subcategory_name varchar(50) not null
        product_line varchar(50) null
        brand varchar(50) not null
        manufacturer varchar(100) null
        supplier_id bigint not null
        country_origin varchar(50) null
        weight_kg decimal(8,3) null
        height_cm decimal(6,2) null
        width_cm decimal(6,2) null
        depth_cm decimal(6,2) null
        color varchar(30) null
        material varchar(50) null
        cost_price decimal(10,2) not null
        list_price decimal(10,2) not null
        suggested_margin_percent decimal(5,2) null
        is_perishable bit not null default 0
        is_fragile bit not null default 0
        requires_refrigeration bit not null default 0
        minimum_age int null
        min_stock int not null default 0
        max_stock int not null default 1000
        reorder_days int null
        product_status varchar(20) not null default 'Ativo'
        launch_date date null
        discontinued_date date null
        rating_avg decimal(2,1) null
        rating_count int not null default 0
        keywords varchar(200) null
    """,
    "sellers": """
        seller_id bigint not null
        seller_code varchar(50) not null
        seller_name varchar(200) not null
        team_id bigint null
        manager_seller_id bigint null
        home_state char(2) null
        home_city varchar(100) null
        monthly_goal_amount decimal(15,2) null
        hire_date date null
        seller_status varchar(20) not null default 'Ativo'
    """,
    "discount_campaigns": """
        discount_id bigint not null
        discount_code varchar(50) not null
        campaign_name varchar(150) null
        description varchar(500) null
        discount_type varchar(30) not null
        discount_method varchar(30) not null
        discount_value decimal(10,2) null
        min_order_value decimal(15,2) null
        max_discount_value decimal(15,2) null
        max_uses_per_customer int null
        max_uses_total int null
        apply_scope varchar(30) not null
        product_restriction varchar(500) null
        start_at datetime2(0) not null
        end_at datetime2(0) not null
        is_active bit not null default 1
        is_stackable bit not null default 0
        approval_required bit not null default 0
        current_usage_count int not null default 0
        total_revenue_generated decimal(15,2) not null default 0
        total_discount_given decimal(15,2) not null default 0
    """,
    "orders": """
        order_id bigint not null
        order_number varchar(50) not null
        customer_id bigint not null
        seller_id bigint null
        region_id bigint null
        order_status varchar(20) not null
        payment_status varchar(20) null
        order_date datetime2(0) not null
        approved_at datetime2(0) null
        shipped_at datetime2(0) null
        delivered_at datetime2(0) null
        canceled_at datetime2(0) null
        sales_channel varchar(30) null
        currency_code char(3) not null default 'BRL'
        notes varchar(500) null
    """,
    "order_items": """
        order_item_id bigint not null
        order_id bigint not null
        item_number int not null
        product_id bigint not null
        quantity int not null
        unit_price decimal(15,2) not null
        gross_amount decimal(15,2) not null
        discount_amount decimal(15,2) not null default 0
        net_amount decimal(15,2) not null
        cost_amount decimal(15,2) not null default 0
        return_quantity int not null default 0
        returned_amount decimal(15,2) not null default 0
        commission_percent decimal(5,2) null
        commission_amount decimal(15,2) null
        had_discount bit not null default 0
    """,
    "order_item_discounts": """
        order_item_discount_id bigint not null
        order_item_id bigint not null
        order_id bigint not null
        discount_id bigint not null
        application_level varchar(30) not null
        discount_amount decimal(15,2) not null
        base_amount decimal(15,2) not null
        final_amount decimal(15,2) not null
        applied_at datetime2(0) not null
        approved bit not null default 1
        rejection_reason varchar(200) null
    """,
    "seller_targets_monthly": """
        seller_target_id bigint not null
        seller_id bigint not null
        target_month date not null
        target_amount decimal(15,2) not null
        target_quantity int null
        realized_amount decimal(15,2) not null default 0
        realized_quantity int not null default 0
        period_type varchar(20) not null default 'Mensal'
        period_closed bit not null default 0
    """,
}

_LINE = re.compile(r"(\w+) ([\w(),]+) (not null|null)(?: default (.+))?$")


def contract_columns(table: str) -> list[tuple[str, str, bool, str | None]]:
    """(name, SQL Server type, nullable, default) of a table, from CONTRACT above."""
    out = []
    for line in filter(str.strip, (CONTRACT[table] + _COMMON).splitlines()):
        match = _LINE.fullmatch(line.strip())
        assert match, line
        name, type_, null, default = match.groups()
        out.append((name, type_, null == "null", default))
    return out


def _postgres_type(sqlserver: str, flag: str) -> tuple[str, int | None, int | None, int | None]:
    """(data_type, character_maximum_length, numeric precision, numeric scale)."""
    if m := re.fullmatch(r"varchar\((\d+)\)", sqlserver):
        return ("character varying", int(m[1]), None, None)
    if m := re.fullmatch(r"char\((\d+)\)", sqlserver):
        return ("character", int(m[1]), None, None)
    if m := re.fullmatch(r"decimal\((\d+),(\d+)\)", sqlserver):
        return ("numeric", None, int(m[1]), int(m[2]))
    return {
        "bigint": ("bigint", None, 64, 0),
        "int": ("integer", None, 32, 0),
        "bit": (flag, None, 16, 0) if flag == "smallint" else ("boolean", None, None, None),
        "date": ("date", None, None, None),
        "datetime2(0)": ("timestamp without time zone", None, None, None),
        "varchar(max)": ("character varying", None, None, None),
    }[sqlserver]


def _duckdb_type(sqlserver: str, flag: str) -> str:
    if sqlserver.startswith(("varchar", "char")):
        return "VARCHAR"
    if sqlserver.startswith("decimal"):
        return sqlserver.upper()
    return {
        "bigint": "BIGINT",
        "int": "INTEGER",
        "bit": flag.upper(),
        "date": "DATE",
        "datetime2(0)": "TIMESTAMP",
    }[sqlserver]


def test_contract_list_covers_the_eleven_tables_and_194_columns() -> None:
    assert list(CONTRACT) == list(TABLE_NAMES)
    assert sum(len(contract_columns(t)) for t in CONTRACT) == 194


def _tsql(data_type: exp.DataType) -> str:
    """A T-SQL type as sqlglot normalises it (INT and INTEGER are one type)."""
    return data_type.sql(dialect="tsql").upper().replace(" ", "")


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_sqlserver_ddl_has_the_contract_columns_types_nullability_and_defaults(
    table: str,
) -> None:
    tree = sqlglot.parse_one(create_table_sql(BY_NAME[table], "sqlserver"), read="tsql")
    found = []
    for column in tree.find_all(exp.ColumnDef):
        nullable, default = True, None
        for constraint in column.constraints:
            if isinstance(constraint.kind, exp.NotNullColumnConstraint):
                nullable = bool(constraint.kind.args.get("allow_null"))
            if isinstance(constraint.kind, exp.DefaultColumnConstraint):
                default = constraint.kind.this.sql(dialect="tsql")
        found.append((column.name, _tsql(column.kind), nullable, default))
    expected = [
        (name, _tsql(exp.DataType.build(type_, dialect="tsql")), nullable, default)
        for name, type_, nullable, default in contract_columns(table)
    ]
    assert found == expected


def test_sqlserver_ddl_uses_varchar_not_nvarchar() -> None:
    script = "\n".join(source_ddl("sqlserver"))
    assert "NVARCHAR" not in script and "NCHAR" not in script
    assert "full_description VARCHAR(MAX) NULL" in script


@pytest.mark.parametrize("flag", ["boolean", "smallint"])
def test_duckdb_source_has_the_contract_columns_types_and_nullability(
    make_source: Callable[..., Path], flag: str
) -> None:
    path = make_source(flag_type=flag)
    rows = query(
        path,
        "select table_name, column_name, data_type, is_nullable = 'YES'"
        " from information_schema.columns where table_schema = 'core'"
        " order by table_name, ordinal_position",
    )
    for table in TABLE_NAMES:
        found = [(c, t, n) for tab, c, t, n in rows if tab == table]
        expected = [(c, _duckdb_type(t, flag), n) for c, t, n, _ in contract_columns(table)]
        assert found == expected, table


@pytest.mark.postgres
@pytest.mark.parametrize("flag", ["boolean", "smallint"])
def test_postgres_source_has_the_contract_columns_types_and_nullability(
    pg_env: dict[str, str], flag: str
) -> None:
    generate(target="postgres", scale=0.01, as_of=AS_OF, flag_type=flag)
    con = psycopg2.connect(
        host=pg_env["ETL_PG_HOST"],
        port=int(pg_env["ETL_PG_PORT"]),
        user=pg_env["ETL_PG_USER"],
        password=pg_env["ETL_PG_PASSWORD"],
        dbname=pg_env["ETL_PG_DATABASE"],
    )
    try:
        with con.cursor() as cur:
            cur.execute(
                "select table_name, column_name, data_type, character_maximum_length,"
                " numeric_precision, numeric_scale, datetime_precision, is_nullable = 'YES'"
                " from information_schema.columns where table_schema = 'core'"
                " order by table_name, ordinal_position"
            )
            rows = cur.fetchall()
    finally:
        con.close()
    for table in TABLE_NAMES:
        found = [r[1:] for r in rows if r[0] == table]
        expected = []
        for name, type_, nullable, _ in contract_columns(table):
            data_type, length, precision, scale = _postgres_type(type_, flag)
            seconds = 0 if type_ in ("datetime2(0)", "date") else None
            expected.append((name, data_type, length, precision, scale, seconds, nullable))
        assert found == expected, table


@pytest.mark.parametrize("flag", ["boolean", "smallint"])
def test_duckdb_defaults_are_the_contracts(make_source: Callable[..., Path], flag: str) -> None:
    path = make_source(name=f"defaults_{flag}.duckdb", flag_type=flag)
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "insert into core.seller_targets_monthly (seller_target_id, seller_id,"
            " target_month, target_amount) values (999999, 1, date '2030-01-01', 10)"
        )
        row = con.execute(
            "select realized_amount, realized_quantity, period_type, period_closed,"
            " created_at, updated_at, deleted_at, date_trunc('second', created_at) = created_at"
            " from core.seller_targets_monthly where seller_target_id = 999999"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    amount, quantity, period, closed, created, updated, deleted, whole = row
    assert (amount, quantity, period, deleted) == (0, 0, "Mensal", None)
    assert closed == 0 and type(closed) is (bool if flag == "boolean" else int)
    assert created == updated and whole
