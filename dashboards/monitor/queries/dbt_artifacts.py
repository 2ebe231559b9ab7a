"""dbt's artifacts: manifest.json (model and column docs, lineage, the tests defined on a
model), run_results.json of each orchestrator run (kept under target/runs/<run_id>/) or of
a dbt run by hand (target/), sources.json (`dbt source freshness`); and the test counts
the orchestrator recorded per entity and run in the audit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.common.cache import loader
from dashboards.common.connections import session
from dashboards.common.settings import Settings
from observability.reader import utcnow

ARTIFACT_TTL_SECONDS = 30


def _artifact_dirs(settings: Settings, run_ids: tuple[str, ...]) -> list[tuple[str, Path]]:
    dirs = [(run_id, settings.artifacts_dir / "runs" / run_id) for run_id in run_ids]
    found = [(label, path) for label, path in dirs if (path / "run_results.json").exists()]
    if (settings.artifacts_dir / "run_results.json").exists():
        found.append(("dbt (target/)", settings.artifacts_dir))
    return found


def _manifest_path(settings: Settings, run_ids: tuple[str, ...]) -> Path | None:
    for run_id in run_ids:
        path = settings.artifacts_dir / "runs" / run_id / "manifest.json"
        if path.exists():
            return path
    path = settings.artifacts_dir / "manifest.json"
    if path.exists():
        return path
    # the orchestrator keeps each warehouse's manifest in target/orchestrator/<warehouse>/
    # (and older runs' artifacts under target/runs/): any manifest of the project will do
    candidates = []
    for folder in ("orchestrator", "runs"):
        try:
            candidates += [p / "manifest.json" for p in (settings.artifacts_dir / folder).iterdir()]
        except OSError:
            continue
    existing = [p for p in candidates if p.exists()]
    return max(existing, key=lambda p: p.stat().st_mtime) if existing else None


@st.cache_data(ttl=ARTIFACT_TTL_SECONDS, show_spinner=False, max_entries=4)
def _read_json(path: str, mtime: float) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_artifact(path: Path) -> dict[str, Any] | None:
    try:
        return _read_json(str(path), path.stat().st_mtime)
    except (OSError, ValueError):
        return None


def artifact_run_ids(settings: Settings, limit: int = 30) -> pd.DataFrame:
    """The newest orchestrator runs of this warehouse (their artifacts are under
    target/runs/<run_id>/)."""
    with session(settings) as sess:
        if "audit.etl_run" not in sess.tables():
            return pd.DataFrame(columns=["run_id", "status", "started_at"])
        return sess.df(
            "select run_id, status, started_at from audit.etl_run order by started_at desc",
            limit=limit,
        )


load_artifact_run_ids = loader(["run_id", "status", "started_at"])(artifact_run_ids)

TEST_HISTORY_SQL = """
select entity_run.run_id, entity_run.entity_name, entity_run.started_at,
    entity_run.tests_passed, entity_run.tests_warned, entity_run.tests_failed
from audit.etl_run_entity as entity_run
where entity_run.started_at >= ?
    and entity_run.status in ('success', 'failed', 'skipped')
order by entity_run.started_at desc
"""
TEST_HISTORY_COLUMNS = [
    "run_id",
    "entity_name",
    "started_at",
    "tests_passed",
    "tests_warned",
    "tests_failed",
]


def test_history(settings: Settings, days: int = 14) -> pd.DataFrame:
    """dbt test counts per entity and run, as the orchestrator recorded them from each
    run's run_results.json (kept in the audit: the artifacts themselves are pruned)."""
    since = utcnow() - timedelta(days=days)
    with session(settings) as sess:
        if "audit.etl_run_entity" not in sess.tables():
            return pd.DataFrame(columns=TEST_HISTORY_COLUMNS)
        frame = sess.df(TEST_HISTORY_SQL, [since])
    for column in ("tests_passed", "tests_warned", "tests_failed"):
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype(int)
    frame["started_at"] = pd.to_datetime(frame["started_at"])
    return frame


