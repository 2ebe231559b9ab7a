"""Where a business dashboard's queries run: the consumption view it reads (`Source`), in
the warehouse or, for a `snapshot` source, in an in-process copy of the view, and one
short-lived warehouse connection per script run.

- A `Source` marked `snapshot` is read whole once per TTL_SECONDS (or "Atualizar dados")
  and every query of the page then runs on that copy, in an in-process DuckDB: for a small
  view that is costly to compute (fact.vw_dash_metas_r1, a months x active sellers grid
  that re-ranks 24 months of sales on every read), one read instead of one per chart.
  While a load holds the warehouse the last copy keeps serving.
- `shared_session`: on DuckDB the reads of one script run share one read-only connection,
  opened by the first read that misses the cache and closed when the run ends.
- A missing view is reported as such (WarehouseUnavailable: the warehouse was not built
  yet), not as an error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from dashboards.common.cache import on_clear
from dashboards.common.connections import session
from dashboards.common.settings import Settings
from observability.reader import Session, WarehouseBusy, WarehouseUnavailable, split_table

TTL_SECONDS = 300


@dataclass(frozen=True)
class Source:
    """A consumption view a dashboard reads; `snapshot`: read it whole once and aggregate
    the copy (small, costly views)."""

    view: str
    snapshot: bool = False

    @property
    def relation(self) -> str:
        """The view as checked SQL text."""
        schema, table = split_table(self.view)
        return f"{schema}.{table}"


@dataclass(frozen=True)
class _Local:
    """Where an in-process copy is: DuckDB, no source to attach."""

    target: str = "duckdb"
    oltp_duckdb_path: Path = Path("/nonexistent")


def require_view(sess: Session, view: str) -> None:
    if view.lower() not in sess.tables():
        raise WarehouseUnavailable(
            f"a view {view} nao existe no DW: a carga ainda nao rodou neste banco "
            "(make run, ou python orchestrator/run.py --entity all)"
        )


def fetch(sess: Session, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """All rows, through Arrow when it is DuckDB (much faster than row tuples for the tens
    of thousands of rows of a CSV download)."""
    if sess.settings.target == "duckdb":
        return sess.conn.execute(sql, params or []).to_arrow_table().to_pandas()
    return numeric(sess.df(sql, params or []))


class _Copy:
    """An in-process DuckDB holding one view's rows (an Arrow table or a DataFrame,
    registered: no copy). One connection, used under a lock: a registered table is visible
    to its own connection only, and each query on it takes milliseconds."""

    def __init__(self, view: str, rows: Any) -> None:
        import duckdb

        schema, table = split_table(view)
        self.conn = duckdb.connect()
        self.lock = threading.Lock()
        self.conn.register("snapshot_rows", rows)
        self.conn.execute(f"create schema {schema}")
        self.conn.execute(f"create view {schema}.{table} as select * from snapshot_rows")

    def cursor(self) -> _Copy:  # what Session asks for: the one connection, under the lock
        return self

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self.conn.execute(sql, list(params))

    def fetchall(self) -> list[Any]:
        return self.conn.fetchall()

    def fetchmany(self, size: int) -> list[Any]:
        return self.conn.fetchmany(size)

    @property
    def description(self) -> Any:
        return self.conn.description

    def close(self) -> None:  # a query's "cursor" closing: the copy stays
        return None


class _Copies:
    """The copies of snapshot views, one per (warehouse, view), read again after
    TTL_SECONDS or "Atualizar dados". While a load holds the warehouse, the last copy keeps
    serving (a stale read, as the loaders' last-good frames)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._copies: dict[tuple[Settings, str], tuple[float, _Copy]] = {}

    def clear(self) -> None:
        with self._lock:
            self._copies = {}

    def get(self, settings: Settings, view: str) -> _Copy:
        key = (settings, view)
        with self._lock:
            found = self._copies.get(key)
        if found is not None and time.monotonic() - found[0] < TTL_SECONDS:
            return found[1]
        try:
            copy = _Copy(view, self._read(settings, view))
        except WarehouseBusy:
            if found is None:
                raise
            return found[1]
        with self._lock:
            self._copies[key] = (time.monotonic(), copy)
        return copy

    @staticmethod
    def _read(settings: Settings, view: str) -> Any:
        relation = Source(view).relation
        with warehouse(settings) as sess:
            require_view(sess, view)
            if sess.settings.target == "duckdb":
                return sess.conn.execute(f"select * from {relation}").to_arrow_table()
            return numeric(sess.df(f"select * from {relation}"))


COPIES = _Copies()
on_clear(COPIES.clear)


class _Shared:
    """The one warehouse session of a script run, opened on first use (see shared_session)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._opened: Any = None
        self.session: Session | None = None

    def get(self) -> Session:
        if self.session is None:
            opened = session(self.settings)
            self.session = opened.__enter__()
            self._opened = opened
        return self.session

    def close(self) -> None:
        if self._opened is not None:
            self._opened.__exit__(None, None, None)
            self._opened, self.session = None, None


_RUN = threading.local()


@contextmanager
def shared_session(settings: Settings) -> Iterator[None]:
    """The reads of one script run share one short-lived connection, opened by the first
    read that misses the cache and closed when the run ends (on DuckDB a read-only handle
    held for the run, not one per chart). Reads outside it open their own."""
    if settings.target != "duckdb":  # PostgreSQL: one cached connection already
        yield
        return
    shared = _Shared(settings)
    _RUN.shared = shared
    try:
        yield
    finally:
        _RUN.shared = None
        shared.close()


@contextmanager
def warehouse(settings: Settings) -> Iterator[Session]:
    shared: _Shared | None = getattr(_RUN, "shared", None)
    if shared is not None and shared.settings == settings:
        yield shared.get()
        return
    with session(settings) as sess:
        yield sess


@contextmanager
def reader(settings: Settings, source: Source) -> Iterator[Session]:
    """A session where `source.view` can be queried: the warehouse itself, or (snapshot)
    the in-process copy of the view."""
    if not source.snapshot:
        with warehouse(settings) as sess:
            require_view(sess, source.view)
            yield sess
        return
    copy = COPIES.get(settings, source.view)
    with copy.lock:
        yield Session(copy, _Local())


def numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """Decimal columns (the drivers return sums of decimals as Decimal) as floats."""
    for name in frame.columns:
        values = frame[name].dropna()
        if frame[name].dtype == object and len(values) and isinstance(values.iloc[0], Decimal):
            frame[name] = pd.to_numeric(frame[name]).astype(float)
    return frame
