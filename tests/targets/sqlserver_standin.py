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

An empty warehouse is what the stand-in stands for: no relation exists, so
``adapter.get_relation`` returns None, ``is_incremental()`` is false and our
macros take their first-run path.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp

# Queries dbt-sqlserver cannot proceed without a row for, with the row a
# SQL Server 2022 (major version 16) would return. Matched on the SQL text.
ROW_ANSWERS: list[tuple[re.Pattern[str], tuple[str, ...], tuple[Any, ...]]] = [
    (
        re.compile(r"serverproperty\s*\(\s*'productversion'\s*\)", re.IGNORECASE),
        ("major_version",),
        (16,),
    ),
]


@dataclass(frozen=True)
class ExecutedSql:
    """One batch the stand-in was asked to execute."""

    sql: str
    node: str  # unique_id of the dbt node being compiled, or "" outside a node


@dataclass
class StandinServer:
    """What every stand-in connection reports to: the log of executed SQL."""

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
    except sqlglot.errors.SqlglotError:
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
            self.rowcount = 0
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
def standin_sqlserver() -> Iterator[StandinServer]:
    """Route dbt-sqlserver's ``pyodbc.connect`` to a stand-in for the duration."""
    import pyodbc

    server = StandinServer()
    original = pyodbc.connect
    pyodbc.connect = server.connect
    try:
        yield server
    finally:
        pyodbc.connect = original
