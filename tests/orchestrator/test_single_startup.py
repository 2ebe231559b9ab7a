"""One dbt start-up per orchestrated run: the orchestrator reads the manifest dbt left in
the run's target path while nothing it is made of changed (orchestrator/manifest_cache.py),
and runs `dbt parse` first only otherwise. A stale manifest is never read."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestrator import manifest_cache
from orchestrator.config import RunConfig
from tests.dbt_harness import ROOT
from tests.orchestrator.conftest import Site

# what the orchestrator needs of the repository to run from a copy of it
PROJECT = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "snapshots",
    "tests/dbt",
    "orchestrator",
    "observability",
)
DIMS_YAML = Path("models/marts/dims/_dims__models.yml")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project, free to edit."""
    copy = tmp_path / "project"
    for name in PROJECT:
        source, target = ROOT / name, copy / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return copy


def _run(project: Path, site: Site) -> list[str]:
    """One orchestrated run from the copy; the dbt commands it started, in order."""
    result = subprocess.run(
        [sys.executable, "orchestrator/run.py", "--entity", "dim_regiao"],
        cwd=project,
        env={**site.env, "ETL_LOG_LEVEL": "DEBUG"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    marker = "dbt command: "
    return [
        line.split(marker, 1)[1].split()[1] for line in result.stderr.splitlines() if marker in line
    ]


def test_second_run_starts_dbt_once_and_a_changed_yaml_parses_again(
    site: Site, project: Path
) -> None:
    assert _run(project, site) == ["parse", "build"]  # a new target path: no manifest yet
    assert _run(project, site) == ["build"]

    yaml = project / DIMS_YAML
    yaml.write_text(yaml.read_text().replace("Customer dimension,", "Edited customer dimension,"))

    assert _run(project, site) == ["parse", "build"]
    (manifest,) = (project / "target" / "orchestrator").glob("duckdb-*/manifest.json")
    node = json.loads(manifest.read_text())["nodes"]["model.ecommerce_dw.dim_cliente"]
    assert node["description"].startswith("Edited customer dimension,")


# --- the fingerprint, without dbt ---------------------------------------------------------


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunConfig:
    """A project of one model reading an env var, and the config of a run over it."""
    (tmp_path / "dbt_project.yml").write_text("name: tiny\nmodel-paths: [models]\n")
    (tmp_path / "profiles.yml").write_text("tiny: {}\n")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.sql").write_text("select '{{ env_var('TINY_SETTING', '') }}' as s")
    (tmp_path / "analyses").mkdir()
    monkeypatch.setenv("TINY_SETTING", "a")
    config = RunConfig(entities=None, target="duckdb", repo_root=tmp_path)
    config.target_path.mkdir(parents=True)
    return config


def _dbt_writes_manifest(config: RunConfig, returncode: int = 0, edit: str = "") -> None:
    """What run_dbt records around one invocation that (re)writes the manifest."""
    before = manifest_cache.before_dbt(config, {})
    (config.target_path / "manifest.json").write_text(json.dumps({"nodes": {}, "n": edit}))
    if edit:
        (config.repo_root / "models" / "m.sql").write_text(edit)
    manifest_cache.after_dbt(config, {}, before, returncode)


def test_manifest_is_current_until_a_file_an_env_var_or_a_var_it_reads_changes(
    tiny: RunConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert manifest_cache.current_manifest(tiny, {}) is None  # never written
    _dbt_writes_manifest(tiny)
    assert manifest_cache.current_manifest(tiny, {}) == tiny.target_path / "manifest.json"

    monkeypatch.setenv("UNRELATED_SETTING", "x")
    assert manifest_cache.current_manifest(tiny, {}) is not None
    assert manifest_cache.current_manifest(tiny, {"etl_batch_size": "10"}) is None
    monkeypatch.setenv("TINY_SETTING", "b")
    assert manifest_cache.current_manifest(tiny, {}) is None
    monkeypatch.setenv("TINY_SETTING", "a")
    (tiny.repo_root / "analyses" / "new.sql").write_text("select 1")
    assert manifest_cache.current_manifest(tiny, {}) is None


def test_manifest_is_forgotten_when_dbt_failed_or_the_project_changed_while_it_ran(
    tiny: RunConfig,
) -> None:
    _dbt_writes_manifest(tiny)
    _dbt_writes_manifest(tiny, returncode=2)
    assert manifest_cache.current_manifest(tiny, {}) is None

    _dbt_writes_manifest(tiny, edit="select 2 as s")
    assert manifest_cache.current_manifest(tiny, {}) is None

    _dbt_writes_manifest(tiny)
    before = manifest_cache.before_dbt(tiny, {})
    manifest_cache.after_dbt(tiny, {}, before, 2)  # dbt stopped before writing the manifest
    assert manifest_cache.current_manifest(tiny, {}) is not None
