"""Bad input gives one line on stderr, exit code 2 (usage) or 1 (runtime), no traceback, and
never a half-written or clobbered source."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from oltp_snapshots import AS_OF, assert_one_line_error, query, run_cli

from generator import GeneratorError, generate
from generator.targets import duckdb_target


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--scale", "-1"], "scale must be > 0"),
        (["--scale", "0"], "scale must be > 0"),
        (["--scale", "5000"], "<= 1000"),
        (["--scale", "nan"], "scale must be > 0"),
        (["--scale", "lots"], "scale must be a number"),
        (["--target", "oracle"], "invalid choice: 'oracle'"),
        (["--as-of", "2025-13-01"], "expected YYYY-MM-DD"),
        (["--seed", "-3"], "seed must be >= 0"),
        (["--wave", "0"], "wave must be >= 1"),
        (["--wave", "1", "--scale", "2"], "--scale cannot be combined with --wave"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], fragment: str
) -> None:
    path = tmp_path / "never.duckdb"
    code, out, err = run_cli(capsys, *args, "--duckdb-path", str(path))
    assert code == 2
    assert_one_line_error(err, fragment)
    assert out == ""
    assert not path.exists()


def test_generate_then_existing_source_without_force_is_refused_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "src.duckdb"
    base = ["--scale", "0.01", "--as-of", AS_OF.isoformat(), "--duckdb-path", str(path)]
    code, out, err = run_cli(capsys, *base)
    assert code == 0 and err == ""
    assert "orders" in out and f"as-of {AS_OF}" in out
    digest = _digest(path)
    code, _, err = run_cli(capsys, *base, "--seed", "7")
    assert code == 1
    assert_one_line_error(err, f"source already exists at {path}", "use --force")
    assert _digest(path) == digest
    code, _, err = run_cli(capsys, *base, "--seed", "7", "--force")
    assert code == 0 and err == ""
    assert _digest(path) != digest


def test_cli_wave_out_of_order_exits_1_and_leaves_source_unchanged(
    capsys: pytest.CaptureFixture[str], make_source: Callable[..., Path]
) -> None:
    path = make_source()
    digest = _digest(path)
    code, _, err = run_cli(capsys, "--wave", "2", "--duckdb-path", str(path))
    assert code == 1
    assert_one_line_error(err, "cannot apply wave 2: wave 1 has not been applied yet")
    assert _digest(path) == digest
    code, out, err = run_cli(capsys, "--wave", "1", "--duckdb-path", str(path))
    assert code == 0 and "applied wave 1" in out and err == ""
    code, _, err = run_cli(capsys, "--wave", "1", "--duckdb-path", str(path))
    assert code == 1
    assert_one_line_error(err, "wave 1 was already applied")


def test_cli_wave_without_source_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_cli(capsys, "--wave", "1", "--duckdb-path", str(tmp_path / "none.duckdb"))
    assert code == 1
    assert_one_line_error(err, "no source at")


def test_unreachable_postgres_exits_1_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ETL_PG_HOST", "127.0.0.1")
    monkeypatch.setenv("ETL_PG_PORT", "1")  # nothing listens there: connection refused
    code, out, err = run_cli(capsys, "--target", "postgres", "--scale", "0.01")
    assert code == 1 and out == ""
    assert_one_line_error(err, "cannot connect to PostgreSQL at 127.0.0.1:1")
    code, _, err = run_cli(capsys, "--target", "postgres", "--wave", "1")
    assert code == 1
    assert_one_line_error(err, "cannot connect to PostgreSQL")


@pytest.mark.parametrize(
    "driver", ["ODBC Driver 18 for SQL Server", "No Such Driver"], ids=["default", "missing"]
)
def test_unreachable_sqlserver_exits_1_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, driver: str
) -> None:
    monkeypatch.setenv("ETL_SQL_DRIVER", driver)
    monkeypatch.setenv("ETL_SQL_SERVER", "127.0.0.1")
    monkeypatch.setenv("ETL_SQL_PORT", "1")
    code, out, err = run_cli(capsys, "--target", "sqlserver", "--scale", "0.01")
    assert code == 1 and out == ""
    assert_one_line_error(err, "cannot connect to SQL Server at 127.0.0.1:1", driver)


def test_failed_base_write_leaves_no_half_written_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_source: Callable[..., Path]
) -> None:
    def crash(con: duckdb.DuckDBPyConnection, *args: object) -> None:
        con.execute("create schema core")
        con.execute("select * from no_such_table")  # fails after writing something

    path = tmp_path / "fresh.duckdb"
    monkeypatch.setattr(duckdb_target.DuckDbTarget, "_load", staticmethod(crash))
    with pytest.raises(GeneratorError, match="cannot write DuckDB source"):
        generate(scale=0.01, as_of=AS_OF, duckdb_path=path)
    assert not path.exists()
    assert os.listdir(tmp_path) == []

    monkeypatch.undo()
    existing = make_source(name="kept.duckdb")
    digest = _digest(existing)
    monkeypatch.setattr(duckdb_target.DuckDbTarget, "_load", staticmethod(crash))
    with pytest.raises(GeneratorError):
        generate(scale=0.01, seed=5, as_of=AS_OF, duckdb_path=existing, force=True)
    assert _digest(existing) == digest
    assert sorted(os.listdir(tmp_path)) == ["kept.duckdb"]


def test_no_checks_source_accepts_bad_rows_but_keeps_primary_keys(
    make_source: Callable[..., Path],
) -> None:
    strict = make_source(name="strict.duckdb")
    legacy = make_source(name="legacy.duckdb", checks=False)
    bad_rows = [
        "update core.order_items set quantity = -1 where order_item_id = 1",
        "update core.orders set order_status = 'Perdido' where order_id = 1",
        "update core.customers set updated_at = created_at - interval 1 day where customer_id = 1",
        "update core.products set product_name = null where product_id = 1",
        "insert into core.regions select 99, region_code, country, region_name, state,"
        " state_name, city, ibge_code, is_active, created_at, updated_at, deleted_at"
        " from core.regions where region_id = 1",
    ]
    con = duckdb.connect(str(strict))
    for statement in bad_rows:
        with pytest.raises(duckdb.ConstraintException):
            con.execute(statement)
    con.close()
    con = duckdb.connect(str(legacy))
    for statement in bad_rows:
        con.execute(statement)
    with pytest.raises(duckdb.ConstraintException):
        con.execute("insert into core.regions select * from core.regions where region_id = 1")
    con.close()
    assert query(legacy, "select count(*) from core.regions") == [(16,)]
    assert query(legacy, "select checks from generator_meta.runs") == [(False,)]


def test_module_and_console_script_run_without_traceback(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    helped = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=False
    )
    assert helped.returncode == 0 and "--no-checks" in helped.stdout
    script = bin_dir / "oltp-generate"
    if script.exists():
        result = subprocess.run(
            [str(script), "--scale", "-1"], capture_output=True, text=True, check=False
        )
        assert result.returncode == 2
        assert_one_line_error(result.stderr, "scale must be > 0")
