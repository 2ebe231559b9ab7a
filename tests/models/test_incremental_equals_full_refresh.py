"""The central property: after any sequence of source waves and incremental runs (with
any batch size, including runs capped by --max-batches that leave a backlog), once the
backlog is drained the warehouse equals a full refresh of the same source, table by table
and column by column (load-metadata columns aside)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from generator import apply_wave, generate
from tests.dbt_harness import ENTITIES, Warehouse
from tests.models.conftest import AS_OF, NOW, SCALE, duckdb_warehouse


def _play_random_history(warehouse: Warehouse, rng: random.Random, wave_kwargs: dict) -> list[str]:
    """Random waves and runs; returns the history, for the failure message."""
    history = []
    warehouse.run()
    history.append("full build")
    wave = 0
    for _ in range(rng.randint(3, 5)):
        if rng.random() < 0.5:
            wave += 1
            apply_wave(wave, seed=7, **wave_kwargs)
            history.append(f"wave {wave}")
        else:
            batch_size = rng.choice([1, 7, 50, 1000])
            max_batches = rng.choice(["", "1", "2"])
            warehouse.run(etl_batch_size=str(batch_size), etl_max_batches=max_batches)
            history.append(f"run batch_size={batch_size} max_batches={max_batches or '-'}")
    if wave == 0:
        apply_wave(1, seed=7, **wave_kwargs)
        history.append("wave 1")
    # a capped run always leaves a backlog after a wave: prove it, then drain
    warehouse.run(etl_batch_size="3", etl_max_batches="1")
    assert warehouse.windows()["fact_vendas"]["backlog_after_count"] > 0 or wave == 0
    history.append("run batch_size=3 max_batches=1")
    warehouse.run()
    history.append("drain")
    return history


def _assert_incremental_equals_full_refresh(warehouse: Warehouse, history: list[str]) -> None:
    incremental = {entity: warehouse.table(entity) for entity in ENTITIES}
    warehouse.dbt("build", "--full-refresh", "--exclude-resource-type", "test", "unit_test")
    for entity in ENTITIES:
        full = warehouse.table(entity)
        assert incremental[entity] == full, (
            f"{entity}: incremental differs from full refresh after {history}: "
            f"{len(set(incremental[entity]) ^ set(full))} rows differ"
        )


@pytest.mark.parametrize("seed", [11, 23])
def test_incremental_runs_equal_a_full_refresh_on_duckdb(tmp_path: Path, seed: int):
    warehouse = duckdb_warehouse(tmp_path)
    wave_kwargs = {"duckdb_path": warehouse.env["ETL_OLTP_DUCKDB_PATH"]}
    history = _play_random_history(warehouse, random.Random(seed), wave_kwargs)
    _assert_incremental_equals_full_refresh(warehouse, history)


@pytest.mark.postgres
def test_incremental_runs_equal_a_full_refresh_on_postgres(tmp_path: Path, pg_env: dict[str, str]):
    generate(target="postgres", scale=SCALE, seed=7, as_of=AS_OF)
    warehouse = Warehouse("postgres", pg_env, tmp_path / "target", etl_now=NOW)
    history = _play_random_history(warehouse, random.Random(5), {"target": "postgres"})
    _assert_incremental_equals_full_refresh(warehouse, history)
