"""The engine floor: dbt's own compiled full-build SQL, executed directly in the engine.

What it runs: for every model, snapshot and seed of a full load (but the views over the
load's own ctl/audit bookkeeping, which only hooks create), in dependency order
(manifest.json's parent_map), in ONE connection, one statement after the other:

- seed: a table loaded from the seed's CSV;
- view: `create view <relation> as (<compiled code>)`;
- table / incremental: `create table <relation> as (<compiled code>)`;
- snapshot (its first build): a table of `select *, <dbt's version columns> from
  (<compiled code>)`, the columns dbt's snapshot adds.

The compiled code is the one dbt ran in that full load (run_results.json `compiled_code`):
a full-build compile, so the entity models' window has no lower bound and ends at the
last row the load took, with the load's own run id and timestamps as literals. No hooks,
no audit or control writes, no data tests, no dbt: only the SELECTs, which is the least
any tool could do to build the same tables. Where each engine builds them, and how it
keeps them apart from the tables dbt built, is in `bench.floor_engines`.

Then, outside the timed part, it checks the result against the dbt-built warehouse:
for every table (seed, table and incremental models) the same row count and the same
sum of every numeric column (exact for integers and decimals, 1e-9 relative for floats).

    python -m bench.floor --artifacts DIR --target duckdb --source OLTP.duckdb \
        --out FLOOR.duckdb --compare DW.duckdb [--json RESULT.json]
    python -m bench.floor --artifacts DIR --target postgres --database DW [--json RESULT.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any, Protocol

from bench.floor_engines import Column, open_engine, quote

log = logging.getLogger(__name__)

KEY_TABLE, KEY_COLUMN = '"fact_vendas"', "valor_total_liquido"


@dataclass(frozen=True)
class Statement:
    unique_id: str
    kind: str  # seed, view, table
    relation: str  # "<database>"."<schema>"."<name>", as dbt compiled it
    body: str  # the SELECT of a view or table; the CSV path of a seed


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


class Engine(Protocol):
    """Where the floor runs: builds the statements, then answers for both sides."""

    def build(self, statements: list[Statement]) -> float:
        """Run the statements; the seconds they took."""
        ...

    def built(self, relation: str) -> str:
        """The relation dbt built under the name `relation`."""
        ...

    def numeric_columns(self, relation: str) -> list[Column]: ...

    def fetchone(self, query: str) -> tuple[Any, ...]: ...


def _relation(node: dict[str, Any], database: str | None) -> str:
    return quote(database or node["database"], node["schema"], node.get("alias") or node["name"])


def plan(artifacts: Path, project_dir: Path, database: str | None = None) -> list[Statement]:
    """The statements of the floor, in dependency order, from a full load's artifacts.
    `database`: the database the load ran in, when the manifest comes from a parse for
    another one (the benchmark's dbt slot: the same graph, another database name on
    PostgreSQL); default the manifest's own."""
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
    return [
        _statement(uid, manifest["nodes"][uid], results[uid], project_dir, database)
        for uid in TopologicalSorter(graph).static_order()
    ]


def _statement(
    uid: str, node: dict[str, Any], result: dict[str, Any], project_dir: Path, database: str | None
) -> Statement:
    relation = _relation(node, database)
    if uid.startswith("seed."):
        return Statement(uid, "seed", relation, str(project_dir / node["original_file_path"]))
    materialized = node["config"]["materialized"]
    code = result["compiled_code"]
    if not code:
        raise ValueError(f"no compiled code for {uid} in run_results.json")
    if materialized == "snapshot":
        return Statement(uid, "table", relation, _snapshot_first_build(node, code))
    if materialized == "view":
        return Statement(uid, "view", relation, code)
    if materialized in ("table", "incremental"):
        return Statement(uid, "table", relation, code)
    raise ValueError(f"{uid}: materialization {materialized!r} is not supported")


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


