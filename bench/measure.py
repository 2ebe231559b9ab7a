"""Running one measured command: wall time, peak memory of its process tree, exit status.

Every figure of the benchmark is a subprocess, timed from just before it is started to
just after it is reaped (`time.perf_counter`).

Memory, without psutil (not a project dependency):

- `peak_tree_rss`: a sampler thread reads `/proc/<pid>/status` (VmRSS) of the command and
  of all its descendants every `POLL_SECONDS` and keeps the largest sum. This is what
  "peak memory" means for the orchestrator, whose dbt child holds DuckDB's memory while
  the orchestrator itself waits. Sampling can miss a spike shorter than the interval.
- `max_single_rss`: the exact high-water mark the kernel reports through `os.wait4` for
  the command and its reaped descendants (`ru_maxrss`: the largest single process, not a
  sum). A lower bound of the tree's peak, exact where sampling is not.
"""

from __future__ import annotations

import logging
import os
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class CommandFailed(RuntimeError):
    """A measured command exited non-zero: a benchmark on a broken load means nothing."""


@dataclass(frozen=True)
class Measurement:
    """One run of one command."""

    command: tuple[str, ...]
    wall_seconds: float
    returncode: int
    peak_tree_rss_bytes: int
    max_single_rss_bytes: int
    stdout: str
    stderr: str

    @property
    def peak_rss_bytes(self) -> int:
        return max(self.peak_tree_rss_bytes, self.max_single_rss_bytes)


@dataclass(frozen=True)
class Stats:
    """Median, min and max of the repetitions of one figure."""

    median: float
    min: float
    max: float
    n: int
    samples: tuple[float, ...]

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        if not samples:
            raise ValueError("no samples")
        values = tuple(float(value) for value in samples)
        return cls(statistics.median(values), min(values), max(values), len(values), values)


def _children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc (any thread may be the parent)."""
    found: list[int] = []
    task_dir = Path(f"/proc/{pid}/task")
    try:
        tids = [entry.name for entry in task_dir.iterdir()]
    except OSError:
        return found
    for tid in tids:
        try:
            found += [int(part) for part in (task_dir / tid / "children").read_text().split()]
        except OSError:
            return _children_by_scan(pid)
    return found


def _children_by_scan(pid: int) -> list[int]:
    """Fallback where /proc/<pid>/task/<tid>/children is missing: scan /proc/*/stat."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may contain spaces and parentheses
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def tree_rss_bytes(root: int) -> int:
    """Resident memory of `root` and all its descendants now."""
    total, pending, seen = 0, [root], set()
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_bytes(pid)
        pending += _children(pid)
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            self.stop.wait(POLL_SECONDS)


def run_measured(
    command: Sequence[str],
    *,
    env: dict[str, str],
    cwd: Path,
    log_file: Path | None = None,
    check: bool = True,
) -> Measurement:
    """Run `command` to completion and measure it. stdout/stderr are kept (and written to
    `log_file` when given); with `check`, a non-zero exit raises CommandFailed."""
    out_path = Path(os.devnull) if log_file is None else log_file
    out_path.parent.mkdir(parents=True, exist_ok=True)
    err_path = out_path.with_suffix(out_path.suffix + ".err") if log_file else out_path
    log.debug("running %s", " ".join(command))
    with open(out_path, "w") as out, open(err_path, "w") as err:
        started = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=out, stderr=err)
        sampler = _Sampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
    returncode = os.waitstatus_to_exitcode(status)
    process.returncode = returncode  # reaped by wait4: keep Popen from waiting again
    stdout = "" if log_file is None else out_path.read_text(errors="replace")
    stderr = "" if log_file is None else err_path.read_text(errors="replace")
    measurement = Measurement(
        command=tuple(command),
        wall_seconds=wall,
        returncode=returncode,
        peak_tree_rss_bytes=sampler.peak,
        max_single_rss_bytes=usage.ru_maxrss * 1024,  # kilobytes on Linux
        stdout=stdout,
        stderr=stderr,
    )
    log.info("%.2f s, peak %.0f MiB: %s", wall, measurement.peak_rss_bytes / 2**20, command[-1])
    if check and returncode != 0:
        tail = (stderr or stdout)[-2000:]
        raise CommandFailed(f"exit {returncode}: {' '.join(command)}\n{tail}")
    return measurement
