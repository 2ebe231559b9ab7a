"""Running dbt as a subprocess and streaming its JSON log events.

Why a subprocess and not `dbtRunner` in-process:

- Isolation of the warehouse file. dbt-duckdb keeps its DuckDB instance open in the
  process between invocations (a class-level environment). DuckDB allows one writing
  process, so the orchestrator could not open the same file for its own audit writes
  while (or after) dbt holds it, short of reaching into dbt-duckdb internals. A child
  process releases the file when it exits, always.
- A clean interruption boundary. Ctrl-C / SIGTERM are forwarded to the child as SIGINT,
  which dbt handles (it cancels the query in flight, the model's transaction rolls back);
  the orchestrator stays alive to close the audit and release the lock. If the
  orchestrator itself is killed, the child gets SIGTERM from the kernel (Linux
  PR_SET_PDEATHSIG), so no orphaned dbt keeps writing.
- One invocation at a time, with its own target path, log path and environment; a dbt
  crash (even an interpreter-level one) cannot take the orchestrator down with it.

The price is a second Python start-up (about a second), negligible next to a load.

Spark in session mode is the exception: its JVM holds the metastore, so dbt runs in the
orchestrator's process and session (InProcessDbtInvocation, orchestrator/spark.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestrator import manifest_cache
from orchestrator.config import RunConfig

log = logging.getLogger(__name__)

EventHandler = Callable[[dict[str, Any]], None]
# After forwarding an interrupt, how long dbt gets to roll back before SIGTERM, then SIGKILL.
INTERRUPT_GRACE_SECONDS = 30.0
PR_SET_PDEATHSIG = 1


@dataclass
class DbtOutcome:
    """How one dbt invocation ended."""

    returncode: int
    invocation_id: str = ""
    interrupted: bool = False
    errors: list[str] = field(default_factory=list)
    stderr_tail: str = ""

    @property
    def crashed(self) -> bool:
        """dbt itself broke (2 = exception / bad invocation) rather than nodes failing (1)."""
        return self.returncode not in (0, 1)

    def error_text(self) -> str:
        text = " | ".join(line for line in self.errors if line) or self.stderr_tail
        return text.strip() or f"dbt exited with code {self.returncode}"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(Exception):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def dbt_command(config: RunConfig, subcommand: list[str], dbt_vars: dict[str, Any]) -> list[str]:
    """The full dbt command line of one invocation of this run."""
    return [
        str(config.dbt_executable),
        *subcommand,
        "--project-dir",
        str(config.repo_root),
        "--profiles-dir",
        str(config.repo_root),
        "--target",
        config.target,
        "--target-path",
        str(config.target_path),
        "--log-path",
        str(config.target_path / "logs"),
        "--log-format",
        "json",
        "--no-use-colors",
        "--vars",
        json.dumps(dbt_vars, sort_keys=True),
    ]


class DbtInvocation:
    """One dbt subprocess: started, streamed, interruptible."""

    def __init__(
        self,
        command: list[str],
        cwd: Path,
        on_event: EventHandler | None = None,
        extra_env: dict[str, str] | None = None,
    ):
        self.command = command
        self.cwd = cwd
        self.on_event = on_event
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen[str] | None = None
        self.interrupted = False
        self._interrupts = 0

    def run(self) -> DbtOutcome:
        if self.interrupted:
            return DbtOutcome(returncode=130, interrupted=True)
        env = {
            **os.environ,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        log.debug("dbt command: %s", " ".join(self.command))
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            start_new_session=True,  # Ctrl-C reaches the orchestrator only; it forwards
            preexec_fn=_die_with_parent,
        )
        stderr_tail: deque[str] = deque(maxlen=20)
        reader = threading.Thread(
            target=lambda: stderr_tail.extend(self.process.stderr or []),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        outcome = DbtOutcome(returncode=0)
        assert self.process.stdout is not None
        for line in self.process.stdout:
            event = _parse(line)
            if event is None:
                if line.strip():
                    log.debug("dbt: %s", line.rstrip())
                continue
            _take_event(outcome, event, self.on_event)
        outcome.returncode = self.process.wait()
        reader.join(timeout=5)
        outcome.stderr_tail = "".join(stderr_tail)[-2000:]
        outcome.interrupted = self.interrupted
        return outcome

    def interrupt(self) -> None:
        """Forward an operator interrupt: SIGINT first (dbt rolls back the model in flight),
        SIGTERM on the second, SIGKILL on the third."""
        self.interrupted = True
        self._interrupts += 1
        if self.process is None or self.process.poll() is not None:
            return
        sig = {1: signal.SIGINT, 2: signal.SIGTERM}.get(self._interrupts, signal.SIGKILL)
        log.info("forwarding %s to dbt (pid %s)", sig.name, self.process.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        if self._interrupts == 1:
            timer = threading.Timer(INTERRUPT_GRACE_SECONDS, self._escalate)
            timer.daemon = True
            timer.start()

    def _escalate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.interrupt()

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid


class InProcessDbtInvocation:
    """One dbt command in this process (dbtRunner), for Spark in session mode, where dbt
    must use the orchestrator's own Spark session (orchestrator/spark.py). Events reach
    `on_event` as the dicts the JSON log lines of a subprocess hold; an interrupt cancels
    the Spark statement in flight and stops dbt (KeyboardInterrupt in the main thread, where
    signal handlers and dbt both run)."""

    pid = None

    def __init__(
        self,
        command: list[str],
        on_event: EventHandler | None = None,
        extra_env: dict[str, str] | None = None,
    ):
        # without the dbt executable; the events reach the callback, not this stdout
        self.args = [*command[1:], "--log-level", "none"]
        self.on_event = on_event
        self.extra_env = extra_env or {}
        self.interrupted = False
        self.running = False

    def run(self) -> DbtOutcome:
        from dbt.cli.main import dbtRunner
        from dbt_common.events.functions import msg_to_json

        if self.interrupted:
            return DbtOutcome(returncode=130, interrupted=True)
        outcome = DbtOutcome(returncode=0)

        def callback(message: Any) -> None:
            event = json.loads(msg_to_json(message))
            # a callback gets every event: keep those a subprocess prints (info and up)
            if event.get("info", {}).get("level") != "debug":
                _take_event(outcome, event, self.on_event)

        saved = {key: os.environ.get(key) for key in self.extra_env}
        os.environ.update(self.extra_env)
        self.running = True
        try:
            result = dbtRunner(callbacks=[callback]).invoke(self.args)
        finally:
            self.running = False
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        if isinstance(result.exception, KeyboardInterrupt):
            self.interrupted = True
        elif result.exception is not None:
            outcome.errors.append(str(result.exception).strip())
        # dbt's CLI codes: 0 success, 1 nodes failed, 2 dbt itself failed
        outcome.returncode = 0 if result.success else (1 if result.exception is None else 2)
        if self.interrupted:
            outcome.returncode = 130
        outcome.interrupted = self.interrupted
        return outcome

    def interrupt(self) -> None:
        self.interrupted = True
        if not self.running:
            return
        from orchestrator.spark import session

        session().sparkContext.cancelAllJobs()
        raise KeyboardInterrupt


def _take_event(outcome: DbtOutcome, event: dict[str, Any], on_event: EventHandler | None) -> None:
    """One of dbt's events: its invocation id and error lines go to `outcome`, the event to
    `on_event` (the live progress)."""
    info = event.get("info", {})
    outcome.invocation_id = outcome.invocation_id or info.get("invocation_id", "")
    if info.get("level") == "error" and info.get("msg"):
        outcome.errors.append(str(info["msg"]).strip())
    if on_event is not None:
        try:
            on_event(event)
        except Exception:  # progress display must never stop the load
            log.exception("progress handler failed")


def _parse(line: str) -> dict[str, Any] | None:
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        event = json.loads(text)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


def run_dbt(
    config: RunConfig,
    subcommand: list[str],
    dbt_vars: dict[str, Any],
    on_event: EventHandler | None = None,
    on_start: Callable[[DbtInvocation | InProcessDbtInvocation], None] | None = None,
) -> DbtOutcome:
    """Run one dbt command of this run to completion. The run id reaches the macros as
    ETL_RUN_ID; a run_results.json left by an earlier run is removed first, and the
    manifest dbt writes is recorded as current or not (manifest_cache)."""
    (config.target_path / "run_results.json").unlink(missing_ok=True)
    command = dbt_command(config, subcommand, dbt_vars)
    invocation: DbtInvocation | InProcessDbtInvocation
    if config.target == "spark":
        invocation = InProcessDbtInvocation(command, on_event, {"ETL_RUN_ID": config.run_id})
    else:
        invocation = DbtInvocation(
            command, config.repo_root, on_event, extra_env={"ETL_RUN_ID": config.run_id}
        )
    if on_start is not None:
        on_start(invocation)
    before = manifest_cache.before_dbt(config, dbt_vars)
    outcome = invocation.run()
    manifest_cache.after_dbt(config, dbt_vars, before, outcome.returncode)
    return outcome
