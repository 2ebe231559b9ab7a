"""Whether the manifest dbt left in a run's target path still describes the project, so the
orchestrator reads it instead of starting dbt once more for `dbt parse`.

A manifest is current when nothing it is made of changed since dbt wrote it: the project's
files (dbt_project.yml, profiles.yml, and every file under the model, macro, seed,
snapshot, test and analysis paths dbt_project.yml names), the environment variables the
project reads (`env_var('...')`) and dbt's own (DBT_*), the run's target and vars, and the
installed dbt packages. Their digest is kept beside the manifest, in manifest.fingerprint:
written after a dbt invocation rewrote the manifest while none of them changed, removed
when an invocation rewrote it otherwise (or failed), so a stale manifest is never read.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from orchestrator.config import RunConfig

log = logging.getLogger(__name__)

FINGERPRINT_FILE = "manifest.fingerprint"
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "dependencies.yml")
# dbt_project.yml keys of the folders dbt parses, with dbt's defaults
PATH_KEYS = {
    "model-paths": ["models"],
    "macro-paths": ["macros"],
    "seed-paths": ["seeds"],
    "snapshot-paths": ["snapshots"],
    "test-paths": ["tests"],
    "analysis-paths": ["analyses"],
}
_ENV_VAR = re.compile(rb"""env_var\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]""")


def _project_files(root: Path) -> Iterator[Path]:
    project = yaml.safe_load((root / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    yield from (root / name for name in PROJECT_FILES if (root / name).is_file())
    for key, default in PATH_KEYS.items():
        for folder in project.get(key, default):
            yield from sorted(path for path in (root / folder).rglob("*") if path.is_file())


@cache
def _dbt_packages() -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(
            (dist.metadata["Name"], dist.version)
            for dist in importlib.metadata.distributions()
            if str(dist.metadata["Name"]).lower().startswith("dbt")
        )
    )


def fingerprint(config: RunConfig, dbt_vars: dict[str, Any]) -> str:
    """The digest of everything the manifest of `config`'s project is made of."""
    digest = hashlib.sha256()
    names: set[str] = set()
    for path in _project_files(config.repo_root):
        data = path.read_bytes()
        digest.update(path.relative_to(config.repo_root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
        names.update(name.decode() for name in _ENV_VAR.findall(data))
    environment = {
        name: value
        for name, value in os.environ.items()
        if name in names or name.startswith("DBT_")
    }
    state = {
        "target": config.target,
        "vars": dbt_vars,
        "environment": environment,
        "dbt": _dbt_packages(),
    }
    digest.update(json.dumps(state, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def current_manifest(config: RunConfig, dbt_vars: dict[str, Any]) -> Path | None:
    """The manifest in the target path if it describes the project as it is now, else None."""
    manifest = config.target_path / "manifest.json"
    try:
        recorded = (config.target_path / FINGERPRINT_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    if not manifest.is_file() or recorded != fingerprint(config, dbt_vars):
        return None
    log.info("dbt manifest is current, not parsing: %s", manifest)
    return manifest


@dataclass(frozen=True)
class Before:
    """The project and the manifest as a dbt invocation starts."""

    fingerprint: str
    manifest_mtime: int | None


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def before_dbt(config: RunConfig, dbt_vars: dict[str, Any]) -> Before:
    return Before(fingerprint(config, dbt_vars), _mtime(config.target_path / "manifest.json"))


def after_dbt(config: RunConfig, dbt_vars: dict[str, Any], before: Before, returncode: int) -> None:
    """Record the fingerprint of a manifest dbt just wrote, if the project did not change
    while it ran and it did not crash; forget it if dbt rewrote the manifest otherwise."""
    if _mtime(config.target_path / "manifest.json") == before.manifest_mtime:
        return  # this invocation did not write the manifest
    stored = config.target_path / FINGERPRINT_FILE
    if returncode in (0, 1) and fingerprint(config, dbt_vars) == before.fingerprint:
        stored.write_text(before.fingerprint, encoding="utf-8")
    else:
        stored.unlink(missing_ok=True)
