"""Connections to the warehouse of a dbt target, with the same ETL_* settings as profiles.yml."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def connect_warehouse(target: str, read_only: bool = False) -> Iterator[Any]:
    """A DB-API connection to the warehouse of `target` (duckdb or postgres)."""
    if target == "duckdb":
        import duckdb

        conn = duckdb.connect(
            os.environ.get("ETL_DUCKDB_PATH", "data/dw_ecommerce.duckdb"), read_only=read_only
        )
    elif target == "postgres":
        import psycopg2

        conn = psycopg2.connect(
            host=os.environ.get("ETL_PG_HOST", "127.0.0.1"),
            port=int(os.environ.get("ETL_PG_PORT", "5432")),
            user=os.environ.get("ETL_PG_USER", "postgres"),
            password=os.environ.get("ETL_PG_PASSWORD", ""),
            dbname=os.environ.get("ETL_PG_DATABASE", "dw_ecommerce"),
            connect_timeout=5,
        )
    else:
        raise ValueError(f"unsupported warehouse target {target!r}: expected duckdb or postgres")
    try:
        yield conn
    finally:
        conn.close()
