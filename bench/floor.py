"""The engine floor: dbt's own compiled full-build SQL, executed directly in DuckDB.

What it runs: for every model, snapshot and seed of a full load (but the views over the
load's own ctl/audit bookkeeping, which only hooks create), in dependency order
(manifest.json's parent_map), in ONE DuckDB connection to a fresh file, with the source
attached the way profiles.yml attaches it:

- seed: `create table <relation> as select * from read_csv(<seed csv>)`;
- view: `create or replace view <relation> as (<compiled code>)`;
- table / incremental: `create or replace table <relation> as (<compiled code>)`;
- snapshot (its first build): `create or replace table <relation> as (select *, <dbt's
  version columns> from (<compiled code>))`, the columns dbt's snapshot adds.

The compiled code is the one dbt ran in that full load (run_results.json `compiled_code`):
a full-build compile, so the entity models' window has no lower bound and ends at the
last row the load took, with the load's own run id and timestamps as literals. No hooks,
no audit or control writes, no data tests, no dbt: only the SELECTs, which is the least
any tool could do to build the same tables.

Then, outside the timed part, it checks the result against the dbt-built warehouse:
for every table (seed, table and incremental models) the same row count and the same
sum of every numeric column (exact for integers and decimals, 1e-9 relative for floats).

    python -m bench.floor --artifacts DIR --source OLTP.duckdb --out FLOOR.duckdb \
        --compare DW.duckdb [--json RESULT.json]

The floor file must have the same name (catalog) as the warehouse dbt built, because
the compiled code names relations "<catalog>"."<schema>"."<table>".
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import duckdb

log = logging.getLogger(__name__)

SOURCE_ALIAS = "ecommerce_oltp"  # profiles.yml: attach ... alias ecommerce_oltp, read_only
BUILT_ALIAS = "bench_built"
NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "DECIMAL",
    "DOUBLE",
    "FLOAT",
    "REAL",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
)
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


@dataclass(frozen=True)
class Statement:
    unique_id: str
    kind: str  # seed, view, table
    relation: str
    sql: str


@dataclass
class TableCheck:
    relation: str
    rows_floor: int
    rows_built: int
    sums_checked: int
    mismatches: list[str] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return self.rows_floor == self.rows_built and not self.mismatches


@dataclass
class FloorResult:
    seconds: float
    statements: int
    models: int
    tables_checked: int
    rows_checked: int
    matched: bool
    key_measure: str
    key_floor: float | None
    key_built: float | None
    checks: list[TableCheck]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for check, item in zip(self.checks, data["checks"], strict=True):
            item["matched"] = check.matched
        return data


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _relation(node: dict[str, Any]) -> str:
    parts = [node["database"], node["schema"], node.get("alias") or node["name"]]
    return ".".join('"' + str(part).replace('"', '""') + '"' for part in parts)


def plan(artifacts: Path, project_dir: Path) -> list[Statement]:
    """The statements of the floor, in dependency order, from a full load's artifacts."""
    manifest = json.loads((artifacts / "manifest.json").read_text())
    run_results = json.loads((artifacts / "run_results.json").read_text())
    results = {
        item["unique_id"]: item
        for item in run_results["results"]
        if item["unique_id"].split(".")[0] in ("model", "seed", "snapshot")
    }
    failed = [uid for uid, item in results.items() if item["status"] != "success"]
    if failed:
        raise ValueError(f"the load did not build every node: {', '.join(failed)}")
    # models over the load's own bookkeeping (ctl/audit sources, e.g. the connection-audit
    # view) are not part of the warehouse build: the floor runs no hooks, so it has none
    sources = manifest.get("sources", {})
    bookkeeping = {
        uid
        for uid in results
        if any(
            parent in sources and sources[parent]["schema"] in ("ctl", "audit")
            for parent in manifest["parent_map"].get(uid, [])
        )
    }
    results = {uid: item for uid, item in results.items() if uid not in bookkeeping}
    graph = {
        uid: [parent for parent in manifest["parent_map"].get(uid, []) if parent in results]
        for uid in results
    }
    statements: list[Statement] = []
    for uid in TopologicalSorter(graph).static_order():
        node = manifest["nodes"][uid]
        relation = _relation(node)
        if uid.startswith("seed."):
            csv = project_dir / node["original_file_path"]
            sql = f"create table {relation} as select * from read_csv({_quote_literal(str(csv))})"
            statements.append(Statement(uid, "seed", relation, sql))
            continue
        materialized = node["config"]["materialized"]
        code = results[uid]["compiled_code"]
        if not code:
            raise ValueError(f"no compiled code for {uid} in run_results.json")
        if materialized == "snapshot":
            sql = f"create or replace table {relation} as (\n{_snapshot_first_build(node, code)}\n)"
            statements.append(Statement(uid, "table", relation, sql))
            continue
        if materialized == "view":
            kind = "view"
        elif materialized in ("table", "incremental"):
            kind = "table"
        else:
            raise ValueError(f"{uid}: materialization {materialized!r} is not supported")
        sql = f"create or replace {kind} {relation} as (\n{code}\n)"
        statements.append(Statement(uid, kind, relation, sql))
    return statements


