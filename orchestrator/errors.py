"""The orchestrator's exit codes and its own exceptions, each with the exit code it ends the
run with.

The error taxonomy (failure message -> category, reason, action) lives in
observability/taxonomy.py, below the orchestrator and the dashboards, which both read it;
its names are re-exported here for the orchestrator's callers.
"""

from __future__ import annotations

from observability.taxonomy import CATEGORIES, classify

__all__ = [
    "CATEGORIES",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_USAGE",
    "LockHeldError",
    "OrchestratorError",
    "UsageError",
    "classify",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_INTERRUPTED = 130


class OrchestratorError(Exception):
    """An error that ends the run with a one-line message and an exit code."""

    exit_code = EXIT_FAILED


class UsageError(OrchestratorError):
    """Bad arguments or configuration (unknown entity, invalid override, unreachable or
    incomplete database): nothing was run."""

    exit_code = EXIT_USAGE


class LockHeldError(OrchestratorError):
    """Another run holds this warehouse."""

    exit_code = EXIT_LOCKED
