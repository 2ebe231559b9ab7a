"""What the audit records of each entity of a run: its outcome, from dbt's results and
the load windows the entity's hooks recorded, and the closing of runs a dead process left
open. orchestrator/flow.py calls these once it holds the warehouse lock."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from orchestrator.audit import AuditWriter, EntityOutcome, Window
from orchestrator.dbt_invoke import DbtOutcome
from orchestrator.errors import classify
from orchestrator.lock import LockInfo
from orchestrator.results import Project, RunResults, entity_tests

log = logging.getLogger("orchestrator")

INTERRUPTED_MESSAGE = "interrompido pelo operador"
STALE_MESSAGE = "processo morreu (lock obsoleto de {pid})"


def utcnow() -> datetime:
    """Now in UTC, without a zone (the audit's timestamps)."""
    return datetime.now(UTC).replace(tzinfo=None)


def first_line(text: str) -> str:
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return str(text).strip()


def entity_outcomes(
    project: Project,
    requested: list[str],
    inactive: list[str],
    dry_run: bool,
    run_results: RunResults | None,
    windows: dict[str, Window],
    crash_message: str | None,
    outcome: DbtOutcome | None,
    started_at: datetime,
    now: datetime,
) -> list[EntityOutcome]:
    """Each entity's outcome of a run, from dbt's results and the load windows its hooks
    recorded (the windows say what committed when dbt stopped without results): the
    requested entities first, then any other the windows name, in dependency order."""
    names = list(requested)
    names += [name for name in dag_order(project, list(windows)) if name not in names]
    outcomes: list[EntityOutcome] = []
    for name in names:
        if name in inactive:
            outcomes.append(EntityOutcome(name, "inactive", is_dry_run=dry_run))
            continue
        entity = project.entities[name]
        window = windows.get(name)
        result = run_results.results.get(entity.unique_id) if run_results else None
        item = EntityOutcome(name, "failed", is_dry_run=dry_run)
        if window is not None:
            copy_window(item, window)
        if result is not None:
            item.started_at = result.started_at or item.started_at
            item.finished_at = result.finished_at or item.finished_at
            tests = entity_tests(project, run_results, name) if run_results else None
            if tests is not None:
                item.tests_passed = tests.passed
                item.tests_warned = tests.warned
                item.tests_failed = tests.failed
        if result is not None and result.status == "success":
            if dry_run:
                item.status = "dry_run"
            elif window is not None and window.status == "inactive":
                item.status = "inactive"
            else:
                item.status = "success"
        elif result is not None and result.status == "skipped":
            item.status = "skipped"
            item.error_message = "skipped: an upstream node failed in this invocation"
        elif result is not None:
            item.status = "failed"
            item.error_message = result.message or (window.error_message if window else None)
        elif window is not None and window.status in ("loaded", "dry_run"):
            # committed before dbt was stopped (no run_results.json when interrupted)
            item.status = "success" if window.status == "loaded" else "dry_run"
        else:
            item.status = "failed"
            item.error_message = crash_message or (
                f"not run by dbt: {first_line(outcome.error_text())}"
                if outcome is not None
                else "not run"
            )
        if item.status == "failed":
            category = classify(item.error_message)
            if item.error_message == INTERRUPTED_MESSAGE:
                category = classify("")
            item.error_category = category.category
            item.error_action = category.action
        item.started_at = item.started_at or started_at
        item.finished_at = item.finished_at or now
        outcomes.append(item)
    return outcomes


def recover_dead_runs(
    writer: AuditWriter, run_id_now: str, stale: LockInfo | None, project: Project
) -> list[str]:
    """Run `run_id_now` holds the lock: any other run still 'running' died without closing
    its audit. Its planned windows and the entities it had not finished are marked failed.
    Returns a line for the user per run closed."""
    said: list[str] = []
    for run_id, pid, who, _started in writer.running_runs(run_id_now):
        dead_pid = stale.pid if stale is not None and stale.run_id == run_id else pid
        message = STALE_MESSAGE.format(pid=dead_pid or who)  # a direct dbt run: no pid
        now = utcnow()
        log.warning("closing run %s: %s", run_id, message)
        said.append(f"recovered run {run_id}: {message}")
        writer.fail_planned_windows(str(run_id), message, now)
        written = writer.run_entities_written(str(run_id))
        outcomes: list[EntityOutcome] = []
        for entity, window in writer.windows_of_run(str(run_id)).items():
            if entity in written:
                continue
            item = EntityOutcome(entity, "success" if window.status == "loaded" else "failed")
            copy_window(item, window)
            item.started_at = window.planned_at
            item.finished_at = window.finished_at or now
            if item.status == "failed":
                item.error_message = message
                item.error_category = classify(message).category
                item.error_action = classify(message).action
                writer.mark_control(entity, "failed", str(run_id), now)
            outcomes.append(item)
        requested = writer.run_row(str(run_id))
        names = (
            list(project.entities)
            if requested is None or requested[2] == "all"
            else str(requested[2]).split(",")
        )
        seen = written | {item.entity for item in outcomes}
        for entity in dag_order(project, names):
            if entity in seen:
                continue
            category = classify(message)
            outcomes.append(
                EntityOutcome(
                    entity,
                    "failed",
                    finished_at=now,
                    error_message=message,
                    error_category=category.category,
                    error_action=category.action,
                )
            )
            writer.mark_control(entity, "failed", str(run_id), now)
        writer.write_entities(str(run_id), outcomes, None)
        succeeded = sum(1 for item in outcomes if item.succeeded)
        writer.close_run(
            str(run_id), "failed", now, succeeded, len(outcomes) - succeeded, message, None
        )
    return said


def copy_window(item: EntityOutcome, window: Window) -> None:
    item.load_kind = window.load_kind
    item.extracted = window.extracted
    item.upserted = window.upserted
    item.soft_deleted = window.soft_deleted
    item.quarantined = window.quarantined
    item.batches = window.batches
    item.backlog_after = window.backlog_after
    item.wm_from_ts, item.wm_from_id = window.wm_from_ts, window.wm_from_id
    item.wm_to_ts, item.wm_to_id = window.wm_to_ts, window.wm_to_id
    if window.error_message and not item.error_message:
        item.error_message = window.error_message


def dag_order(project: Project, names: list[str]) -> list[str]:
    """Entities in dependency order (an entity after the entities it reads), then by name."""
    depth: dict[str, int] = {}

    def entity_depth(name: str) -> int:
        if name not in depth:
            uid = project.entities[name].unique_id
            ups = [
                other
                for other, entity in project.entities.items()
                if entity.unique_id in project.parents.get(uid, [])
            ]
            depth[name] = 1 + max((entity_depth(other) for other in ups), default=0)
        return depth[name]

    known = [name for name in names if name in project.entities]
    return sorted(dict.fromkeys(known), key=lambda name: (entity_depth(name), name))


def non_entity_failures(project: Project, run_results: RunResults | None) -> list[str]:
    """Failed nodes that are not entity models (tests, views, hooks), one line each."""
    if run_results is None:
        return []
    entity_ids = {entity.unique_id for entity in project.entities.values()}
    return [
        # unique ids are <type>.<project>.<name>[.<hash>]: the name says which node
        f"{result.unique_id.split('.')[2]}: {result.status} {first_line(result.message or '')}"
        for result in run_results.failures()
        if result.unique_id not in entity_ids
    ][:10]