def _same(a: Any, b: Any, is_float: bool) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if is_float:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return Decimal(str(a)) == Decimal(str(b))


def _check(engine: Engine, stmt: Statement) -> TableCheck:
    built = engine.built(stmt.relation)
    columns, built_columns = engine.numeric_columns(stmt.relation), engine.numeric_columns(built)
    select = ", ".join(["count(*)", *(f'sum("{column.name}")' for column in columns)])
    mine = engine.fetchone(f"select {select} from {stmt.relation}")
    check = TableCheck(stmt.relation, int(mine[0]), 0, len(columns))
    if [c.name for c in columns] != [c.name for c in built_columns]:  # widths may differ
        check.mismatches.append(f"numeric columns differ: {columns} vs {built_columns}")
        check.rows_built = int(engine.fetchone(f"select count(*) from {built}")[0])
        return check
    theirs = engine.fetchone(f"select {select} from {built}")
    check.rows_built = int(theirs[0])
    for column, built_column, a, b in zip(columns, built_columns, mine[1:], theirs[1:],
                                          strict=True):  # fmt: skip
        if not _same(a, b, column.is_float or built_column.is_float):
            check.mismatches.append(f"sum({column.name}): floor {a} vs built {b}")
    return check


def compare(engine: Engine, statements: list[Statement]) -> list[TableCheck]:
    """Row counts and numeric sums of every table of the floor against the built warehouse."""
    return [_check(engine, stmt) for stmt in statements if stmt.kind != "view"]


def _key_measure(engine: Engine, relation: str) -> float | None:
    row = engine.fetchone(f'select sum("{KEY_COLUMN}") from {relation}')
    return None if row[0] is None else float(row[0])


def run_floor(engine: Engine, statements: list[Statement]) -> FloorResult:
    seconds = engine.build(statements)
    checks = compare(engine, statements)
    fact = next((s.relation for s in statements if s.relation.endswith(KEY_TABLE)), None)
    return FloorResult(
        seconds=seconds,
        statements=len(statements),
        models=sum(1 for stmt in statements if stmt.kind != "seed"),
        tables_checked=len(checks),
        rows_checked=sum(check.rows_floor for check in checks),
        matched=bool(checks) and all(check.matched for check in checks),
        key_measure=f"fact_vendas.{KEY_COLUMN}",
        key_floor=_key_measure(engine, fact) if fact else None,
        key_built=_key_measure(engine, engine.built(fact)) if fact else None,
        checks=checks,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="dbt's compiled SQL, run without dbt")
    parser.add_argument("--artifacts", type=Path, required=True, help="run_results + manifest")
    parser.add_argument("--target", choices=("duckdb", "postgres"), default="duckdb")
    parser.add_argument("--source", type=Path, help="duckdb: OLTP DuckDB file")
    parser.add_argument("--out", type=Path, help="duckdb: fresh floor DuckDB file")
    parser.add_argument("--compare", type=Path, help="duckdb: dbt-built warehouse")
    parser.add_argument("--database", help="postgres: the database dbt loaded")
    parser.add_argument("--project-dir", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--json", type=Path, help="write the result here (default: stdout)")
    return parser


def _missing(args: argparse.Namespace) -> str:
    """What the target needs and the command line lacks ("" when nothing)."""
    needed = ("database",) if args.target == "postgres" else ("source", "out", "compare")
    lacking = [f"--{name}" for name in needed if not getattr(args, name)]
    return f"--target {args.target} needs {', '.join(lacking)}" if lacking else ""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if missing := _missing(args):
        parser.error(missing)
    logging.basicConfig(level=logging.WARNING)
    statements = plan(args.artifacts, args.project_dir, args.database)
    with open_engine(args) as engine:
        result = run_floor(engine, statements)
    text = json.dumps(result.to_json(), indent=2, default=str)
    if args.json:
        args.json.write_text(text)
    else:
        print(text)
    return 0 if result.matched else 1


if __name__ == "__main__":
    sys.exit(main())
