"""The flow of one orchestrated run: discover the entities, plan, take the warehouse
lock, check the source, run dbt, and write the audit from dbt's results (or recover the
runs a dead process left open). The command line is orchestrator/cli.py."""

from __future__ import annotations

import os
import shutil
import signal
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from orchestrator import summary
from orchestrator.audit import AuditWriter, RunRecord
from orchestrator.config import (
    RunConfig,
    duckdb_source_path,
    duckdb_warehouse_path,
    from_repo,
    spark_dir,
    spark_source_dir,
    started_by,
)
from orchestrator.connection_audit import ConnectionAudit, fallback_dir_for
from orchestrator.dbt_invoke import DbtInvocation, DbtOutcome, InProcessDbtInvocation, run_dbt
from orchestrator.errors import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    UsageError,
    classify,
)
from orchestrator.lock import FileLock, LockHeldError, LockInfo, ServerLock, held_message
from orchestrator.manifest_cache import current_manifest
from orchestrator.outcomes import (
    INTERRUPTED_MESSAGE,
    dag_order,
    entity_outcomes,
    first_line,
    non_entity_failures,
    recover_dead_runs,
    utcnow,
)
from orchestrator.progress import ProgressTracker
from orchestrator.results import Project, load_project, load_run_results
from orchestrator.warehouse import Db, describe, open_connection

RUN_DIRS_KEPT = 20  # target/runs/<run_id> directories kept for inspection


def say(text: str) -> None:
    """The CLI's user-facing output (stdout, flushed: it interleaves with live progress)."""
    print(text, flush=True)


@dataclass
class _Plan:
    requested: list[str]
    inactive: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    @property
    def to_load(self) -> list[str]:
        return [entity for entity in self.requested if entity not in self.inactive]


