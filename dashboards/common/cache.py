"""Cached loaders that never raise while a load holds the warehouse.

`loader(columns)` wraps a function returning a DataFrame with st.cache_data(ttl) (it also
works without a Streamlit runtime: tests call loaders directly) and a last-good copy per
set of arguments. While the warehouse is busy (a DuckDB load holds the file) the wrapper
returns that copy marked stale (`stale_since(frame)`); when there is no copy, or the
warehouse cannot be reached at all, an empty frame with the loader's columns marked
unavailable (`unavailable(frame)`, `busy(frame)`).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from observability.reader import WarehouseBusy, WarehouseUnavailable, utcnow

TTL_SECONDS = 10

F = TypeVar("F", bound=Callable[..., pd.DataFrame])
_LAST_GOOD: dict[tuple[Any, ...], tuple[datetime, pd.DataFrame]] = {}
_LAST_GOOD_LOCK = threading.Lock()
_CACHED: list[Any] = []


def stale_since(frame: pd.DataFrame) -> str | None:
    """When (UTC, ISO) the data of a stale frame (served during a run) was read; None if
    live. Attributes stay JSON-friendly: Streamlit serialises them with the table."""
    return frame.attrs.get("stale_since")


def unavailable(frame: pd.DataFrame) -> str | None:
    """Why a frame is empty because the warehouse could not be read (None if read)."""
    return frame.attrs.get("unavailable")


def busy(frame: pd.DataFrame) -> bool:
    """Whether a frame is empty because a load holds the warehouse (a run in progress)."""
    return bool(frame.attrs.get("busy"))


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_freeze(item) for item in value)
    return value


def loader(columns: list[str], ttl: int = TTL_SECONDS) -> Callable[[F], F]:
    """st.cache_data(ttl) plus the last-good fallback while the warehouse is busy."""

    def decorate(function: F) -> F:
        cached = st.cache_data(ttl=ttl, show_spinner=False)(function)
        _CACHED.append(cached)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> pd.DataFrame:
            key = (
                function.__module__,
                function.__name__,
                _freeze(args),
                tuple(sorted((k, _freeze(v)) for k, v in kwargs.items())),
            )
            try:
                frame = cached(*args, **kwargs)
            except (WarehouseBusy, WarehouseUnavailable) as exc:
                with _LAST_GOOD_LOCK:
                    previous = _LAST_GOOD.get(key)
                if previous is not None and isinstance(exc, WarehouseBusy):
                    read_at, frame = previous
                    frame = frame.copy()
                    frame.attrs["stale_since"] = read_at.isoformat(sep=" ", timespec="seconds")
                    return frame
                empty = pd.DataFrame(columns=columns)
                empty.attrs["unavailable"] = str(exc)
                empty.attrs["busy"] = isinstance(exc, WarehouseBusy)
                return empty
            with _LAST_GOOD_LOCK:
                _LAST_GOOD[key] = (utcnow(), frame)
            return frame

        wrapper.clear = cached.clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


class _Hook:
    def __init__(self, callback: Callable[[], None]) -> None:
        self.clear = callback


def on_clear(callback: Callable[[], None]) -> None:
    """Also call `callback` when the caches are cleared (other caches than the loaders')."""
    _CACHED.append(_Hook(callback))


def clear_caches() -> None:
    """ "Atualizar agora": forget cached data (the last-good copies stay for busy times)."""
    for cached in _CACHED:
        cached.clear()
