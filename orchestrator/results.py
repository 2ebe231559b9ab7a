"""Reading dbt's documented artifacts: manifest.json (which models and snapshots are ETL
entities, what they depend on, which tests guard them) and run_results.json (what happened
to each node).
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

# Resource types that can be ETL entities: the entity models, and the snapshots that keep
# the history (snapshots/_snapshots.yml, meta.etl kind: snapshot).
ENTITY_RESOURCE_TYPES = ("model", "snapshot")


@dataclass(frozen=True)
class Entity:
    """An ETL entity: a model or snapshot whose config carries meta.etl."""

    name: str
    unique_id: str
    relation_schema: str
    etl: dict[str, Any]


@dataclass(frozen=True)
class SourceTable:
    """A source table (schema.table), as the pre-flight checks it."""

    source_name: str
    schema: str
    table: str

    @property
    def label(self) -> str:
        return f"{self.schema}.{self.table}"


@dataclass
class Project:
    """What the orchestrator needs from the manifest."""

    entities: dict[str, Entity]
    parents: dict[str, list[str]]
    sources: dict[str, SourceTable]
    tests_of: dict[str, list[str]] = field(default_factory=dict)

    def upstream_sources(self, entity_names: list[str]) -> list[SourceTable]:
        """Source tables the given entities read, directly or through other models."""
        seen: set[str] = set()
        todo = deque(self.entities[name].unique_id for name in entity_names)
        found: dict[str, SourceTable] = {}
        while todo:
            node = todo.popleft()
            if node in seen:
                continue
            seen.add(node)
            if node in self.sources:
                found[node] = self.sources[node]
            todo.extend(self.parents.get(node, []))
        return sorted(found.values(), key=lambda source: source.label)


def load_project(manifest_path: Path) -> Project:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entities: dict[str, Entity] = {}
    parents: dict[str, list[str]] = {}
    tests_of: dict[str, list[str]] = {}
    for unique_id, node in manifest.get("nodes", {}).items():
        parents[unique_id] = list(node.get("depends_on", {}).get("nodes", []))
        if node.get("resource_type") in ENTITY_RESOURCE_TYPES:
            etl = (node.get("config", {}).get("meta") or {}).get("etl")
            if etl:
                entities[node["name"]] = Entity(node["name"], unique_id, node["schema"], etl)
        elif node.get("resource_type") == "test":
            for parent in parents[unique_id]:
                tests_of.setdefault(parent, []).append(unique_id)
    sources = {
        unique_id: SourceTable(node["source_name"], node["schema"], node["identifier"])
        for unique_id, node in manifest.get("sources", {}).items()
    }
    return Project(entities=entities, parents=parents, sources=sources, tests_of=tests_of)


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    status: str
    message: str | None
    started_at: datetime | None
    finished_at: datetime | None


@dataclass
class RunResults:
    invocation_id: str
    results: dict[str, NodeResult]

    def failures(self) -> list[NodeResult]:
        return [r for r in self.results.values() if r.status in ("error", "fail", "runtime error")]


def _timestamp(raw: str | None) -> datetime | None:
    if not raw:
        return None
    return datetime.fromisoformat(raw.replace("Z", "+00:00")).replace(tzinfo=None)


def load_run_results(path: Path) -> RunResults | None:
    """run_results.json of an invocation, or None if dbt did not get that far."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    results: dict[str, NodeResult] = {}
    for item in data.get("results", []):
        timings = [t for t in item.get("timing", []) if t.get("started_at")]
        results[item["unique_id"]] = NodeResult(
            unique_id=item["unique_id"],
            status=str(item.get("status")),
            message=item.get("message"),
            started_at=_timestamp(timings[0]["started_at"]) if timings else None,
            finished_at=_timestamp(timings[-1].get("completed_at")) if timings else None,
        )
    return RunResults(
        invocation_id=data.get("metadata", {}).get("invocation_id", ""), results=results
    )


@dataclass(frozen=True)
class TestCounts:
    passed: int = 0
    warned: int = 0
    failed: int = 0


def entity_tests(project: Project, run: RunResults, entity: str) -> TestCounts:
    """Results of the data tests whose depends_on includes the entity model."""
    passed = warned = failed = 0
    for test_id in project.tests_of.get(project.entities[entity].unique_id, []):
        result = run.results.get(test_id)
        if result is None:
            continue
        if result.status == "pass":
            passed += 1
        elif result.status == "warn":
            warned += 1
        elif result.status in ("fail", "error"):
            failed += 1
    return TestCounts(passed, warned, failed)
