"""The app image carries what the services run, and nothing of the working tree it must
not: every path dbt reads (dbt_project.yml), every Python package the services import, the
runbook the monitor shows, and never the whole context (docker/.env, .venv, data/)."""

from __future__ import annotations

import re

import yaml

from tests.docker.conftest import DOCKER, ROOT

DOCKERFILE = DOCKER / "app.Dockerfile"
NOT_RUNTIME = {"tests", "bench"}  # Python packages the services never import


def _copied() -> list[str]:
    sources: list[str] = []
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(COPY|ADD)\s+(?!--from)(.+)$", line.strip())
        if match:
            sources += match.group(2).split()[:-1]
    return sources


def test_image_copies_every_path_the_project_reads_at_run_time() -> None:
    copied = set(_copied())
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    dbt_paths = [
        path
        for key in ("model-paths", "macro-paths", "seed-paths", "snapshot-paths", "test-paths")
        for path in project.get(key, [])
        if (ROOT / path).exists()
    ]
    packages = [
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_RUNTIME
    ]
    needed = {*dbt_paths, *packages, "dbt_project.yml", "profiles.yml", "docs", "docker/sql"}
    assert needed - copied == set(), "add a COPY line to docker/app.Dockerfile"
    assert {"docker/scripts", "docker/healthcheck.py"} <= copied


def test_image_never_copies_the_whole_context() -> None:
    for source in _copied():
        assert source not in (".", "./", "docker", "docker/", "*"), source
        assert ".env" not in source and not source.startswith((".venv", "data", "target"))


def test_images_install_the_odbc_driver_and_run_unprivileged() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "ACCEPT_EULA=Y apt-get install" in text and "msodbcsql18" in text
    assert "mssql-tools18" in text
    assert re.search(r"^USER app$", text, flags=re.MULTILINE)
    sqlserver = (DOCKER / "sqlserver.Dockerfile").read_text(encoding="utf-8")
    assert sqlserver.startswith("#") and "mcr.microsoft.com/mssql/server:2022" in sqlserver
    assert sqlserver.rstrip().endswith("USER mssql")
