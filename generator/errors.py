"""Errors the generator reports to its callers as one line, with the CLI exit code to use."""

from __future__ import annotations


class GeneratorError(Exception):
    """A failure with a one-line, user-facing message (runtime or connection: exit code 1)."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class UsageError(GeneratorError, ValueError):
    """Invalid arguments (bad scale, unknown target, ...): exit code 2."""

    exit_code = 2


def one_line(exc: BaseException) -> str:
    """The first non-empty line of an exception's text (driver errors are often multi-line)."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__