load_test_history = loader(TEST_HISTORY_COLUMNS)(test_history)

TEST_COLUMNS = ["run", "generated_at", "model", "test", "status", "failures", "message"]


def test_results(settings: Settings, run_ids: tuple[str, ...]) -> pd.DataFrame:
    """dbt test results per model and run, from run_results.json of the runs' artifacts
    (and target/run_results.json of a dbt run by hand)."""
    manifest_path = _manifest_path(settings, run_ids)
    manifest = read_artifact(manifest_path) if manifest_path else None
    nodes = (manifest or {}).get("nodes", {})
    rows: list[tuple[Any, ...]] = []
    for label, directory in _artifact_dirs(settings, run_ids):
        results = read_artifact(directory / "run_results.json")
        if not results:
            continue
        generated = results.get("metadata", {}).get("generated_at")
        for result in results.get("results", []):
            unique_id = str(result.get("unique_id", ""))
            if not unique_id.startswith(("test.", "unit_test.")):
                continue
            node = nodes.get(unique_id, {})
            models = (
                [node["attached_node"]]
                if node.get("attached_node")
                else [
                    parent
                    for parent in node.get("depends_on", {}).get("nodes", [])
                    if parent.startswith("model.")
                ]
            )
            if unique_id.startswith("unit_test."):
                models = [f"model.{unique_id.split('.')[1]}.{unique_id.split('.')[2]}"]
            for model in models or ["(sem modelo)"]:
                rows.append(
                    (
                        label,
                        generated,
                        model.split(".")[-1],
                        node.get("name") or unique_id.split(".")[-2],
                        result.get("status"),
                        result.get("failures"),
                        (result.get("message") or "")[:300],
                    )
                )
    frame = pd.DataFrame(rows, columns=TEST_COLUMNS)
    frame["generated_at"] = pd.to_datetime(frame["generated_at"], utc=True).dt.tz_localize(None)
    return frame


load_test_results = loader(TEST_COLUMNS, ttl=ARTIFACT_TTL_SECONDS)(test_results)

FRESHNESS_COLUMNS = ["source", "status", "max_loaded_at", "snapshotted_at", "age_seconds"]


def source_freshness(settings: Settings) -> pd.DataFrame:
    """`dbt source freshness` results (target/sources.json), when it was run."""
    data = read_artifact(settings.artifacts_dir / "sources.json")
    if not data:
        return pd.DataFrame(columns=FRESHNESS_COLUMNS)
    rows = [
        (
            str(item.get("unique_id", "")).split(".", 2)[-1],
            item.get("status"),
            item.get("max_loaded_at"),
            item.get("snapshotted_at"),
            item.get("max_loaded_at_time_ago_in_s"),
        )
        for item in data.get("results", [])
    ]
    return pd.DataFrame(rows, columns=FRESHNESS_COLUMNS)


load_source_freshness = loader(FRESHNESS_COLUMNS, ttl=ARTIFACT_TTL_SECONDS)(source_freshness)


def manifest(settings: Settings, run_ids: tuple[str, ...] = ()) -> dict[str, Any] | None:
    path = _manifest_path(settings, run_ids)
    return read_artifact(path) if path else None


def model_docs(manifest_data: dict[str, Any] | None, model: str) -> tuple[str, pd.DataFrame]:
    """(description, columns with descriptions) of a model from the manifest."""
    if not manifest_data:
        return "", pd.DataFrame(columns=["coluna", "tipo", "descricao"])
    node = next(
        (
            node
            for node in manifest_data.get("nodes", {}).values()
            if node.get("resource_type") == "model" and node.get("name") == model
        ),
        None,
    )
    if node is None:
        return "", pd.DataFrame(columns=["coluna", "tipo", "descricao"])
    columns = [
        (name, column.get("data_type") or "", column.get("description") or "")
        for name, column in node.get("columns", {}).items()
    ]
    return node.get("description") or "", pd.DataFrame(
        columns, columns=["coluna", "tipo", "descricao"]
    )