class Orchestrator:
    """One run: discover, lock, pre-flight, audit open, dbt, audit close, release."""

    def __init__(self, config: RunConfig) -> None:
        self.config = config
        self.db: Db | None = None
        self.lock_db: Db | None = None
        self.file_lock: FileLock | None = None
        self.server_lock: ServerLock | None = None
        self.invocation: DbtInvocation | InProcessDbtInvocation | None = None
        self.interrupted = False
        self.in_dbt_phase = False
        self.connections = ConnectionAudit(
            config.target, config.run_id, fallback_dir_for(config.data_dir)
        )
        self.progress: ProgressTracker | None = None

    # --- connections --------------------------------------------------------------------

    def _connect(self) -> Db:
        try:
            conn = open_connection(self.config.target)
        except Exception as exc:
            message = first_line(str(exc))
            self.connections.failed(message)
            category = classify(message)
            raise UsageError(
                f"cannot connect to {describe(self.config.target)} [{category.category}]: {message}"
            ) from None
        db = Db(conn, self.config.target)
        self.connections.connected(db)
        return db

    def _close_db(self) -> None:
        if self.db is not None and self.db is not self.lock_db:
            self.db.close()
        self.db = None

    def _reopen(self) -> Db:
        if self.db is None:
            self.db = self.lock_db if self.lock_db is not None else self._connect()
        return self.db

    # --- signals ------------------------------------------------------------------------

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.interrupted = True
        if self.invocation is not None:
            self.invocation.interrupt()
        elif not self.in_dbt_phase:
            raise KeyboardInterrupt

    def _install_signals(self) -> None:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)

    # --- the run ------------------------------------------------------------------------

    def discover(self) -> Project:
        """The entities, from dbt's manifest: the one in this run's target path if it is
        current (manifest_cache), else `dbt parse` writes it there."""
        manifest = current_manifest(self.config, self.config.dbt_vars())
        if manifest is None:
            outcome = run_dbt(self.config, ["parse"], self.config.dbt_vars())
            manifest = self.config.target_path / "manifest.json"
            if outcome.returncode != 0 or not manifest.exists():
                raise UsageError(f"dbt parse failed: {first_line(outcome.error_text())}")
        return load_project(manifest)

    def plan(self, project: Project) -> _Plan:
        valid = sorted(project.entities)
        if self.config.entities is None:
            requested = dag_order(project, valid)
        else:
            unknown = [name for name in self.config.entities if name not in project.entities]
            if unknown:
                raise UsageError(
                    f"unknown entity {', '.join(unknown)}; valid entities: all, {', '.join(valid)}"
                )
            requested = dag_order(project, list(self.config.entities))
        return _Plan(requested=requested)

    def acquire_lock(self) -> LockInfo | None:
        me = LockInfo(self.config.run_id, os.getpid(), started_by().split("@", 1)[1], "")
        me = LockInfo(me.run_id, me.pid, me.host, utcnow().isoformat(timespec="seconds"))
        lock_file = _lock_file(self.config.target)
        if lock_file is not None:
            lock_file.parent.mkdir(parents=True, exist_ok=True)
            self.file_lock = FileLock(lock_file, me)
            return self.file_lock.acquire()
        assert self.lock_db is not None
        self.server_lock = ServerLock(self.lock_db)
        holder = self.server_lock.acquire()
        if holder is not None:
            raise LockHeldError(held_message(holder))
        return None

    def release(self) -> None:
        if self.server_lock is not None:
            self.server_lock.release()
        if self.file_lock is not None:
            self.file_lock.release()
        if self.db is not None and self.db is not self.lock_db:
            self.db.close()
        if self.lock_db is not None:
            self.lock_db.close()
        self.db = self.lock_db = None

    def preflight_source(self, project: Project, plan: _Plan) -> None:
        """Every source table the entities read must exist: name the first missing one."""
        tables = project.upstream_sources(plan.to_load)
        target = self.config.target
        if target == "duckdb":
            import duckdb

            source = duckdb_source_path()
            if not source.exists():
                raise UsageError(
                    f"source database missing: {source} (ETL_OLTP_DUCKDB_PATH); "
                    "generate it with `python -m generator`"
                )
            try:
                conn = duckdb.connect(str(source), read_only=True)
            except duckdb.Error as exc:
                raise UsageError(f"cannot open source {source}: {first_line(str(exc))}") from None
            check = Db(conn, "duckdb")
            try:
                missing = [t for t in tables if not check.table_exists(t.schema, t.table)]
            finally:
                conn.close()
            where = str(source)
        elif target == "spark":
            # each source table is a file Spark reads in place: parquet.`<path>`
            missing = [t for t in tables if not from_repo(t.table.strip("`")).exists()]
            where = f"{spark_source_dir()} (ETL_SPARK_SOURCE_DIR); generate it with"
            where += " `python -m generator --target spark`"
        else:
            db = self._reopen()
            catalog = os.environ.get("ETL_OLTP_DATABASE", "ECOMMERCE_OLTP")
            missing = [
                t
                for t in tables
                if not db.table_exists(
                    t.schema, t.table, catalog if target == "sqlserver" else None
                )
            ]
            where = describe(target)
        if missing:
            names = ", ".join(t.label for t in missing)
            raise UsageError(f"source table missing: {names} (in {where})")

    def execute(self) -> int:
        config = self.config
        self._install_signals()
        project = self.discover()
        plan = self.plan(project)
        stale: LockInfo | None = None
        if _lock_file(config.target) is not None:
            stale = self.acquire_lock()
            self.db = self._connect()
        else:
            self.lock_db = self._connect()
            self.db = self.lock_db
            stale = self.acquire_lock()
        try:
            return self._locked_run(project, plan, stale)
        finally:
            self.release()

    def _locked_run(self, project: Project, plan: _Plan, stale: LockInfo | None) -> int:
        config = self.config
        db = self._reopen()
        writer = AuditWriter(db)
        if config.target == "spark":
            self._ensure_spark_objects(writer)
        else:
            writer.ensure_objects()
        if config.target == "sqlserver":
            self.connections.install_sqlserver_procedures(db)
        self.connections.flush(db)
        for line in recover_dead_runs(writer, self.config.run_id, stale, project):
            say(line)
        if stale is not None and _lock_file(self.config.target) is not None:
            say(f"removed stale lock of {stale.describe()}")
        self.preflight_source(project, plan)
        inactive = writer.inactive_entities()
        plan.inactive = [entity for entity in plan.requested if entity in inactive]
        for entity in plan.inactive:
            say(f"skipping inactive entity {entity} (ctl.etl_control.is_active = false)")
        if not config.dry_run and config.entities is not None:
            # a subset: upstream entity models already built are not reloaded
            plan.exclude = [
                name
                for name, entity in project.entities.items()
                if name not in plan.to_load and db.table_exists(entity.relation_schema, name)
            ]
        elif not config.dry_run:
            plan.exclude = list(plan.inactive)

        run = RunRecord(
            run_id=config.run_id,
            entities_requested=config.entities_requested,
            started_by=started_by(),
            started_at=utcnow(),
            is_dry_run=config.dry_run,
            target=config.target,
            pid=os.getpid(),
            full_refresh=config.full_refresh,
            full_checks=config.checks_whole_warehouse,
            batch_size=config.overrides.batch_size,
            cutoff_minutes=config.overrides.cutoff_minutes,
            max_batches=config.overrides.max_batches,
        )
        writer.open_run(run)
        self.connections.snapshot(db, "start")
        needs_objects = config.dry_run and not writer.windows_exist()
        self.progress = ProgressTracker(config.run_id, plan.to_load, self._progress_path())
        for entity in plan.inactive:
            self.progress.mark(entity, "inactive")
        self.progress.write()
        mode = "dry run" if config.dry_run else "run"
        say(
            f"{mode} {config.run_id} on {config.target}: "
            f"{', '.join(plan.to_load) or '(nothing to load)'}"
        )

        outcome: DbtOutcome | None = None
        try:
            if config.target == "duckdb":
                self._close_db()  # dbt needs the file: one writer process at a time
            self.in_dbt_phase = True
            if plan.to_load:
                outcome = self._run_dbt(plan, needs_objects)
        except KeyboardInterrupt:
            self.interrupted = True
        finally:
            self.invocation = None
        return self._finish(project, plan, run, outcome)

    def _ensure_spark_objects(self, writer: AuditWriter) -> None:
        """The control and audit tables on Spark are created by dbt (ensure_etl_objects, in
        this process's session): their one definition there drops what Spark's DDL lacks
        (keys, checks, defaults), which the orchestrator's own DDL would repeat."""
        if writer.db.table_exists("audit", "etl_run"):
            return
        outcome = run_dbt(
            self.config, ["run-operation", "ensure_etl_objects"], self.config.dbt_vars()
        )
        if outcome.returncode != 0:
            raise UsageError(
                f"cannot create the audit tables on spark: {first_line(outcome.error_text())}"
            )

    def _run_dbt(self, plan: _Plan, needs_objects: bool) -> DbtOutcome:
        config = self.config
        assert self.progress is not None

        def started(invocation: DbtInvocation | InProcessDbtInvocation) -> None:
            self.invocation = invocation
            if self.interrupted:
                invocation.interrupt()

        if needs_objects:
            prepared = run_dbt(
                config, ["run-operation", "ensure_etl_objects"], config.dbt_vars(), None, started
            )
            if prepared.returncode != 0 or self.interrupted:
                return prepared
        if config.dry_run:
            command = ["compile", "--select", *plan.to_load]
        else:
            command = ["build"]
            if config.entities is not None:
                # cautious: a test runs only if every model it reads is selected (a
                # relationship test to a fact not built yet would fail otherwise)
                command += ["--select", *(f"+{entity}" for entity in plan.to_load)]
                command += ["--indirect-selection", "cautious"]
            exclude = list(plan.exclude)
            if not config.checks_whole_warehouse:
                # an incremental run tests the rows it loads (etl_test_scope); dbt's unit
                # tests (fixed inputs, not the data) and the intermediate models' tests
                # (the transformation over the whole source) run on full checks
                command += ["--exclude-resource-type", "unit_test"]
                exclude.append("resource_type:test,path:models/intermediate")
            if exclude:
                command += ["--exclude", *exclude]
            if config.full_refresh:
                command.append("--full-refresh")

        def on_start(invocation: DbtInvocation | InProcessDbtInvocation) -> None:
            started(invocation)

        tracker = self.progress
        outcome = run_dbt(config, command, config.dbt_vars(), tracker.handle_event, on_start)
        return outcome

    def _progress_path(self) -> Path:
        if self.config.target == "duckdb":
            path = duckdb_warehouse_path()
            return path.with_name(path.name + ".progress.json")
        from orchestrator.warehouse import database_name

        state_dir = fallback_dir_for(self.config.data_dir)  # data/, or ETL_CONNECTION_AUDIT_DIR
        state_dir.mkdir(parents=True, exist_ok=True)
        name = f"progress.{self.config.target}.{database_name(self.config.target)}.json"
        return state_dir / name

    # --- closing ------------------------------------------------------------------------

    def _finish(
        self, project: Project, plan: _Plan, run: RunRecord, outcome: DbtOutcome | None
    ) -> int:
        config = self.config
        self.in_dbt_phase = True  # from here on, signals only set the flag
        run_results_path = config.target_path / "run_results.json"
        run_results = load_run_results(run_results_path)
        if run_results_path.exists():
            config.run_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(run_results_path, config.run_dir / "run_results.json")
        invocation_id = (run_results.invocation_id if run_results else "") or (
            outcome.invocation_id if outcome else ""
        )
        db = self._reopen()
        writer = AuditWriter(db)
        windows = writer.windows(invocation_id)
        now = utcnow()
        crash_message: str | None = None
        if self.interrupted:
            crash_message = INTERRUPTED_MESSAGE
        elif outcome is not None and (outcome.crashed or run_results is None):
            crash_message = f"dbt falhou: {first_line(outcome.error_text())}"

        outcomes = entity_outcomes(
            project, plan.requested, plan.inactive, config.dry_run, run_results, windows,
            crash_message, outcome, run.started_at, now,
        )  # fmt: skip
        if crash_message is not None:
            writer.fail_planned_windows(config.run_id, crash_message, now)
        for item in outcomes:
            if item.status == "skipped" or (item.status == "failed" and item.entity not in windows):
                writer.mark_control(item.entity, item.status, config.run_id, now)
            elif item.status == "failed" and windows[item.entity].status == "planned":
                writer.mark_control(item.entity, "failed", config.run_id, now)

        failures = [item for item in outcomes if item.counts_as_failure]
        successes = [item for item in outcomes if item.succeeded]
        other_failures = non_entity_failures(project, run_results)
        if crash_message is not None or (failures and not successes):
            status = "failed"
        elif failures or other_failures:
            status = "partial"
        else:
            status = "success"
        messages = [crash_message] if crash_message else []
        messages += [
            f"{item.entity}: [{item.error_category}] {first_line(item.error_message or '')}"
            for item in failures
            if item.status == "failed" and item.error_message != crash_message
        ]
        messages += other_failures
        writer.write_entities(config.run_id, outcomes, invocation_id or None)
        writer.close_run(
            config.run_id,
            status,
            utcnow(),
            len(successes),
            len(failures),
            " | ".join(messages) if messages else None,
            invocation_id or None,
        )
        self.connections.snapshot(db, "end" if status == "success" else "failure")
        self.connections.flush(db)
        if self.progress is not None:
            self.progress.finish(status)

        say(f"run {config.run_id}: {status}")
        if outcomes:
            say(summary.format_run_table(outcomes))
        for item in failures:
            if item.status == "failed":
                say(
                    f"  {item.entity} failed [{item.error_category}]: "
                    f"{first_line(item.error_message or '')}\n    -> {item.error_action}"
                )
        for line in other_failures:
            say(f"  {line}")
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_OK if status == "success" else EXIT_FAILED


def _lock_file(target: str) -> Path | None:
    """The lock file of a warehouse on this machine (DuckDB's file, Spark's directory in
    session mode, whose metastore admits one process anyway); None: the server locks."""
    if target == "duckdb":
        path = duckdb_warehouse_path()
        return path.with_name(path.name + ".lock")
    if target == "spark":
        return spark_dir() / "warehouse.lock"
    return None


def prune_run_dirs(runs_dir: Path, keep: int) -> None:
    """Keep the newest `keep` per-run artifact folders."""
    try:
        dirs = sorted(
            (path for path in runs_dir.iterdir() if path.is_dir()),
            key=lambda path: path.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return
    for old in dirs[keep:]:
        shutil.rmtree(old, ignore_errors=True)
