"""The 11 source tables of ECOMMERCE_OLTP.core as data, their Arrow schemas and their DDL.

The column contract is shared with the dbt staging models: names, types, nullability and
CHECKs below are that contract. DDL is rendered for three dialects (duckdb, postgres,
sqlserver). With ``checks=False`` a table keeps only its primary key (a "legacy" source with
no CHECK, UNIQUE or NOT NULL besides the key), so tests can insert bad rows.
No foreign keys: the source is a legacy OLTP and the warehouse must cope with orphans.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from generator.config import META_SCHEMA, SOURCE_SCHEMA

DIALECTS = ("duckdb", "postgres", "sqlserver")

# logical type -> (duckdb, postgres, sqlserver); "{n}" is the string length
_SQL_TYPES: dict[str, tuple[str, str, str]] = {
    "id": ("BIGINT", "BIGINT", "BIGINT"),
    "int": ("INTEGER", "INTEGER", "INT"),
    "money": ("DECIMAL(14,2)", "NUMERIC(14,2)", "DECIMAL(14,2)"),
    "pct": ("DECIMAL(5,2)", "NUMERIC(5,2)", "DECIMAL(5,2)"),
    "dec": ("DECIMAL(10,3)", "NUMERIC(10,3)", "DECIMAL(10,3)"),
    "rating": ("DECIMAL(3,2)", "NUMERIC(3,2)", "DECIMAL(3,2)"),
    "ts": ("TIMESTAMP", "TIMESTAMP(3) WITHOUT TIME ZONE", "DATETIME2(3)"),
    "date": ("DATE", "DATE", "DATE"),
    "bool": ("BOOLEAN", "BOOLEAN", "BIT"),
    "scale": ("DECIMAL(12,6)", "NUMERIC(12,6)", "DECIMAL(12,6)"),
    "str": ("VARCHAR({n})", "VARCHAR({n})", "NVARCHAR({n})"),
}

ARROW_TYPES: dict[str, pa.DataType] = {
    "id": pa.int64(),
    "int": pa.int32(),
    "money": pa.decimal128(14, 2),
    "pct": pa.decimal128(5, 2),
    "dec": pa.decimal128(10, 3),
    "rating": pa.decimal128(3, 2),
    "ts": pa.timestamp("ms"),
    "date": pa.date32(),
    "bool": pa.bool_(),
    "scale": pa.decimal128(12, 6),
    "str": pa.string(),
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    nullable: bool = False
    length: int | None = None

    def sql_type(self, dialect: str) -> str:
        return _SQL_TYPES[self.kind][DIALECTS.index(dialect)].format(n=self.length)

    @property
    def arrow_type(self) -> pa.DataType:
        return ARROW_TYPES[self.kind]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    checks: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    pk: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pk", self.columns[0].name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.arrow_type, c.nullable) for c in self.columns])

    @property
    def qualified(self) -> str:
        return f"{SOURCE_SCHEMA}.{self.name}"

    @property
    def index_name(self) -> str:
        return f"ix_{self.name}_updated_at_{self.pk}"


def _s(name: str, n: int, nullable: bool = False) -> Column:
    return Column(name, "str", nullable, n)


def _c(name: str, kind: str, nullable: bool = False) -> Column:
    return Column(name, kind, nullable)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


_COMMON = (_c("created_at", "ts"), _c("updated_at", "ts"), _c("deleted_at", "ts", True))
_COMMON_CHECKS = (
    "updated_at >= created_at",
    "deleted_at IS NULL OR deleted_at >= created_at",
)

REGION_NAMES = ("Norte", "Nordeste", "Centro-Oeste", "Sudeste", "Sul")
TEAM_TYPES = ("Inside Sales", "Field Sales")
TEAM_CATEGORIES = ("Enterprise", "SMB", "Mid-Market")
GENDERS = ("M", "F", "O")
CUSTOMER_TYPES = ("Novo", "Recorrente", "VIP", "Inativo")
SEGMENTS = ("Pessoa Fisica", "Pessoa Juridica")
VALUE_CATEGORIES = ("Bronze", "Prata", "Ouro", "Platina")
PRODUCT_STATUSES = ("Ativo", "Inativo", "Descontinuado")
SELLER_STATUSES = ("Ativo", "Afastado", "Suspenso", "Desligado")
DISCOUNT_TYPES = (
    "Cupom",
    "Promocao Automatica",
    "Desconto Progressivo",
    "Fidelidade",
    "Primeira Compra",
    "Cashback",
)
DISCOUNT_METHODS = ("Percentual", "Valor Fixo", "Frete Gratis", "Brinde", "Combo")
APPLICATION_LEVELS = ("Item", "Pedido", "Frete", "Categoria")
ORDER_STATUSES = ("Pendente", "Pago", "Faturado", "Enviado", "Entregue", "Cancelado", "Devolvido")
PAYMENT_STATUSES = ("Pendente", "Aprovado", "Recusado", "Estornado")
SALES_CHANNELS = ("Site", "App", "Marketplace", "Televendas")


def _table(
    name: str,
    columns: tuple[Column, ...],
    checks: tuple[str, ...] = (),
    unique: tuple[tuple[str, ...], ...] = (),
) -> Table:
    return Table(name, (*columns, *_COMMON), (*checks, *_COMMON_CHECKS), unique)


TABLES: tuple[Table, ...] = (
    _table(
        "regions",
        (
            _c("region_id", "id"),
            _s("region_code", 20),
            _s("country", 60),
            _s("region_name", 30),
            _s("state", 2),
            _s("state_name", 60),
            _s("city", 100),
            _s("ibge_code", 7),
            _c("is_active", "bool"),
        ),
        (_in("region_name", REGION_NAMES), "{len}(ibge_code) = 7", "{len}(state) = 2"),
        (("region_code",),),
    ),
    _table(
        "teams",
        (
            _c("team_id", "id"),
            _s("team_code", 20),
            _s("team_name", 100),
            _s("team_type", 20),
            _s("team_category", 20),
            _c("region_id", "id", True),
            _c("is_active", "bool"),
        ),
        (_in("team_type", TEAM_TYPES), _in("team_category", TEAM_CATEGORIES)),
        (("team_code",),),
    ),
    _table(
        "suppliers",
        (
            _c("supplier_id", "id"),
            _s("supplier_code", 20),
            _s("supplier_name", 150),
            _s("country", 60),
            _c("is_active", "bool"),
        ),
        (),
        (("supplier_code",),),
    ),
    _table(
        "customers",
        (
            _c("customer_id", "id"),
            _s("customer_code", 20),
            _s("full_name", 150),
            _s("email", 150),
            _s("phone", 20, True),
            _s("document_number", 18),
            _c("birth_date", "date", True),
            _s("gender", 1, True),
            _s("customer_type", 20),
            _s("segment", 20),
            _c("credit_score", "int"),
            _s("value_category", 20),
            _s("address_line", 200),
            _s("district", 100),
            _s("city", 100),
            _s("state", 2),
            _s("country", 60),
            _s("zip_code", 9),
            _c("first_signup_date", "date"),
            _c("last_purchase_date", "date", True),
            _c("is_active", "bool"),
            _c("accepts_email_marketing", "bool"),
            _c("is_vip", "bool"),
        ),
        (
            "gender IS NULL OR " + _in("gender", GENDERS),
            _in("customer_type", CUSTOMER_TYPES),
            _in("segment", SEGMENTS),
            "credit_score BETWEEN 0 AND 1000",
            _in("value_category", VALUE_CATEGORIES),
            "{len}(zip_code) = 9",
        ),
        (("customer_code",),),
    ),
    _table(
        "products",
        (
            _c("product_id", "id"),
            _s("product_code", 20),
            _s("sku", 30),
            _s("barcode", 13),
            _s("product_name", 200),
            _s("short_description", 255),
            _s("full_description", 1000),
            _s("category_name", 60),
            _s("subcategory_name", 60),
            _s("product_line", 60),
            _s("brand", 60),
            _s("manufacturer", 100),
            _c("supplier_id", "id", True),
            _s("country_origin", 60),
            _c("weight_kg", "dec"),
            _c("height_cm", "dec"),
            _c("width_cm", "dec"),
            _c("depth_cm", "dec"),
            _s("color", 30, True),
            _s("material", 60, True),
            _c("cost_price", "money"),
            _c("list_price", "money"),
            _c("suggested_margin_percent", "pct"),
            _c("is_perishable", "bool"),
            _c("is_fragile", "bool"),
            _c("requires_refrigeration", "bool"),
            _c("minimum_age", "int"),
            _c("min_stock", "int"),
            _c("max_stock", "int"),
            _c("reorder_days", "int"),
            _s("product_status", 20),
            _c("launch_date", "date"),
            _c("discontinued_date", "date", True),
            _c("rating_avg", "rating"),
            _c("rating_count", "int"),
            _s("keywords", 300, True),
        ),
        (
            "{len}(barcode) = 13",
            "weight_kg > 0",
            "height_cm > 0",
            "width_cm > 0",
            "depth_cm > 0",
            "cost_price > 0",
            "list_price >= cost_price",
            "suggested_margin_percent BETWEEN 0 AND 100",
            "minimum_age BETWEEN 0 AND 21",
            "min_stock >= 0",
            "max_stock >= min_stock",
            "reorder_days > 0",
            _in("product_status", PRODUCT_STATUSES),
            "discontinued_date IS NULL OR (product_status = 'Descontinuado'"
            " AND discontinued_date >= launch_date)",
            "rating_avg BETWEEN 0 AND 5",
            "rating_count >= 0",
        ),
        (("product_code",), ("sku",)),
    ),
    _table(
        "sellers",
        (
            _c("seller_id", "id"),
            _s("seller_code", 20),
            _s("seller_name", 150),
            _c("team_id", "id", True),
            _c("manager_seller_id", "id", True),
            _s("home_state", 2),
            _s("home_city", 100),
            _c("monthly_goal_amount", "money"),
            _c("commission_percent", "pct"),
            _c("hire_date", "date"),
            _s("seller_status", 20),
        ),
        (
            "monthly_goal_amount > 0",
            "commission_percent BETWEEN 0 AND 20",
            _in("seller_status", SELLER_STATUSES),
        ),
        (("seller_code",),),
    ),
    _table(
        "discount_campaigns",
        (
            _c("discount_id", "id"),
            _s("discount_code", 30),
            _s("campaign_name", 150),
            _s("description", 500, True),
            _s("discount_type", 30),
            _s("discount_method", 20),
            _c("discount_value", "money"),
            _c("min_order_value", "money"),
            _c("max_discount_value", "money", True),
            _c("max_uses_per_customer", "int", True),
            _c("max_uses_total", "int", True),
            _s("apply_scope", 20),
            _s("product_restriction", 60, True),
            _c("start_at", "ts"),
            _c("end_at", "ts"),
            _c("is_active", "bool"),
            _c("is_stackable", "bool"),
            _c("approval_required", "bool"),
            _c("usage_count", "int"),
            _c("total_revenue", "money"),
            _c("total_discount", "money"),
        ),
        (
            _in("discount_type", DISCOUNT_TYPES),
            _in("discount_method", DISCOUNT_METHODS),
            "discount_value >= 0",
            "discount_method <> 'Percentual' OR discount_value <= 100",
            "min_order_value >= 0",
            _in("apply_scope", APPLICATION_LEVELS),
            "end_at > start_at",
            "usage_count >= 0",
            "total_revenue >= 0",
            "total_discount >= 0",
        ),
        (("discount_code",),),
    ),
    _table(
        "orders",
        (
            _c("order_id", "id"),
            _s("order_number", 20),
            _c("customer_id", "id"),
            _c("seller_id", "id", True),
            _c("region_id", "id", True),
            _s("order_status", 20),
            _s("payment_status", 20),
            _c("order_date", "ts"),
            _c("approved_at", "ts", True),
            _c("shipped_at", "ts", True),
            _c("delivered_at", "ts", True),
            _c("canceled_at", "ts", True),
            _s("sales_channel", 20),
            _s("currency_code", 3),
        ),
        (
            _in("order_status", ORDER_STATUSES),
            _in("payment_status", PAYMENT_STATUSES),
            "approved_at IS NULL OR approved_at >= order_date",
            "shipped_at IS NULL OR (approved_at IS NOT NULL AND shipped_at >= approved_at)",
            "delivered_at IS NULL OR (shipped_at IS NOT NULL AND delivered_at >= shipped_at)",
            "canceled_at IS NULL OR (order_status = 'Cancelado' AND canceled_at >= order_date)",
            _in("sales_channel", SALES_CHANNELS),
        ),
        (("order_number",),),
    ),
    _table(
        "order_items",
        (
            _c("order_item_id", "id"),
            _c("order_id", "id"),
            _c("item_number", "int"),
            _c("product_id", "id"),
            _c("quantity", "int"),
            _c("unit_price", "money"),
            _c("gross_amount", "money"),
            _c("discount_amount", "money"),
            _c("net_amount", "money"),
            _c("cost_amount", "money"),
            _c("return_quantity", "int"),
            _c("returned_amount", "money"),
            _c("commission_percent", "pct"),
            _c("commission_amount", "money"),
            _c("had_discount", "bool"),
        ),
        (
            "item_number >= 1",
            "quantity > 0",
            "unit_price >= 0",
            "gross_amount = quantity * unit_price",
            "discount_amount >= 0 AND discount_amount <= gross_amount",
            "net_amount = gross_amount - discount_amount",
            "cost_amount >= 0",
            "return_quantity >= 0 AND return_quantity <= quantity",
            "returned_amount >= 0 AND returned_amount <= net_amount",
            "commission_percent BETWEEN 0 AND 20",
            "commission_amount >= 0",
            "(had_discount = {true} AND discount_amount > 0)"
            " OR (had_discount = {false} AND discount_amount = 0)",
        ),
        (("order_id", "item_number"),),
    ),
    _table(
        "order_item_discounts",
        (
            _c("order_item_discount_id", "id"),
            _c("order_item_id", "id"),
            _c("order_id", "id"),
            _c("discount_id", "id"),
            _s("application_level", 20),
            _c("discount_amount", "money"),
            _c("base_amount", "money"),
            _c("final_amount", "money"),
            _c("applied_at", "ts"),
            _c("approved", "bool"),
            _s("rejection_reason", 200, True),
        ),
        (
            _in("application_level", APPLICATION_LEVELS),
            "discount_amount >= 0",
            "base_amount >= 0",
            "final_amount = base_amount - discount_amount",
            "(approved = {true} AND rejection_reason IS NULL)"
            " OR (approved = {false} AND rejection_reason IS NOT NULL)",
        ),
    ),
    _table(
        "seller_targets_monthly",
        (
            _c("seller_target_id", "id"),
            _c("seller_id", "id"),
            _c("target_month", "date"),
            _c("target_amount", "money"),
            _c("target_quantity", "int"),
        ),
        ("target_amount >= 0", "target_quantity >= 0"),
        (("seller_id", "target_month"),),
    ),
)

TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)
BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

_CHECK_TOKENS = {
    "duckdb": {"true": "TRUE", "false": "FALSE", "len": "LENGTH"},
    "postgres": {"true": "TRUE", "false": "FALSE", "len": "LENGTH"},
    "sqlserver": {"true": "1", "false": "0", "len": "LEN"},
}


def _quote(name: str, dialect: str) -> str:
    return f"[{name}]" if dialect == "sqlserver" else f'"{name}"'


def render_check(expression: str, dialect: str) -> str:
    """A CHECK expression with its dialect tokens ({true}, {false}, {len}) filled in."""
    return expression.format(**_CHECK_TOKENS[dialect])


def create_table_sql(table: Table, dialect: str, checks: bool = True) -> str:
    """CREATE TABLE core.<table> for a dialect; ``checks=False`` keeps only the primary key."""
    lines = []
    for col in table.columns:
        not_null = not col.nullable and (checks or col.name == table.pk)
        lines.append(f"{col.name} {col.sql_type(dialect)}{' NOT NULL' if not_null else ' NULL'}")
    lines.append(f"CONSTRAINT pk_{table.name} PRIMARY KEY ({table.pk})")
    if checks:
        for cols in table.unique:
            lines.append(f"CONSTRAINT uq_{table.name}_{'_'.join(cols)} UNIQUE ({', '.join(cols)})")
        for i, expr in enumerate(table.checks, start=1):
            lines.append(
                f"CONSTRAINT ck_{table.name}_{i:02d} CHECK ({render_check(expr, dialect)})"
            )
    body = ",\n    ".join(lines)
    return f"CREATE TABLE {table.qualified} (\n    {body}\n)"


def create_index_sql(table: Table) -> str:
    """The extraction index on (updated_at, <pk>); same text in every dialect."""
    return f"CREATE INDEX {table.index_name} ON {table.qualified} (updated_at, {table.pk})"


RUNS_COLUMNS: tuple[Column, ...] = (
    _c("wave", "int"),
    _c("seed", "id"),
    _c("scale", "scale"),
    _c("as_of", "date"),
    _c("checks", "bool"),
    _c("applied_at", "ts"),
)


def create_runs_sql(dialect: str) -> str:
    """The generator's bookkeeping table, outside the source schema."""
    cols = [f"{c.name} {c.sql_type(dialect)} NOT NULL" for c in RUNS_COLUMNS]
    cols.append("CONSTRAINT pk_runs PRIMARY KEY (wave)")
    return f"CREATE TABLE {META_SCHEMA}.runs (\n    " + ",\n    ".join(cols) + "\n)"


