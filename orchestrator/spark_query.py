"""Queries on a Spark warehouse from a separate process, for the tests and the benchmark.

A Spark session in session mode holds the warehouse's metastore for as long as its process
lives: a caller that opened one could not let the orchestrator run on that warehouse again.
So `query(env, queries)` runs the queries in a child process (`python -m
orchestrator.spark_query`), with the orchestrator's own session (orchestrator/spark.py: the
profile's settings), and hands back one DataFrame per query; the child's JVM ends with it.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def query(env: dict[str, str], queries: dict[str, str]) -> dict[str, pd.DataFrame]:
    """{name: rows of the query} on the Spark warehouse `env` names (ETL_SPARK_DIR...)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "frames.pickle"
        done = subprocess.run(
            [sys.executable, "-m", "orchestrator.spark_query", str(out)],
            input=json.dumps(queries), cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=600,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"the Spark query process failed: {done.stderr[-4000:]}")
        frames: dict[str, pd.DataFrame] = pickle.loads(out.read_bytes())
    return frames


def _frame(spark: Any, sql: str) -> pd.DataFrame:
    """The rows of `sql`; timestamps as text in the session's zone (UTC) parsed back, so the
    zone of this process plays no part."""
    frame = spark.sql(sql)
    columns = [
        f"cast(`{name}` as string) as `{name}`" if kind == "timestamp" else f"`{name}`"
        for name, kind in frame.dtypes
    ]
    kinds = dict(frame.dtypes)
    rows = frame.selectExpr(*columns).collect()
    result = pd.DataFrame([row.asDict() for row in rows], columns=frame.columns)
    for name in frame.columns:
        if kinds[name] == "timestamp":
            result[name] = pd.to_datetime(result[name])
    return result


def main(out: str) -> None:
    from orchestrator.spark import session

    spark = session()
    queries: dict[str, str] = json.loads(sys.stdin.read())
    frames = {name: _frame(spark, sql) for name, sql in queries.items()}
    Path(out).write_bytes(pickle.dumps(frames))


if __name__ == "__main__":
    main(sys.argv[1])
