"""Run the real dbt project against a warehouse in a temp dir, and read the result back."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import chdir, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dbt.cli.main import dbtRunner, dbtRunnerResult

ROOT = Path(__file__).resolve().parents[1]

# The entity models (meta.etl in the YAML), in SPEC order.
ENTITIES = (
    "dim_cliente",
    "dim_produto",
    "dim_regiao",
    "dim_equipe",
    "dim_vendedor",
    "dim_desconto",
    "fact_vendas",
    "fact_metas",
    "fact_descontos",
)
# The history snapshots (snapshots/, meta.etl kind: snapshot): ETL entities too, with their
# window in audit.etl_load_window and their audit.etl_run_entity row, but no
# ctl.etl_control row (dbt compares the whole source: there is no watermark).
SNAPSHOTS = ("snap_oltp__customers", "snap_oltp__products")
WINDOW_COLUMNS = (
    "status, load_kind, extracted_count, upserted_count, soft_deleted_count, quarantined_count,"
    " batches, backlog_after_count, watermark_from_updated_at, watermark_from_id,"
    " watermark_to_updated_at, watermark_to_id"
)
WAREHOUSE_TABLES = {entity: ("dim" if entity.startswith("dim") else "fact") for entity in ENTITIES}
# dbt's parse of the project (partial_parse.msgpack in the target path), kept for this
# process by what the parse depends on: each warehouse has its own target path, and dbt
# parses the whole project again (twice as slow as a partial parse) on a warehouse's first
# call and whenever the vars differ from the previous call's.
_PARSES: dict[str, bytes] = {}
# dbt parses again when the profile's connection differs, DuckDB file paths included: dbt
# runs in the warehouse's directory with these paths relative to it, so every warehouse
# laid out alike (dw.duckdb beside oltp.duckdb) has the same connection.
DUCKDB_PATHS = ("ETL_DUCKDB_PATH", "ETL_OLTP_DUCKDB_PATH")


def _parse_key(target: str, all_vars: dict[str, Any]) -> str:
    """What dbt reads while parsing, besides the project's files (which it checks itself):
    the target, the vars and the ETL_* environment (the profile's connection)."""
    env = {key: value for key, value in os.environ.items() if key.startswith("ETL_")}
    return json.dumps([target, all_vars, env], sort_keys=True)


def _relative_to_warehouse(env: dict[str, str]) -> tuple[dict[str, str], Path]:
    """The environment with the DuckDB paths relative to the warehouse's directory, and
    that directory (the current one when there is no warehouse file)."""
    warehouse = env.get("ETL_DUCKDB_PATH")
    if not warehouse or not Path(warehouse).is_absolute():
        return env, Path.cwd()
    home = Path(warehouse).parent
    relative = {
        key: os.path.relpath(env[key], home)
        for key in DUCKDB_PATHS
        if key in env and Path(env[key]).is_absolute()
    }
    return {**env, **relative}, home


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def release_duckdb() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open in-process between invocations, so
    the test (like any other process) can open the warehouse and source files."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


@dataclass
class Warehouse:
    """One warehouse (a dbt target) built from one source, driven through the real dbt."""

    target: str
    env: dict[str, str]
    target_path: Path
    etl_now: str = ""
    runs: list[dbtRunnerResult] = field(default_factory=list)

    def dbt(self, *args: str, expect_success: bool = True, **run_vars: Any) -> dbtRunnerResult:
        all_vars = {"etl_now": self.etl_now, **run_vars}
        command = [
            *args,
            "--project-dir",
            str(ROOT),
            "--profiles-dir",
            str(ROOT),
            "--target",
            self.target,
            "--target-path",
            str(self.target_path),
            "--vars",
            json.dumps(all_vars),
            "--quiet",
        ]
        parse_state = self.target_path / "partial_parse.msgpack"
        env, home = _relative_to_warehouse(self.env)
        with environment(env), chdir(home):
            key = _parse_key(self.target, all_vars)
            if key in _PARSES:
                self.target_path.mkdir(parents=True, exist_ok=True)
                parse_state.write_bytes(_PARSES[key])
            try:
                result = dbtRunner().invoke(command)
            finally:
                release_duckdb()
        if parse_state.exists():
            _PARSES[key] = parse_state.read_bytes()
        self.runs.append(result)
        if result.exception is not None:
            raise result.exception
        if expect_success and not result.success:
            failures = [
                f"{r.node.name}: {r.status} {r.message}"
                for r in result.result
                if str(r.status) not in ("success", "pass", "skipped")
            ]
            raise AssertionError("dbt " + " ".join(args) + " failed:\n" + "\n".join(failures))
        return result

    def build(self, *select: str, expect_success: bool = True, **run_vars: Any) -> dbtRunnerResult:
        args = ["build"]
        if select:
            args += ["--select", *select]
        return self.dbt(*args, expect_success=expect_success, **run_vars)

    def run(self, expect_success: bool = True, **run_vars: Any) -> dbtRunnerResult:
        """Build seeds and models without running the data tests (faster)."""
        return self.dbt(
            "build",
            "--exclude-resource-type",
            "test",
            "unit_test",
            expect_success=expect_success,
            **run_vars,
        )

    @contextmanager
    def connect(self) -> Iterator[Any]:
        with environment(self.env):
            from orchestrator.warehouse import connect_warehouse

            with connect_warehouse(self.target, read_only=False) as conn:
                yield conn

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.connect() as conn:
            cur = conn.cursor()
            cur.execute(sql, params)
            return [tuple(row) for row in cur.fetchall()]

    def execute(self, sql: str) -> None:
        with self.connect() as conn:
            cur = conn.cursor()
            cur.execute(sql)
            conn.commit()

    def scalar(self, sql: str) -> Any:
        return self.query(sql)[0][0]

    def table(self, entity: str, with_load_columns: bool = False) -> list[tuple[Any, ...]]:
        """Every row of a warehouse table, sorted, load-metadata columns aside."""
        schema = WAREHOUSE_TABLES[entity]
        with self.connect() as conn:
            cur = conn.cursor()
            cur.execute(f"select * from {schema}.{entity} where 1 = 0")
            columns = [d[0] for d in cur.description]
            keep = [c for c in columns if with_load_columns or not c.startswith("_etl_")]
            cur.execute(f"select {', '.join(keep)} from {schema}.{entity}")
            rows = [tuple(row) for row in cur.fetchall()]
        return sorted(rows, key=repr)

    def windows(self) -> dict[str, dict[str, Any]]:
        """audit.etl_load_window rows of the newest dbt invocation, by entity."""
        names = WINDOW_COLUMNS.split(", ")
        rows = self.query(
            f"select entity_name, {WINDOW_COLUMNS} from audit.etl_load_window"
            " where invocation_id = (select invocation_id from audit.etl_load_window"
            " order by planned_at desc limit 1)"
        )
        return {row[0]: dict(zip(names, row[1:], strict=True)) for row in rows}

    def watermark(self, entity: str) -> tuple[Any, Any]:
        marker = "%s" if self.target == "postgres" else "?"
        sql = "select watermark_updated_at, watermark_id from ctl.etl_control where entity_name = "
        return self.query(sql + marker, (entity,))[0]
