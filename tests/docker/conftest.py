"""Fixtures for the SQL Server stack's static checks: an env file written by docker/up.sh
itself, and the compose file as Debian's docker-compose resolves it with that file (no
Docker engine needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE_FILE = DOCKER / "compose.yaml"
PASSWORD_VARIABLES = (
    "MSSQL_SA_PASSWORD",
    "MSSQL_ETL_PASSWORD",
    "MSSQL_MONITOR_PASSWORD",
    "MSSQL_BI_PASSWORD",
    "MSSQL_BACKUP_PASSWORD",
)


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value
    return values


def prepare_env(env_file: Path) -> subprocess.CompletedProcess:
    """`docker/up.sh --prepare-env` writing `env_file` (no Docker involved)."""
    return subprocess.run(
        ["bash", str(DOCKER / "up.sh"), "--prepare-env"],
        env={**os.environ, "DW_ENV_FILE": str(env_file)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def docker_compose(env_file: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "docker-compose",
            "-p",
            "ecommerce_dw",
            "--env-file",
            str(env_file),
            "-f",
            str(COMPOSE_FILE),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def env_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docker/.env as docker/up.sh writes it on first start (in a temp dir)."""
    path = tmp_path_factory.mktemp("stack") / ".env"
    result = prepare_env(path)
    assert result.returncode == 0, result.stdout + result.stderr
    return path


@pytest.fixture(scope="module")
def compose_config(env_file: Path) -> dict[str, Any]:
    """The compose file resolved by `docker-compose config` with the generated env file."""
    if shutil.which("docker-compose") is None:
        pytest.skip(
            "docker-compose is not installed: bash scripts/install_system_packages.sh"
            " installs Debian's package"
        )
    result = docker_compose(env_file, "config")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)