def _snapshot_first_build(node: dict[str, Any], code: str) -> str:
    """What dbt's timestamp-strategy snapshot writes on its first build: the query's rows,
    each the current version, valid from its updated_at (dbt's build_snapshot_table)."""
    key, updated_at = node["config"]["unique_key"], node["config"]["updated_at"]
    return (
        f"select *, md5(coalesce(cast({key} as varchar), '') || '|' ||"
        f" coalesce(cast({updated_at} as varchar), '')) as dbt_scd_id,"
        f" {updated_at} as dbt_updated_at, {updated_at} as dbt_valid_from,"
        f" cast(null as timestamp) as dbt_valid_to from (\n{code}\n) as snapshot_query"
    )


def execute(statements: list[Statement], source: Path, out: Path) -> float:
    """Run the statements into a fresh DuckDB file; seconds from connect to close."""
    if out.exists():
        out.unlink()
    schemas = sorted({stmt.relation.rsplit(".", 1)[0] for stmt in statements})
    started = time.perf_counter()
    conn = duckdb.connect(str(out))
    try:
        conn.execute(f"attach {_quote_literal(str(source))} as {SOURCE_ALIAS} (read_only)")
        for schema in schemas:
            conn.execute(f"create schema if not exists {schema}")
        for stmt in statements:
            conn.execute(stmt.sql)
    finally:
        conn.close()
    return time.perf_counter() - started


def _numeric_columns(conn: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    rows = conn.execute(f"describe {relation}").fetchall()
    return [
        (str(name), str(kind))
        for name, kind, *_ in rows
        if str(kind).upper().split("(")[0] in NUMERIC_TYPES
    ]


def _same(a: Any, b: Any, kind: str) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if kind.upper().split("(")[0] in FLOAT_TYPES:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return Decimal(str(a)) == Decimal(str(b))


def compare(statements: list[Statement], floor: Path, built: Path) -> list[TableCheck]:
    """Row counts and numeric sums of every table of the floor against the built warehouse."""
    checks: list[TableCheck] = []
    with duckdb.connect(str(floor), read_only=True) as conn:
        conn.execute(f"attach {_quote_literal(str(built))} as {BUILT_ALIAS} (read_only)")
        for stmt in statements:
            if stmt.kind == "view":
                continue
            _catalog, schema, table = stmt.relation.split(".")
            built_relation = f"{BUILT_ALIAS}.{schema}.{table}"
            columns = _numeric_columns(conn, stmt.relation)
            built_columns = _numeric_columns(conn, built_relation)
            select = ", ".join(["count(*)", *(f'sum("{name}")' for name, _ in columns)])
            mine = conn.execute(f"select {select} from {stmt.relation}").fetchone() or ()
            check = TableCheck(stmt.relation, int(mine[0]), 0, len(columns))
            names = [name for name, _ in columns]
            if names != [name for name, _ in built_columns]:  # widths may differ (seed ints)
                check.mismatches.append(f"numeric columns differ: {columns} vs {built_columns}")
                check.rows_built = int(
                    (conn.execute(f"select count(*) from {built_relation}").fetchone() or (0,))[0]
                )
            else:
                theirs = conn.execute(f"select {select} from {built_relation}").fetchone() or ()
                check.rows_built = int(theirs[0])
                for (name, kind), a, b in zip(columns, mine[1:], theirs[1:], strict=True):
                    if not _same(a, b, kind):
                        check.mismatches.append(f"sum({name}): floor {a} vs built {b}")
            checks.append(check)
    return checks


def key_measure(path: Path, relation: str, column: str) -> float | None:
    with duckdb.connect(str(path), read_only=True) as conn:
        row = conn.execute(f'select sum("{column}") from {relation}').fetchone()
    return None if row is None or row[0] is None else float(row[0])


def run_floor(
    artifacts: Path, source: Path, out: Path, built: Path, project_dir: Path
) -> FloorResult:
    statements = plan(artifacts, project_dir)
    seconds = execute(statements, source, out)
    checks = compare(statements, out, built)
    fact = next((s.relation for s in statements if s.relation.endswith('"fact_vendas"')), None)
    column = "valor_total_liquido"
    return FloorResult(
        seconds=seconds,
        statements=len(statements),
        models=sum(1 for stmt in statements if stmt.kind != "seed"),
        tables_checked=len(checks),
        rows_checked=sum(check.rows_floor for check in checks),
        matched=bool(checks) and all(check.matched for check in checks),
        key_measure=f"fact_vendas.{column}",
        key_floor=key_measure(out, fact, column) if fact else None,
        key_built=key_measure(built, fact, column) if fact else None,
        checks=checks,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="dbt's compiled SQL, run without dbt")
    parser.add_argument("--artifacts", type=Path, required=True, help="run_results + manifest")
    parser.add_argument("--source", type=Path, required=True, help="OLTP DuckDB file")
    parser.add_argument("--out", type=Path, required=True, help="fresh floor DuckDB file")
    parser.add_argument("--compare", type=Path, required=True, help="dbt-built warehouse")
    parser.add_argument("--project-dir", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--json", type=Path, help="write the result here (default: stdout)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    result = run_floor(args.artifacts, args.source, args.out, args.compare, args.project_dir)
    text = json.dumps(result.to_json(), indent=2, default=str)
    if args.json:
        args.json.write_text(text)
    else:
        print(text)
    return 0 if result.matched else 1


if __name__ == "__main__":
    sys.exit(main())
