"""Fixtures for the generator tests: small DuckDB sources in temp dirs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# pytest puts `tests/` on sys.path (for the root conftest), where this folder would shadow the
# `generator` package as an empty namespace package: put the project root first.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
if getattr(sys.modules.get("generator"), "__file__", "") is None:
    del sys.modules["generator"]

from oltp_snapshots import AS_OF  # noqa: E402

from generator import generate  # noqa: E402


@pytest.fixture
def make_source(tmp_path: Path) -> Callable[..., Path]:
    """Generate a DuckDB source in the test's temp dir and return its path."""

    def make(scale: float = 0.01, seed: int = 42, name: str = "oltp.duckdb", **kw: object) -> Path:
        path = tmp_path / name
        generate(target="duckdb", scale=scale, seed=seed, as_of=AS_OF, duckdb_path=path, **kw)
        return path

    return make