def lineage(manifest_data: dict[str, Any] | None, model: str) -> pd.DataFrame:
    """Edges (parent, child) upstream and downstream of a model (tests left out)."""
    if not manifest_data:
        return pd.DataFrame(columns=["origem", "destino"])
    nodes = manifest_data.get("nodes", {})
    parents: dict[str, list[str]] = {
        uid: [p for p in node.get("depends_on", {}).get("nodes", []) if not p.startswith("test.")]
        for uid, node in nodes.items()
        if node.get("resource_type") in ("model", "seed", "snapshot")
    }
    children: dict[str, list[str]] = {}
    for uid, ups in parents.items():
        for parent in ups:
            children.setdefault(parent, []).append(uid)
    start = next((uid for uid in parents if uid.split(".")[-1] == model), None)
    if start is None:
        return pd.DataFrame(columns=["origem", "destino"])
    edges: set[tuple[str, str]] = set()
    todo, seen = [start], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for parent in parents.get(node, []):
            edges.add((parent, node))
            todo.append(parent)
    todo, seen = [start], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for child in children.get(node, []):
            edges.add((node, child))
            todo.append(child)

    def short(uid: str) -> str:
        parts = uid.split(".")
        return f"{parts[-2]}.{parts[-1]}" if parts[0] == "source" else parts[-1]

    return pd.DataFrame(
        sorted((short(a), short(b)) for a, b in edges), columns=["origem", "destino"]
    )


# --- domain tests -----------------------------------------------------------------------


@dataclass(frozen=True)
class DomainTest:
    """An accepted_values test on a model's column, as the manifest defines it."""

    unique_id: str
    name: str
    column: str
    values: tuple[Any, ...]
    severity: str  # "warn" | "error"
    where: str | None = None


def domain_tests(manifest_data: dict[str, Any] | None, model: str) -> list[DomainTest]:
    """The accepted_values tests attached to `model` (by column name)."""
    found: list[DomainTest] = []
    for unique_id, node in (manifest_data or {}).get("nodes", {}).items():
        if node.get("resource_type") != "test":
            continue
        metadata = node.get("test_metadata") or {}
        if metadata.get("name") != "accepted_values":
            continue
        attached = str(node.get("attached_node") or "")
        if attached.split(".")[-1] != model:
            continue
        kwargs = metadata.get("kwargs") or {}
        column = kwargs.get("column_name") or node.get("column_name")
        values = kwargs.get("values")
        if not column or not isinstance(values, list):
            continue
        config = node.get("config") or {}
        where = config.get("where")
        found.append(
            DomainTest(
                unique_id=unique_id,
                name=str(node.get("name") or unique_id.split(".")[-2]),
                column=str(column),
                values=tuple(values),
                severity=str(config.get("severity") or "error").lower(),
                where=str(where) if where and "{" not in str(where) else None,
            )
        )
    return sorted(found, key=lambda test: test.column)


def latest_test_results(settings: Settings, run_ids: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """unique_id -> the newest result of each test (status, failures, generated_at) in the
    run_results.json of these runs (and of target/)."""
    latest: dict[str, dict[str, Any]] = {}
    for label, directory in _artifact_dirs(settings, run_ids):
        results = read_artifact(directory / "run_results.json")
        if not results:
            continue
        generated = str(results.get("metadata", {}).get("generated_at") or "")
        for result in results.get("results", []):
            unique_id = str(result.get("unique_id", ""))
            if not unique_id.startswith("test."):
                continue
            known = latest.get(unique_id)
            if known is not None and known["generated_at"] >= generated:
                continue
            latest[unique_id] = {
                "status": result.get("status"),
                "failures": result.get("failures"),
                "generated_at": generated,
                "run": label,
            }
    return latest
