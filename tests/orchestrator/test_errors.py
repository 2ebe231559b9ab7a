"""The error taxonomy: real DuckDB, PostgreSQL and SQL Server messages land in the right
category, each with a Portuguese reason and an action."""

from __future__ import annotations

import pytest

from orchestrator.errors import CATEGORIES, classify

MESSAGES = [
    # DuckDB
    ("Catalog Error: Table with name customers does not exist!", "objeto_ausente"),
    ("Conversion Error: Could not convert string 'not a date' to TIMESTAMP", "conversao"),
    ('Constraint Error: Duplicate key "entity_name: x" violates primary key', "constraint_unique"),
    ("Constraint Error: CHECK constraint failed on table etl_x", "constraint_check"),
    ('IO Error: Could not set lock on file "dw.duckdb": Conflicting lock is held', "timeout"),
    ('IO Error: Cannot open file "/nope/dw.duckdb": No such file or directory', "conexao"),
    # PostgreSQL
    ('relation "core.customers" does not exist', "objeto_ausente"),
    ('invalid input syntax for type timestamp: "not a date"', "conversao"),
    (
        'duplicate key value violates unique constraint "dim_cliente_pkey"',
        "constraint_unique",
    ),
    ('new row for relation "x" violates check constraint "x_check"', "constraint_check"),
    (
        'insert or update on table "f" violates foreign key constraint "f_fk"',
        "constraint_fk",
    ),
    ("deadlock detected", "deadlock"),
    ("permission denied for schema audit", "permissao"),
    ('password authentication failed for user "etl_user"', "autenticacao"),
    (
        'connection to server at "127.0.0.1", port 1 failed: Connection refused'
        " Is the server running on that host and accepting TCP/IP connections?",
        "conexao",
    ),
    ("could not connect to server: Connection refused", "conexao"),
    ("canceling statement due to statement timeout", "timeout"),
    # SQL Server
    ("Invalid object name 'core.customers'. (208)", "objeto_ausente"),
    ("Conversion failed when converting date and/or time from character string.", "conversao"),
    (
        "Violation of PRIMARY KEY constraint 'PK_x'. Cannot insert duplicate key",
        "constraint_unique",
    ),
    (
        'The INSERT statement conflicted with the FOREIGN KEY constraint "FK_x"',
        "constraint_fk",
    ),
    (
        "Transaction (Process ID 57) was deadlocked on lock resources with another process"
        " and has been chosen as the deadlock victim.",
        "deadlock",
    ),
    ("The SELECT permission was denied on the object 'x'", "permissao"),
    ("Login failed for user 'etl_user'. (18456)", "autenticacao"),
    (
        "[unixODBC][Driver Manager]Can't open lib 'ODBC Driver 18 for SQL Server' : file not found",
        "driver",
    ),
    ("Data source name not found and no default driver specified (0) (SQLDriverConnect)", "driver"),
    ("Login timeout expired (HYT00)", "timeout"),
    ("TCP Provider: Error code 0x2749 (10057)", "conexao"),
    # our own configuration checks
    (
        "etl_batch_size=0 is invalid for entity dim_cliente: expected an integer from 1 to 100000",
        "config_controle",
    ),
    (
        "Binder Error: No function matches the given name and argument types"
        " 'date_part(STRING_LITERAL, VARCHAR)'. You might need to add explicit type casts.",
        "conversao",
    ),
    (
        "function date_part(unknown, text) does not exist HINT: No function matches the given"
        " name and argument types. You might need to add explicit type casts.",
        "conversao",
    ),
    ("Compilation Error: something odd happened", "outros"),
    ("", "outros"),
]


@pytest.mark.parametrize(("message", "category"), MESSAGES)
def test_message_is_classified_in_its_category(message: str, category: str) -> None:
    found = classify(message)
    assert found.category == category
    assert found.reason and found.action


def test_every_category_of_the_spec_exists_and_is_reachable() -> None:
    spec = {
        "config_controle",
        "constraint_check",
        "constraint_fk",
        "constraint_unique",
        "permissao",
        "objeto_ausente",
        "timeout",
        "driver",
        "conexao",
        "autenticacao",
        "conversao",
        "deadlock",
        "outros",
    }
    assert set(CATEGORIES) == spec
    assert {category for _, category in MESSAGES} == spec


def test_a_dbt_runtime_error_wrapping_a_conversion_is_conversao() -> None:
    message = (
        "Runtime Error in model fact_descontos (models/marts/facts/fact_descontos.sql)\n"
        "  Conversion Error: Could not convert string 'not a date' to TIMESTAMP\n"
        "  LINE 12: ..."
    )
    assert classify(message).category == "conversao"
