"""DDL of the source in each dialect (duckdb, postgres, sqlserver), rendered from
``generator.schema``: CREATE TABLE with the original's defaults and constraints (only the
primary key with ``checks=False``), the extraction indexes, the generator's bookkeeping
table, and the T-SQL the SQL Server writer runs around them."""

from __future__ import annotations

from generator.config import META_SCHEMA, SOURCE_SCHEMA
from generator.schema import DEFAULT_FLAG_TYPE, RUNS_COLUMNS, TABLES, Column, Table

# tokens of CHECK and DEFAULT expressions, per dialect
_TOKENS = {
    "duckdb": {
        "len": "LENGTH",
        "now": "(date_trunc('second', now() AT TIME ZONE 'UTC'))",
    },
    "postgres": {
        "len": "LENGTH",
        "now": "(date_trunc('second', now() AT TIME ZONE 'UTC'))",
    },
    "sqlserver": {"len": "LEN", "now": "SYSUTCDATETIME()"},
}
_FLAG_LITERALS = {"boolean": ("TRUE", "FALSE"), "smallint": ("1", "0"), "bit": ("1", "0")}


def _quote(name: str, dialect: str) -> str:
    return f"[{name}]" if dialect == "sqlserver" else f'"{name}"'


def _effective_flag_type(dialect: str, flag_type: str) -> str:
    return "bit" if dialect == "sqlserver" else flag_type


def render(expression: str, dialect: str, flag_type: str = DEFAULT_FLAG_TYPE) -> str:
    """A CHECK or DEFAULT expression with its tokens ({len}, {now}, {true}, {false}) filled."""
    true, false = _FLAG_LITERALS[_effective_flag_type(dialect, flag_type)]
    return expression.format(**_TOKENS[dialect], true=true, false=false)


def _column_sql(col: Column, table: Table, dialect: str, checks: bool, flag_type: str) -> str:
    not_null = not col.nullable and (checks or col.name == table.pk)
    text = f"{col.name} {col.sql_type(dialect, flag_type)} {'NOT NULL' if not_null else 'NULL'}"
    if col.default is not None:
        text += f" DEFAULT {render(col.default, dialect, flag_type)}"
    return text


def create_table_sql(
    table: Table, dialect: str, checks: bool = True, flag_type: str = DEFAULT_FLAG_TYPE
) -> str:
    """CREATE TABLE core.<table> for a dialect; ``checks=False`` keeps only the primary key."""
    lines = [_column_sql(col, table, dialect, checks, flag_type) for col in table.columns]
    lines.append(f"CONSTRAINT PK_core_{table.name} PRIMARY KEY ({table.pk})")
    if checks:
        for suffix, cols in table.unique:
            lines.append(f"CONSTRAINT UQ_core_{table.name}_{suffix} UNIQUE ({', '.join(cols)})")
        for suffix, expr in table.checks:
            lines.append(
                f"CONSTRAINT CK_core_{table.name}_{suffix} CHECK ({render(expr, dialect)})"
            )
        if _effective_flag_type(dialect, flag_type) == "smallint":
            for name in table.flag_columns:
                check = f"CHECK ({name} IN (0, 1))"
                lines.append(f"CONSTRAINT CK_core_{table.name}_{name}_flag {check}")
    body = ",\n    ".join(lines)
    return f"CREATE TABLE {table.qualified} (\n    {body}\n)"


def create_index_sql(table: Table) -> str:
    """The extraction index on (updated_at, <pk>); same text in every dialect."""
    return f"CREATE INDEX {table.index_name} ON {table.qualified} (updated_at, {table.pk})"


def create_runs_sql(dialect: str) -> str:
    """The generator's bookkeeping table, outside the source schema (its flag is always the
    dialect's boolean: it is not part of the source)."""
    cols = [f"{c.name} {c.sql_type(dialect)} NOT NULL" for c in RUNS_COLUMNS]
    cols.append("CONSTRAINT pk_runs PRIMARY KEY (wave)")
    return f"CREATE TABLE {META_SCHEMA}.runs (\n    " + ",\n    ".join(cols) + "\n)"


def source_ddl(dialect: str, checks: bool = True, flag_type: str = DEFAULT_FLAG_TYPE) -> list[str]:
    """Every CREATE TABLE of the source (indexes are created after loading)."""
    return [create_table_sql(t, dialect, checks, flag_type) for t in TABLES]


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
