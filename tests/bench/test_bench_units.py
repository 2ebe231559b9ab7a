"""The benchmark's measuring tools: statistics, verdicts, memory of a process tree, the
floor's statement plan."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from bench.floor import plan
from bench.measure import CommandFailed, Stats, run_measured
from bench.report import Target

ALLOCATE = "import time; block = bytearray({size}); time.sleep(0.5)"


def test_stats_are_median_min_max_of_the_samples() -> None:
    stats = Stats.of([3.0, 1.0, 2.0, 10.0])
    assert (stats.median, stats.min, stats.max, stats.n) == (2.5, 1.0, 10.0, 4)
    with pytest.raises(ValueError):
        Stats.of([])


def test_target_verdict_says_met_or_by_how_much_it_misses() -> None:
    assert Target("<= 3x", 3.0).verdict(2.5, "x") == (True, "met")
    met, text = Target("<= 3x", 3.0).verdict(4.5, "x")
    assert not met and "missed by 1.50x" in text
    met, text = Target("within 2 s", 2.0).verdict(5.0, "s")
    assert not met and text == "missed by 3.00 s"


def test_peak_memory_counts_the_grandchild_of_the_measured_command(tmp_path: Path) -> None:
    size = 200 * 2**20
    child = ALLOCATE.format(size=size)
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    measured = run_measured(
        [sys.executable, "-c", parent], env=dict(os.environ), cwd=tmp_path,
        log_file=tmp_path / "out.log",
    )  # fmt: skip
    assert measured.returncode == 0
    assert measured.peak_tree_rss_bytes >= size
    assert measured.max_single_rss_bytes >= size
    assert measured.wall_seconds > 0


def test_a_failing_command_stops_the_benchmark(tmp_path: Path) -> None:
    with pytest.raises(CommandFailed, match="exit 3"):
        run_measured(
            [sys.executable, "-c", "import sys; sys.exit(3)"], env=dict(os.environ),
            cwd=tmp_path, log_file=tmp_path / "out.log",
        )  # fmt: skip


def test_floor_plans_seeds_views_and_tables_in_dependency_order(tmp_path: Path) -> None:
    def node(name: str, schema: str, materialized: str, path: str = "") -> dict[str, object]:
        return {"database": "dw", "schema": schema, "name": name, "alias": name,
                "config": {"materialized": materialized}, "original_file_path": path}  # fmt: skip

    nodes = {
        "model.p.fact": node("fact", "fact", "incremental"),
        "model.p.stg": node("stg", "staging", "view"),
        "seed.p.days": node("days", "ref", "seed", "seeds/days.csv"),
        "model.p.dim": node("dim", "dim", "table"),
    }
    parents = {
        "model.p.fact": ["model.p.dim", "model.p.stg"],
        "model.p.dim": ["seed.p.days", "model.p.stg"],
        "model.p.stg": [],
        "seed.p.days": [],
    }
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": nodes, "parent_map": parents}))
    results = [
        {"unique_id": uid, "status": "success", "compiled_code": f"select 1 as {uid[8:]}"}
        for uid in nodes
    ]
    (tmp_path / "run_results.json").write_text(json.dumps({"results": results}))
    statements = plan(tmp_path, tmp_path)
    order = [stmt.unique_id for stmt in statements]
    assert order.index("model.p.stg") < order.index("model.p.dim") < order.index("model.p.fact")
    assert order.index("seed.p.days") < order.index("model.p.dim")
    kinds = {stmt.unique_id: stmt.kind for stmt in statements}
    assert kinds == {"model.p.fact": "table", "model.p.stg": "view", "seed.p.days": "seed",
                     "model.p.dim": "table"}  # fmt: skip
    fact = next(stmt for stmt in statements if stmt.unique_id == "model.p.fact")
    assert fact.sql.startswith('create or replace table "dw"."fact"."fact" as (')
