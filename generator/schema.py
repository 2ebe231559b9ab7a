"""The 11 tables of ECOMMERCE_OLTP.core as data: columns, types per dialect, Arrow schemas,
constraints (``generator.ddl`` renders them as DDL).

The columns are the original system's (CONTRACT.md, "Source: ECOMMERCE_OLTP.core"): the same
names in the same order, its types (VARCHAR, not NVARCHAR, on SQL Server; DATETIME2(0)
timestamps, so every value is a whole second), its nullability and defaults. The constraints
are the original's too: primary keys, its UNIQUE keys and CHECKs (domains, money rules,
``updated_at >= created_at``), and an index on ``(updated_at, <pk>)`` per table, in three
dialects (duckdb, postgres, sqlserver).

Two deliberate departures:

- No FOREIGN KEYs (the original has them). The warehouse must cope with orphans, which a
  source without enforced references can hold, and a wave may stamp an order item before the
  product it sells is written; keys would hide the first and forbid the second.
- Flags (the original's ``bit``) are BOOLEAN on DuckDB and PostgreSQL by default; with
  ``flag_type="smallint"`` they are SMALLINT 0/1 (how many ports of a ``bit`` column look),
  with ``CHECK (flag IN (0, 1))``. SQL Server always uses BIT.

With ``checks=False`` a table keeps only its primary key (a "legacy" source with no CHECK,
UNIQUE or NOT NULL besides the key), so tests can insert bad rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from generator.config import SOURCE_SCHEMA

DIALECTS = ("duckdb", "postgres", "sqlserver")
FLAG_TYPES = ("boolean", "smallint")
DEFAULT_FLAG_TYPE = "boolean"

# logical kind -> (duckdb, postgres, sqlserver); {n} length, {p},{s} precision and scale
_SQL_TYPES: dict[str, tuple[str, str, str]] = {
    "id": ("BIGINT", "BIGINT", "BIGINT"),
    "int": ("INTEGER", "INTEGER", "INT"),
    "dec": ("DECIMAL({p},{s})", "NUMERIC({p},{s})", "DECIMAL({p},{s})"),
    "ts": ("TIMESTAMP", "TIMESTAMP(0) WITHOUT TIME ZONE", "DATETIME2(0)"),
    "date": ("DATE", "DATE", "DATE"),
    "flag": ("BOOLEAN", "BOOLEAN", "BIT"),
    "varchar": ("VARCHAR({n})", "VARCHAR({n})", "VARCHAR({n})"),
    "char": ("CHAR({n})", "CHAR({n})", "CHAR({n})"),
    "text": ("VARCHAR", "VARCHAR", "VARCHAR(MAX)"),
}
_STRING_KINDS = ("varchar", "char", "text")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    nullable: bool = False
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    default: str | None = None  # a SQL literal, or a token: {now}, {true}, {false}

    def sql_type(self, dialect: str, flag_type: str = DEFAULT_FLAG_TYPE) -> str:
        if self.kind == "flag" and dialect != "sqlserver" and flag_type == "smallint":
            return "SMALLINT"
        template = _SQL_TYPES[self.kind][DIALECTS.index(dialect)]
        return template.format(n=self.length, p=self.precision, s=self.scale)

    @property
    def arrow_type(self) -> pa.DataType:
        if self.kind == "dec":
            assert self.precision is not None and self.scale is not None
            return pa.decimal128(self.precision, self.scale)
        if self.kind in _STRING_KINDS:
            return pa.string()
        return _ARROW_TYPES[self.kind]


_ARROW_TYPES: dict[str, pa.DataType] = {
    "id": pa.int64(),
    "int": pa.int32(),
    "ts": pa.timestamp("s"),
    "date": pa.date32(),
    "flag": pa.bool_(),
}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    checks: tuple[tuple[str, str], ...] = ()  # (constraint suffix, expression)
    unique: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (constraint suffix, columns)
    pk: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pk", self.columns[0].name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def flag_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.kind == "flag"]

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.arrow_type, c.nullable) for c in self.columns])

    @property
    def qualified(self) -> str:
        return f"{SOURCE_SCHEMA}.{self.name}"

    @property
    def index_name(self) -> str:
        return f"IX_core_{self.name}_updated_id"


def _v(name: str, n: int, nullable: bool = False, default: str | None = None) -> Column:
    return Column(name, "varchar", nullable, length=n, default=default)


def _ch(name: str, n: int, nullable: bool = False, default: str | None = None) -> Column:
    return Column(name, "char", nullable, length=n, default=default)


def _d(name: str, p: int, s: int, nullable: bool = False, default: str | None = None) -> Column:
    return Column(name, "dec", nullable, precision=p, scale=s, default=default)


def _c(name: str, kind: str, nullable: bool = False, default: str | None = None) -> Column:
    return Column(name, kind, nullable, default=default)


def _money(name: str, nullable: bool = False, default: str | None = None) -> Column:
    return _d(name, 15, 2, nullable, default)


def _flag(name: str, default: bool) -> Column:
    return _c(name, "flag", default="{true}" if default else "{false}")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


_COMMON = (
    _c("created_at", "ts", default="{now}"),
    _c("updated_at", "ts", default="{now}"),
    _c("deleted_at", "ts", True),
)
_TIME_CHECK = ("time", "updated_at >= created_at")

# Values the original's CHECKs allow
GENDERS = ("M", "F", "O")
CUSTOMER_TYPES = ("Novo", "Recorrente", "VIP", "Inativo")
SEGMENTS = ("Pessoa Fisica", "Pessoa Juridica")
PRODUCT_STATUSES = ("Ativo", "Inativo", "Descontinuado")
SELLER_STATUSES = ("Ativo", "Inativo")
DISCOUNT_TYPES = (
    "Cupom",
    "Promocao Automatica",
    "Desconto Progressivo",
    "Fidelidade",
    "Primeira Compra",
    "Cashback",
)
DISCOUNT_METHODS = ("Percentual", "Valor Fixo", "Frete Gratis", "Brinde", "Combo")
APPLY_SCOPES = ("Pedido Total", "Produto Especifico", "Categoria", "Frete", "Item Individual")
ORDER_STATUSES = ("Pendente", "Pago", "Faturado", "Enviado", "Entregue", "Cancelado", "Devolvido")
APPLICATION_LEVELS = ("Item", "Pedido", "Frete", "Categoria")
PERIOD_TYPES = ("Mensal",)
# Values the original's seed writes where no CHECK exists
REGION_NAMES = ("Norte", "Nordeste", "Centro-Oeste", "Sudeste", "Sul")
TEAM_TYPES = ("Inside Sales", "Field Sales")
TEAM_CATEGORIES = ("Enterprise", "SMB", "Mid-Market")
VALUE_CATEGORIES = ("Alto Valor", "Medio Valor", "Base")
PAYMENT_STATUSES = ("Pendente", "Pago", "Estornado")
SALES_CHANNELS = ("Site", "App", "Marketplace", "Televendas")
CURRENCY = "BRL"


def _table(
    name: str,
    columns: tuple[Column, ...],
    checks: tuple[tuple[str, str], ...] = (),
    unique: tuple[tuple[str, tuple[str, ...]], ...] = (),
    time_check: bool = True,
) -> Table:
    return Table(
        name, (*columns, *_COMMON), (*checks, *((_TIME_CHECK,) if time_check else ())), unique
    )


TABLES: tuple[Table, ...] = (
    _table(
        "regions",
        (
            _c("region_id", "id"),
            _v("region_code", 30),
            _v("country", 50, default="'Brasil'"),
            _v("region_name", 30, True),
            _ch("state", 2),
            _v("state_name", 50),
            _v("city", 100),
            _v("ibge_code", 10, True),
            _flag("is_active", True),
        ),
        (("state_len", "{len}(state) = 2"),),
        (("region_code", ("region_code",)), ("location", ("country", "state", "city"))),
        time_check=False,
    ),
    _table(
        "teams",
        (
            _c("team_id", "id"),
            _v("team_code", 30),
            _v("team_name", 120),
            _v("team_type", 30, True),
            _v("team_category", 30, True),
            _c("region_id", "id", True),
            _flag("is_active", True),
        ),
        (),
        (("team_code", ("team_code",)),),
        time_check=False,
    ),
    _table(
        "suppliers",
        (
            _c("supplier_id", "id"),
            _v("supplier_code", 30),
            _v("supplier_name", 150),
            _v("country", 50, True),
            _flag("is_active", True),
        ),
        (),
        (("supplier_code", ("supplier_code",)),),
        time_check=False,
    ),
    _table(
        "customers",
        (
            _c("customer_id", "id"),
            _v("customer_code", 50),
            _v("full_name", 200),
            _v("email", 200, True),
            _v("phone", 30, True),
            _v("document_number", 20, True),
            _c("birth_date", "date", True),
            _ch("gender", 1, True),
            _v("customer_type", 20, default="'Novo'"),
            _v("segment", 20, default="'Pessoa Fisica'"),
            _c("credit_score", "int", True),
            _v("value_category", 20, True),
            _v("address_line", 200, True),
            _v("district", 80, True),
            _v("city", 100),
            _ch("state", 2),
            _v("country", 50, default="'Brasil'"),
            _v("zip_code", 10, True),
            _c("first_signup_date", "date"),
            _c("last_purchase_date", "date", True),
            _flag("is_active", True),
            _flag("accepts_email_marketing", False),
            _flag("is_vip", False),
        ),
        (
            ("gender", _in("gender", GENDERS) + " OR gender IS NULL"),
            ("type", _in("customer_type", CUSTOMER_TYPES)),
            ("segment", _in("segment", SEGMENTS)),
            ("state_len", "{len}(state) = 2"),
            ("credit_score", "credit_score BETWEEN 0 AND 1000 OR credit_score IS NULL"),
        ),
        (("customer_code", ("customer_code",)),),
    ),
    _table(
        "products",
        (
            _c("product_id", "id"),
            _v("product_code", 50),
            _v("sku", 50),
            _v("barcode", 20, True),
            _v("product_name", 200),
            _v("short_description", 255, True),
            Column("full_description", "text", True),
            _v("category_name", 50),
            _v("subcategory_name", 50),
            _v("product_line", 50, True),
            _v("brand", 50),
            _v("manufacturer", 100, True),
            _c("supplier_id", "id"),
            _v("country_origin", 50, True),
            _d("weight_kg", 8, 3, True),
            _d("height_cm", 6, 2, True),
            _d("width_cm", 6, 2, True),
            _d("depth_cm", 6, 2, True),
            _v("color", 30, True),
            _v("material", 50, True),
            _d("cost_price", 10, 2),
            _d("list_price", 10, 2),
            _d("suggested_margin_percent", 5, 2, True),
            _flag("is_perishable", False),
            _flag("is_fragile", False),
            _flag("requires_refrigeration", False),
            _c("minimum_age", "int", True),
            _c("min_stock", "int", default="0"),
            _c("max_stock", "int", default="1000"),
            _c("reorder_days", "int", True),
            _v("product_status", 20, default="'Ativo'"),
            _c("launch_date", "date", True),
            _c("discontinued_date", "date", True),
            _d("rating_avg", 2, 1, True),
            _c("rating_count", "int", default="0"),
            _v("keywords", 200, True),
        ),
        (
            ("status", _in("product_status", PRODUCT_STATUSES)),
            ("cost", "cost_price >= 0"),
            ("price", "list_price >= 0"),
            ("stock", "max_stock >= min_stock"),
            ("rating", "rating_avg BETWEEN 0 AND 5 OR rating_avg IS NULL"),
        ),
        (("product_code", ("product_code",)), ("sku", ("sku",))),
    ),
    _table(
        "sellers",
        (
            _c("seller_id", "id"),
            _v("seller_code", 50),
            _v("seller_name", 200),
            _c("team_id", "id", True),
            _c("manager_seller_id", "id", True),
            _ch("home_state", 2, True),
            _v("home_city", 100, True),
            _money("monthly_goal_amount", True),
            _c("hire_date", "date", True),
            _v("seller_status", 20, default="'Ativo'"),
        ),
        (
            ("status", _in("seller_status", SELLER_STATUSES)),
            ("goal", "monthly_goal_amount >= 0 OR monthly_goal_amount IS NULL"),
            ("state_len", "{len}(home_state) = 2 OR home_state IS NULL"),
        ),
        (("seller_code", ("seller_code",)),),
    ),
    _table(
        "discount_campaigns",
        (
            _c("discount_id", "id"),
            _v("discount_code", 50),
            _v("campaign_name", 150, True),
            _v("description", 500, True),
            _v("discount_type", 30),
            _v("discount_method", 30),
            _d("discount_value", 10, 2, True),
            _money("min_order_value", True),
            _money("max_discount_value", True),
            _c("max_uses_per_customer", "int", True),
            _c("max_uses_total", "int", True),
            _v("apply_scope", 30),
            _v("product_restriction", 500, True),
            _c("start_at", "ts"),
            _c("end_at", "ts"),
            _flag("is_active", True),
            _flag("is_stackable", False),
            _flag("approval_required", False),
            _c("current_usage_count", "int", default="0"),
            _money("total_revenue_generated", default="0"),
            _money("total_discount_given", default="0"),
        ),
        (
            ("type", _in("discount_type", DISCOUNT_TYPES)),
            ("method", _in("discount_method", DISCOUNT_METHODS)),
            ("scope", _in("apply_scope", APPLY_SCOPES)),
            ("period", "end_at >= start_at"),
            (
                "values",
                "(discount_value IS NULL OR discount_value >= 0)"
                " AND (min_order_value IS NULL OR min_order_value >= 0)"
                " AND (max_discount_value IS NULL OR max_discount_value >= 0)",
            ),
        ),
        (("discount_code", ("discount_code",)),),
    ),
    _table(
        "orders",
        (
            _c("order_id", "id"),
            _v("order_number", 50),
            _c("customer_id", "id"),
            _c("seller_id", "id", True),
            _c("region_id", "id", True),
            _v("order_status", 20),
            _v("payment_status", 20, True),
            _c("order_date", "ts"),
            _c("approved_at", "ts", True),
            _c("shipped_at", "ts", True),
            _c("delivered_at", "ts", True),
            _c("canceled_at", "ts", True),
            _v("sales_channel", 30, True),
            _ch("currency_code", 3, default=f"'{CURRENCY}'"),
            _v("notes", 500, True),
        ),
        (
            ("status", _in("order_status", ORDER_STATUSES)),
            ("currency", "{len}(currency_code) = 3"),
        ),
        (("order_number", ("order_number",)),),
    ),
    _table(
        "order_items",
        (
            _c("order_item_id", "id"),
            _c("order_id", "id"),
            _c("item_number", "int"),
            _c("product_id", "id"),
            _c("quantity", "int"),
            _money("unit_price"),
            _money("gross_amount"),
            _money("discount_amount", default="0"),
            _money("net_amount"),
            _money("cost_amount", default="0"),
            _c("return_quantity", "int", default="0"),
            _money("returned_amount", default="0"),
            _d("commission_percent", 5, 2, True),
            _money("commission_amount", True),
            _flag("had_discount", False),
        ),
        (
            ("qty", "quantity > 0"),
            ("price", "unit_price >= 0"),
            (
                "amounts",
                "gross_amount >= 0 AND discount_amount >= 0"
                " AND net_amount = gross_amount - discount_amount"
                " AND discount_amount <= gross_amount AND cost_amount >= 0",
            ),
            (
                "returns",
                "return_quantity >= 0 AND return_quantity <= quantity AND returned_amount >= 0",
            ),
            (
                "commission",
                "(commission_percent IS NULL OR commission_percent >= 0)"
                " AND (commission_amount IS NULL OR commission_amount >= 0)",
            ),
        ),
        (("order_item", ("order_id", "item_number")),),
    ),
    _table(
        "order_item_discounts",
        (
            _c("order_item_discount_id", "id"),
            _c("order_item_id", "id"),
            _c("order_id", "id"),
            _c("discount_id", "id"),
            _v("application_level", 30),
            _money("discount_amount"),
            _money("base_amount"),
            _money("final_amount"),
            _c("applied_at", "ts"),
            _flag("approved", True),
            _v("rejection_reason", 200, True),
        ),
        (
            ("level", _in("application_level", APPLICATION_LEVELS)),
            (
                "values",
                "discount_amount >= 0 AND base_amount >= 0"
                " AND final_amount = base_amount - discount_amount"
                " AND discount_amount <= base_amount",
            ),
        ),
    ),
    _table(
        "seller_targets_monthly",
        (
            _c("seller_target_id", "id"),
            _c("seller_id", "id"),
            _c("target_month", "date"),
            _money("target_amount"),
            _c("target_quantity", "int", True),
            _money("realized_amount", default="0"),
            _c("realized_quantity", "int", default="0"),
            _v("period_type", 20, default="'Mensal'"),
            _flag("period_closed", False),
        ),
        (
            (
                "values",
                "target_amount > 0 AND (target_quantity IS NULL OR target_quantity > 0)"
                " AND realized_amount >= 0 AND realized_quantity >= 0",
            ),
            ("period", _in("period_type", PERIOD_TYPES)),
        ),
        (("seller_month", ("seller_id", "target_month")),),
    ),
)

TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)
BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


RUNS_COLUMNS: tuple[Column, ...] = (
    _c("wave", "int"),
    _c("seed", "id"),
    _d("scale", 12, 6),
    _c("as_of", "date"),
    _c("checks", "flag"),
    _v("flag_type", 10),
    _c("applied_at", "ts"),
)
