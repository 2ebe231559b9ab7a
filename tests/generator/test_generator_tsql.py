"""The SQL Server DDL parses as T-SQL, statement by statement (no SQL Server runs here)."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot.errors import ParseError

from generator.schema import TABLES, full_sqlserver_script


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
    assert "DATETIME2(3)" in script and "NVARCHAR(150)" in script and " BIT " in script
    assert "BOOLEAN" not in script and "TIMESTAMP" not in script and "VARCHAR(" in script
    assert "had_discount = 1" in script and "LEN(ibge_code) = 7" in script
    assert "IF DB_ID(N'ECOMMERCE_OLTP') IS NULL CREATE DATABASE [ECOMMERCE_OLTP]" in script
    assert script.count("CREATE INDEX ix_") == len(TABLES)


def test_tsql_parse_check_rejects_broken_sql() -> None:
    broken = full_sqlserver_script("ECOMMERCE_OLTP")[-1].rsplit(")", 1)[0] + ", CONSTRAINT ("
    with pytest.raises(ParseError):
        _parse_tsql(broken)
