"""A stand-in for the SQL Server connection dbt-sqlserver opens through pyodbc.

No SQL Server can run on this machine, yet ``dbt compile`` opens a connection:
``is_incremental()``, ``adapter.get_relation`` and our macros' ``run_query`` all go
through it. This module replaces exactly one call, ``pyodbc.connect`` (dbt-sqlserver's
``_connect_pyodbc`` calls it on the module it imported), with a connection that

* records every SQL batch it is given, in order, with the dbt node running it;
* answers every query with an empty result set. A SELECT gets a ``description``
  naming the columns it projects (read with sqlglot, best effort); DDL/DML gets
  ``description = None`` as pyodbc reports it;
* answers the few queries dbt-sqlserver itself needs a row from (the server's
  major version) with that row, see ``ROW_ANSWERS``.

By default the stand-in stands for an empty warehouse: no relation exists, so
``adapter.get_relation`` returns None, ``is_incremental()`` is false and our
macros take their first-run path.

Given a ``PopulatedWarehouse`` it stands for a warehouse that has been loaded
before: the catalog queries answer that the warehouse's relations exist, so
``is_incremental()`` is true and our load-window macros run their queries, which
get the rows a loaded warehouse would return (see ``PopulatedWarehouse``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlglot
from sqlglot import exp

from orchestrator.lock import lock_statements

# Queries dbt-sqlserver (or our hooks) cannot proceed without a row for, with the row a
# SQL Server 2022 (major version 16) would return. Matched on the SQL text.
ROW_ANSWERS: list[tuple[re.Pattern[str], tuple[str, ...], tuple[Any, ...]]] = [
    (
        re.compile(r"serverproperty\s*\(\s*'productversion'\s*\)", re.IGNORECASE),
        ("major_version",),
        (16,),
    ),
    # the warehouse lock a direct dbt run takes (etl_run_claim): granted
    (re.compile(re.escape(lock_statements("sqlserver")["take"])), ("granted",), (1,)),
]


Row = tuple[Any, ...]
Answer = tuple[list[tuple[str, type]], list[Row]]  # (column name, Python type) and rows

_LIST_RELATIONS = re.compile(r"schema_id\('([^']*)'\).*\bfrom\s+sys\.tables\b", re.I | re.S)
_RELATION_NAMED = re.compile(r"\bt\.name\s*=\s*'([^']*)'", re.I)
_COLUMNS_OF = re.compile(r"\bfrom\s+sys\.columns\s+c\b.*?\bobject_id\('([^']*)'\)", re.I | re.S)
_CONTROL_ROW = re.compile(
    r"^\s*select\s+watermark_updated_at,\s*watermark_id,\s*cutoff_minutes,\s*batch_size,"
    r"\s*is_active\s+from\s",
    re.I,
)
_WINDOW_BOUNDS = re.compile(r"^\s*with\s+pending\s+as\s*\(", re.I)
_CAPPED_COUNT = re.compile(
    r"^\s*select\s+count\(\*\)\s+from\s*\(.*\)\s*pending\s+where\s", re.I | re.S
)
_STORED_WINDOW = re.compile(
    r"^\s*select\s+(?P<columns>[\w\s,]+?)\s+from\s+\S*etl_load_window\S*\s+where\s+"
    r"invocation_id\s*=\s*'(?P<invocation>[^']*)'\s+and\s+entity_name\s*=\s*'(?P<entity>[^']*)'\s*$",
    re.I,
)
_RECORD_WINDOW = re.compile(
    r"^\s*insert\s+into\s+\S*etl_load_window\S*\s*\(.*\)\s*values\s*\(", re.I | re.S
)
_MARKER_COUNT = re.compile(r"\bcount\(\*\)\s+as\s+marker_count\b", re.I)
_TEST_RESULT = re.compile(
    r"\bas\s+failures\b.*\bas\s+should_warn\b.*\bas\s+should_error\b", re.I | re.S
)
_DML = re.compile(r"^\s*(?:use\s+\[[^\]]*\]\s*;\s*)?(insert|update|delete|merge)\b", re.I)
_TEMP_SUFFIX = re.compile(r"__dbt_(?:temp|tmp|backup)$", re.I)


@dataclass
class PopulatedWarehouse:
    """A warehouse that has been loaded before, as far as dbt and our macros can ask.

    * catalog: ``relations`` exist, as tables or views (dbt-sqlserver's
      ``list_relations_without_caching`` / ``get_relation_without_caching``, which read
      ``sys.tables`` and ``sys.views`` of one schema);
    * ``sys.columns`` of a relation (``get_columns_in_relation``) answers ``columns``
      (a temp/intermediate relation ``<name>__dbt_temp`` has the columns of ``<name>``);
    * ctl.etl_control: the entity's row, with watermark ``watermark``, cutoff 2 minutes,
      batch size 1000, active;
    * the window-bounds query (``with pending as ...``): ``pending_rows`` rows are
      pending, the newest (or, capped, the last of the window) at ``window_end``;
      counting the rows of a capped window answers ``rows_in_capped_window``;
    * audit.etl_load_window: a window recorded (``insert ... values``) in this
      invocation is stored and read back by its (invocation_id, entity_name);
    * ``sys.extended_properties`` markers count 0; a dbt data test finds 0 failures;
      DML reports one row affected;
    * SQL matching ``reject`` is rejected with ``reject_message``, as SQL Server would
      reject a statement (a pyodbc ProgrammingError).
    """

    relations: Mapping[tuple[str, str], str]  # (schema, identifier), lower case -> table|view
    columns: Mapping[tuple[str, str], Sequence[str]] = field(default_factory=dict)
    database: str = "DW_ECOMMERCE"
    watermark: tuple[datetime, int] = (datetime(2024, 3, 1, 9, 30, 15, 250000), 4100)
    window_end: tuple[datetime, int] = (datetime(2024, 3, 2, 18, 45, 0, 500000), 5230)
    pending_rows: int = 2500  # more than 2 batches of 1000: a capped window leaves a backlog
    rows_in_capped_window: int = 2000
    reject: re.Pattern[str] | None = None
    reject_message: str = "Invalid object name 'x'. (208)"
    windows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def raise_if_rejected(self, sql: str) -> None:
        if self.reject is not None and self.reject.search(sql):
            import pyodbc

            raise pyodbc.ProgrammingError(
                "42S02",
                f"[42S02] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]"
                f"{self.reject_message} (SQLExecDirectW)",
            )

    def answer(self, sql: str) -> Answer | None:
        """The result set this warehouse returns for `sql`, or None: not a query it knows."""
        text = _strip_comments(sql).strip()
        if match := _LIST_RELATIONS.search(text):
            schema = match.group(1).lower()
            named = _RELATION_NAMED.search(text)
            rows: list[Row] = [
                (self.database, name, schema, kind)
                for (in_schema, name), kind in sorted(self.relations.items())
                if in_schema == schema and (named is None or named.group(1).lower() == name)
            ]
            return [("database", str), ("name", str), ("schema", str), ("table_type", str)], rows
        if match := _COLUMNS_OF.search(text):
            return self._columns_answer(match.group(1))
        if _CONTROL_ROW.search(text):
            names = ["watermark_updated_at", "watermark_id", "cutoff_minutes", "batch_size"]
            types = [datetime, int, int, int, bool]
            # is_active is a bit column: pyodbc returns it as a Python bool
            return list(zip([*names, "is_active"], types, strict=True)), [
                (*self.watermark, 2, 1000, True)
            ]
        if _WINDOW_BOUNDS.search(text):
            columns = [("hi_ts", datetime), ("hi_id", int), ("pending_count", int)]
            return columns, [(*self.window_end, self.pending_rows)]
        if _CAPPED_COUNT.search(text):
            return [("pending_count", int)], [(self.rows_in_capped_window,)]
        if match := _STORED_WINDOW.search(text):
            wanted = [c.strip().lower() for c in match.group("columns").split(",")]
            stored = self.windows.get((match.group("invocation"), match.group("entity")))
            rows = [] if stored is None else [tuple(stored.get(c) for c in wanted)]
            return _column_types(wanted, rows), rows
        if _RECORD_WINDOW.search(text):
            self._store_window(text)
        if _MARKER_COUNT.search(text):
            return [("marker_count", int)], [(0,)]
        if _TEST_RESULT.search(text):
            return [("failures", int), ("should_warn", str), ("should_error", str)], [
                (0, "false", "false")
            ]
        return None

    def rowcount(self, sql: str) -> int:
        return 1 if _DML.search(_strip_comments(sql)) else 0

    def _columns_answer(self, relation: str) -> Answer:
        parts = [p.strip('"[]') for p in relation.split(".")]
        schema, name = (parts[-2].lower() if len(parts) > 1 else "dbo"), parts[-1].lower()
        names = self.columns.get((schema, _TEMP_SUFFIX.sub("", name)), [])
        header = [
            ("column_name", str),
            ("data_type", str),
            ("character_maximum_length", int),
            ("numeric_precision", int),
            ("numeric_scale", int),
        ]
        return header, [_plausible_column(column) for column in names]

    def _store_window(self, sql: str) -> None:
        """Keep a window recorded with ``insert into ...etl_load_window (...) values (...)``."""
        try:
            insert = sqlglot.parse_one(sql, read="tsql")
        except sqlglot.errors.SqlglotError:
            return  # tsql_check reports it
        values = insert.expression
        if not isinstance(insert, exp.Insert) or not isinstance(values, exp.Values):
            return
        columns = [c.name.lower() for c in insert.this.expressions]
        row = dict(
            zip(columns, (_python_value(v) for v in values.expressions[0].expressions), strict=True)
        )
        self.windows[(str(row.get("invocation_id")), str(row.get("entity_name")))] = row


def _plausible_column(name: str) -> Row:
    """A sys.columns row (name, type, max length, precision, scale) a column could have."""
    lowered = name.lower()
    if lowered.endswith(("_key", "_id")) or lowered.startswith("numero_"):
        return (name, "bigint", 8, 19, 0)
    if lowered.endswith(("_at", "_em")) or lowered.startswith("data_"):
        return (name, "datetime2", 8, 27, 6)
    if lowered.startswith(("valor_", "preco_", "custo_")):
        return (name, "decimal", 9, 18, 2)
    if lowered.startswith(("eh_", "_etl_source_deleted")):
        return (name, "bit", 1, 1, 0)
    return (name, "varchar", 200, 0, 0)


def _python_value(value: exp.Expression) -> Any:
    """The Python value pyodbc would return for a literal of a recorded window."""
    if isinstance(value, exp.Cast):
        inner = _python_value(value.this)
        return datetime.fromisoformat(inner) if isinstance(inner, str) else inner
    if isinstance(value, exp.Null):
        return None
    if isinstance(value, exp.Neg):
        return -_python_value(value.this)
    if isinstance(value, exp.Literal):
        return value.this if value.is_string else int(value.this)
    return value.sql("tsql")


def _column_types(names: list[str], rows: list[Row]) -> list[tuple[str, type]]:
    """(name, type) of each column: the type of its first non-NULL value, else str."""
    return [
        (name, next((type(row[i]) for row in rows if row[i] is not None), str))
        for i, name in enumerate(names)
    ]


@dataclass(frozen=True)
class ExecutedSql:
    """One batch the stand-in was asked to execute."""

    sql: str
    node: str  # unique_id of the dbt node being compiled, or "" outside a node


@dataclass
class StandinServer:
    """What every stand-in connection reports to: the log of executed SQL."""

    warehouse: PopulatedWarehouse | None = None  # None: an empty warehouse
    executed: list[ExecutedSql] = field(default_factory=list)
    connects: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, sql: str) -> None:
        with self._lock:
            self.executed.append(ExecutedSql(sql=sql, node=_current_node()))

    def connect(self, *args: Any, **kwargs: Any) -> StandinConnection:
        """Stands in for ``pyodbc.connect(connstr, attrs_before=, autocommit=, timeout=)``."""
        with self._lock:
            self.connects += 1
        return StandinConnection(self, autocommit=kwargs.get("autocommit", False))


def _current_node() -> str:
    try:
        from dbt_common.events.contextvars import get_node_info

        return str(get_node_info().get("unique_id", "") or "")
    except Exception:
        return ""


def _projected_columns(sql: str) -> list[str] | None:
    """Column names a SELECT would return, or None when the batch returns no rows."""
    if not re.search(r"\b(select|with)\b", _strip_comments(sql), re.IGNORECASE):
        return None
    try:
        statements = sqlglot.parse(sql, read="tsql")
    except (sqlglot.errors.SqlglotError, RecursionError):
        return []  # tsql_check reports it; here it is just a result without columns
    for statement in reversed(statements):
        if isinstance(statement, exp.Query):
            return [name or f"column_{i}" for i, name in enumerate(statement.named_selects)]
    return None


def _strip_comments(sql: str) -> str:
    return re.sub(r"/\*.*?\*/|--[^\n]*", " ", sql, flags=re.DOTALL)


class StandinCursor:
    """The parts of a pyodbc cursor dbt-sqlserver uses."""

    arraysize = 1

    def __init__(self, server: StandinServer) -> None:
        self._server = server
        self._rows: list[tuple[Any, ...]] = []
        self.description: Sequence[tuple[Any, ...]] | None = None
        self.rowcount = -1

    def execute(self, sql: str, *params: Any) -> StandinCursor:
        self._server.record(sql)
        self._rows = []
        self.rowcount = -1
        warehouse = self._server.warehouse
        if warehouse is not None:
            with self._server._lock:
                warehouse.raise_if_rejected(sql)
                answer = warehouse.answer(sql)
                rowcount = warehouse.rowcount(sql)
            if answer is not None:
                columns, self._rows = answer
                self.description = [_describe(name, kind) for name, kind in columns]
                self.rowcount = len(self._rows)
                return self
        for pattern, names, row in ROW_ANSWERS:
            if pattern.search(sql):
                self._rows = [row]
                self.description = [
                    _describe(name, type(value)) for name, value in zip(names, row, strict=True)
                ]
                self.rowcount = 1
                return self
        columns = _projected_columns(sql)
        self.description = None if columns is None else [_describe(c, str) for c in columns]
        if columns is None:
            self.rowcount = rowcount if warehouse is not None else 0
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._rows = self._rows, []
        return rows

    def fetchmany(self, size: int | None = None) -> list[tuple[Any, ...]]:
        size = size or self.arraysize
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows.pop(0) if self._rows else None

    def nextset(self) -> bool:
        return False

    def cancel(self) -> None:
        pass

    def close(self) -> None:
        self._rows = []


def _describe(name: str, type_code: type) -> tuple[Any, ...]:
    # pyodbc: (name, type_code, display_size, internal_size, precision, scale, null_ok)
    return (name, type_code, None, None, None, None, True)


class StandinConnection:
    """The parts of a pyodbc connection dbt-sqlserver uses."""

    def __init__(self, server: StandinServer, autocommit: bool) -> None:
        self._server = server
        self.autocommit = autocommit
        self.timeout = 0

    def cursor(self) -> StandinCursor:
        return StandinCursor(self._server)

    def add_output_converter(self, sqltype: int, func: Callable[..., Any]) -> None:
        pass

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def close(self) -> None:
        pass


@contextmanager
def standin_sqlserver(warehouse: PopulatedWarehouse | None = None) -> Iterator[StandinServer]:
    """Route dbt-sqlserver's ``pyodbc.connect`` to a stand-in for the duration.

    Without `warehouse` the stand-in is an empty warehouse; with it, that warehouse.
    """
    import pyodbc

    server = StandinServer(warehouse=warehouse)
    original = pyodbc.connect
    pyodbc.connect = server.connect
    try:
        yield server
    finally:
        pyodbc.connect = original
