"""The SQL Server DDL parses as T-SQL, statement by statement (no SQL Server runs here)."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot.errors import ParseError

from generator.ddl import full_sqlserver_script
from generator.schema import TABLES


def _parse_tsql(statement: str) -> None:
    sqlglot.parse(statement, read="tsql", error_level=sqlglot.ErrorLevel.RAISE)


@pytest.mark.parametrize("checks", [True, False], ids=["with_checks", "legacy_no_checks"])
def test_sqlserver_ddl_parses_as_tsql(checks: bool) -> None:
    statements = full_sqlserver_script("ECOMMERCE_OLTP", checks=checks)
    creates = [s for s in statements if s.startswith("CREATE TABLE core.")]
    assert len(creates) == len(TABLES)
    for statement in statements:
        _parse_tsql(statement)


def test_sqlserver_ddl_uses_tsql_types_and_bit_literals() -> None:
    script = "\n".join(full_sqlserver_script("ECOMMERCE_OLTP"))
    assert "DATETIME2(0)" in script and "VARCHAR(150)" in script and " BIT " in script
    assert "BOOLEAN" not in script and "TIMESTAMP" not in script and "NVARCHAR" not in script
    assert "SMALLINT" not in script and "IN (0, 1)" not in script  # flags are BIT, not 0/1
    assert "is_active BIT NOT NULL DEFAULT 1" in script
    assert "DEFAULT SYSUTCDATETIME()" in script and "LEN(state) = 2" in script
    assert "IF DB_ID(N'ECOMMERCE_OLTP') IS NULL CREATE DATABASE [ECOMMERCE_OLTP]" in script
    assert script.count("CREATE INDEX IX_core_") == len(TABLES)
    assert "FOREIGN KEY" not in script and "REFERENCES" not in script


def test_sqlserver_ddl_has_the_original_constraints() -> None:
    script = "\n".join(full_sqlserver_script("ECOMMERCE_OLTP"))
    for constraint in (
        "CONSTRAINT UQ_core_regions_location UNIQUE (country, state, city)",
        "CONSTRAINT CK_core_sellers_status CHECK (seller_status IN ('Ativo', 'Inativo'))",
        "CONSTRAINT CK_core_discount_campaigns_scope CHECK (apply_scope IN ('Pedido Total',"
        " 'Produto Especifico', 'Categoria', 'Frete', 'Item Individual'))",
        "CONSTRAINT CK_core_seller_targets_monthly_period CHECK (period_type IN ('Mensal'))",
        "CONSTRAINT CK_core_orders_currency CHECK (LEN(currency_code) = 3)",
        "CONSTRAINT UQ_core_order_items_order_item UNIQUE (order_id, item_number)",
    ):
        assert constraint in script, constraint
    time_checks = script.count("CHECK (updated_at >= created_at)")
    assert time_checks == len(TABLES) - 3  # regions, teams and suppliers have none


def test_tsql_parse_check_rejects_broken_sql() -> None:
    broken = full_sqlserver_script("ECOMMERCE_OLTP")[-1].rsplit(")", 1)[0] + ", CONSTRAINT ("
    with pytest.raises(ParseError):
        _parse_tsql(broken)
