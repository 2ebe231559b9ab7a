"""Canonical CSV export of the source: the same bytes for the same data, whatever the engine
(tables in primary-key order, the contract's Arrow types)."""

from __future__ import annotations

import io
from os import PathLike
from pathlib import Path

import pyarrow.csv as pcsv

from generator.schema import TABLE_NAMES
from generator.targets import open_target


def export_canonical(
    target: str = "duckdb", duckdb_path: str | PathLike[str] | None = None
) -> dict[str, bytes]:
    """Every source table as canonical CSV bytes, keyed by table name."""
    sink = open_target(target, None if duckdb_path is None else str(duckdb_path))
    out: dict[str, bytes] = {}
    with sink.session() as session:
        for name in TABLE_NAMES:
            buffer = io.BytesIO()
            pcsv.write_csv(session.read_table(name), buffer)
            out[name] = buffer.getvalue()
    return out


def write_canonical(directory: str | PathLike[str], exports: dict[str, bytes]) -> list[Path]:
    """Write an export as <table>.csv files."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in exports.items():
        path = root / f"{name}.csv"
        path.write_bytes(data)
        paths.append(path)
    return paths
