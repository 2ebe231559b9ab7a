"""Pieces of the orchestrator that need no engine: argument validation, the lock file,
run results and the per-run table."""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from pathlib import Path

import pytest

from orchestrator.audit import EntityOutcome
from orchestrator.cli import parse_config
from orchestrator.dbt_invoke import dbt_command
from orchestrator.errors import LockHeldError, UsageError
from orchestrator.lock import FileLock, LockInfo
from orchestrator.summary import format_run_table


def test_overrides_and_entities_are_validated_before_anything_runs() -> None:
    config, _ = parse_config(
        [
            "--entity",
            "fact_vendas,dim_cliente,fact_vendas",
            "--batch-size",
            "10",
            "--now",
            "2026-01-16T00:00:00",
        ]
    )
    assert config.entities == ("fact_vendas", "dim_cliente")
    assert config.dbt_vars()["etl_batch_size"] == "10"
    assert config.dbt_vars()["etl_cutoff_minutes"] == ""
    # the run id travels in ETL_RUN_ID: vars that change every run force a full dbt re-parse
    assert "etl_run_id" not in config.dbt_vars()
    assert config.dbt_vars()["etl_now"] == "2026-01-16T00:00:00"
    # an incremental run tests what it loads; --full-checks tests everything
    assert config.dbt_vars()["etl_full_checks"] is False
    full, _ = parse_config(["--entity", "all", "--full-checks"])
    assert full.dbt_vars()["etl_full_checks"] is True
    for bad in (["--max-batches", "0"], ["--cutoff-minutes", "-1"], ["--now", "yesterday"]):
        with pytest.raises(UsageError):
            parse_config(["--entity", "all", *bad])


def test_dbt_command_has_a_target_path_per_warehouse_and_streams_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ETL_PG_DATABASE", "warehouse_a")
    config, _ = parse_config(["--entity", "all", "--target", "postgres"])
    again, _ = parse_config(["--entity", "all", "--target", "postgres"])
    command = dbt_command(config, ["build"], config.dbt_vars())
    assert Path(command[0]).name == "dbt"
    target_path = command[command.index("--target-path") + 1]
    assert "target/orchestrator/postgres-" in target_path
    # the same warehouse keeps its path across runs (dbt's partial parse is reused) ...
    assert again.run_id != config.run_id and str(again.target_path) == target_path
    # ... and another warehouse gets its own
    monkeypatch.setenv("ETL_PG_DATABASE", "warehouse_b")
    other, _ = parse_config(["--entity", "all", "--target", "postgres"])
    assert str(other.target_path) != target_path
    assert command[command.index("--log-format") + 1] == "json"
    assert command[command.index("--target") + 1] == "postgres"
    assert "etl_run_id" not in json.loads(command[command.index("--vars") + 1])


def test_lock_file_is_exclusive_and_stale_locks_are_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "dw.duckdb.lock"
    me = LockInfo("run-a", os.getpid(), socket.gethostname(), "2026-01-01T00:00:00")
    first = FileLock(path, me)
    assert first.acquire() is None
    with pytest.raises(LockHeldError, match="run-a"):
        FileLock(path, LockInfo("run-b", 1, "h", "t")).acquire()
    first.release()
    assert not path.exists()
    dead = {
        "run_id": "run-dead",
        "pid": 2**22 + 12345,
        "host": socket.gethostname(),
        "started_at": "t",
    }
    path.write_text(json.dumps(dead))
    stale = FileLock(path, me).acquire()
    assert stale is not None and stale.run_id == "run-dead"
    assert json.loads(path.read_text())["run_id"] == "run-a"


def test_run_table_shows_duration_and_throughput() -> None:
    start = datetime(2026, 1, 1, 0, 0, 0)
    rows = [
        EntityOutcome(
            "fact_vendas",
            "success",
            started_at=start,
            finished_at=datetime(2026, 1, 1, 0, 0, 2),
            extracted=1000,
            upserted=1000,
            quarantined=3,
        ),
        EntityOutcome("dim_regiao", "inactive"),
    ]
    table = format_run_table(rows).splitlines()
    assert table[0].split() == [
        "entity",
        "extracted",
        "upserted",
        "quarantined",
        "duration",
        "rows/s",
        "status",
    ]
    assert table[2].split() == ["fact_vendas", "1,000", "1,000", "3", "2.0s", "500", "success"]
    assert table[3].split() == ["dim_regiao", "-", "-", "-", "-", "-", "inactive"]