def source_ddl(dialect: str, checks: bool = True) -> list[str]:
    """Every CREATE TABLE of the source (indexes are created after loading)."""
    return [create_table_sql(t, dialect, checks) for t in TABLES]


def index_ddl() -> list[str]:
    return [create_index_sql(t) for t in TABLES]


def sqlserver_bootstrap_sql(database: str) -> list[str]:
    """T-SQL run on master, then in the database, before the tables are created."""
    db = _quote(database, "sqlserver")
    return [
        f"IF DB_ID(N'{database}') IS NULL CREATE DATABASE {db}",
    ]


def sqlserver_schema_sql() -> list[str]:
    return [
        f"IF SCHEMA_ID(N'{schema}') IS NULL EXEC(N'CREATE SCHEMA {schema}')"
        for schema in (SOURCE_SCHEMA, META_SCHEMA)
    ]


def sqlserver_drop_sql() -> list[str]:
    """Drop the source tables and the bookkeeping (for --force)."""
    statements = [f"DROP TABLE IF EXISTS {t.qualified}" for t in TABLES]
    statements.append(f"DROP TABLE IF EXISTS {META_SCHEMA}.runs")
    return statements


def full_sqlserver_script(database: str, checks: bool = True) -> list[str]:
    """Every T-SQL statement the SQL Server writer runs, in order (tested with sqlglot)."""
    return [
        *sqlserver_bootstrap_sql(database),
        f"USE {_quote(database, 'sqlserver')}",
        *sqlserver_schema_sql(),
        *sqlserver_drop_sql(),
        *source_ddl("sqlserver", checks),
        *index_ddl(),
        create_runs_sql("sqlserver"),
    ]
