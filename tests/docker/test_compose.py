"""What matters in the SQL Server stack, checked without a Docker engine: docker/up.sh
generates strong passwords into an ignored env file, Debian's docker-compose validates the
compose file with it and refuses it without, every port is bound to 127.0.0.1, every
service has a health check and waits for SQL Server and the init, each app connects with
its own login and holds no other password, and no secret is in the repository."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from dashboards.common.settings import Settings
from tests.docker.conftest import (
    COMPOSE_FILE,
    DOCKER,
    PASSWORD_VARIABLES,
    ROOT,
    docker_compose,
    prepare_env,
    read_env_file,
)

SERVICES = {
    "sqlserver",
    "sql-init",
    "orchestrator",
    "monitor",
    "vendas",
    "metas",
    "descontos",
    "alerts",
    "backup",
}
# service -> (login, the env file's password variable of that login)
APP_LOGINS = {
    "orchestrator": ("etl_user", "MSSQL_ETL_PASSWORD"),
    "monitor": ("etl_monitor", "MSSQL_MONITOR_PASSWORD"),
    "alerts": ("etl_monitor", "MSSQL_MONITOR_PASSWORD"),
    "vendas": ("bi_reader", "MSSQL_BI_PASSWORD"),
    "metas": ("bi_reader", "MSSQL_BI_PASSWORD"),
    "descontos": ("bi_reader", "MSSQL_BI_PASSWORD"),
}
# which passwords each service may hold in its environment
PASSWORDS_HELD = {
    "sqlserver": {"MSSQL_SA_PASSWORD"},
    "sql-init": set(PASSWORD_VARIABLES),
    "backup": {"MSSQL_BACKUP_PASSWORD"},
    **{service: {variable} for service, (_, variable) in APP_LOGINS.items()},
}
# the apps' entry files and ports (fixed with the dashboards)
STREAMLIT_APPS = {
    "monitor": ("dashboards/monitor/app.py", 8501),
    "vendas": ("dashboards/vendas/app.py", 8502),
    "metas": ("dashboards/metas/app.py", 8503),
    "descontos": ("dashboards/descontos/app.py", 8504),
}
PUBLISHED = {"sqlserver": 1433, **{name: port for name, (_, port) in STREAMLIT_APPS.items()}}
PASSWORD_ALPHABET = re.compile(r"^[A-Za-z0-9_.+%@-]+$")


def _raw_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _ports(service: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(host ip, host port, container port) of a service, from either port syntax."""
    found = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            found.append((port.get("host_ip", ""), int(port["published"]), int(port["target"])))
        else:
            parts = str(port).split("/")[0].split(":")
            host_ip = parts[0] if len(parts) == 3 else ""
            found.append((host_ip, int(parts[-2]), int(parts[-1])))
    return found


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


# --- docker/up.sh and the env file ------------------------------------------------------


def test_up_script_generates_strong_distinct_passwords_once(env_file: Path) -> None:
    values = read_env_file(env_file)
    passwords = [values[name] for name in PASSWORD_VARIABLES]
    assert len(set(passwords)) == len(passwords)
    for password in passwords:
        assert len(password) >= 24
        assert PASSWORD_ALPHABET.match(password), password
        # SQL Server's policy (CHECK_POLICY = ON): upper, lower, digit and a symbol
        assert re.search(r"[A-Z]", password) and re.search(r"[a-z]", password)
        assert re.search(r"[0-9]", password) and re.search(r"[_.+%@-]", password)
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    # everything else comes from the example, unchanged
    example = read_env_file(DOCKER / ".env.example")
    assert {k: v for k, v in values.items() if k not in PASSWORD_VARIABLES} == {
        k: v for k, v in example.items() if k not in PASSWORD_VARIABLES
    }

    again = prepare_env(env_file)
    assert again.returncode == 0, again.stderr
    assert "generated" not in again.stdout
    assert read_env_file(env_file) == values


def test_up_script_fills_only_the_passwords_left_empty(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("MSSQL_SA_PASSWORD=Kept-By-The-Operator-1\nMSSQL_BI_PASSWORD=\n")
    result = prepare_env(env_file)
    assert result.returncode == 0, result.stderr
    values = read_env_file(env_file)
    assert values["MSSQL_SA_PASSWORD"] == "Kept-By-The-Operator-1"
    assert all(values[name] for name in PASSWORD_VARIABLES)
    assert "MSSQL_SA_PASSWORD" not in result.stdout.split(":", 1)[-1]


def test_the_real_env_file_is_ignored_by_git() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "docker/.env"], cwd=ROOT, capture_output=True
    )
    assert ignored.returncode == 0, "docker/.env must be git-ignored"
    tracked = subprocess.run(
        ["git", "ls-files", "docker/.env"], cwd=ROOT, capture_output=True, text=True
    )
    assert tracked.stdout.strip() == ""


def test_example_env_file_holds_no_password() -> None:
    example = read_env_file(DOCKER / ".env.example")
    assert set(PASSWORD_VARIABLES) <= set(example)
    assert {name: example[name] for name in PASSWORD_VARIABLES} == dict.fromkeys(
        PASSWORD_VARIABLES, ""
    )


# --- the compose file ------------------------------------------------------------------


def test_compose_file_validates_with_the_generated_env(compose_config: dict[str, Any]) -> None:
    assert set(compose_config["services"]) == SERVICES


def test_compose_refuses_to_run_without_passwords(compose_config: dict[str, Any]) -> None:
    result = docker_compose(DOCKER / ".env.example", "config")
    assert result.returncode != 0
    assert "run docker/up.sh, which writes docker/.env" in result.stderr


def test_every_published_port_is_bound_to_loopback(compose_config: dict[str, Any]) -> None:
    published = {}
    for name, service in compose_config["services"].items():
        for host_ip, host_port, container_port in _ports(service):
            assert host_ip == "127.0.0.1", (name, host_ip)
            published[name] = (host_port, container_port)
    assert {name: ports[0] for name, ports in published.items()} == PUBLISHED
    # in the file itself too: each mapping's default bind address is the loopback
    for name, service in _raw_compose()["services"].items():
        for port in service.get("ports", []):
            assert re.fullmatch(
                r"\$\{[A-Z_]+_BIND_IP:-127\.0\.0\.1\}:\$\{[A-Z_]+_PORT:-\d+\}:\d+", port
            ), (name, port)


def test_every_service_has_a_health_check(compose_config: dict[str, Any]) -> None:
    for name, service in compose_config["services"].items():
        check = service.get("healthcheck")
        assert check and not check.get("disable"), name
        test = check["test"]
        assert test and test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, (name, test)
    for name, (_, port) in STREAMLIT_APPS.items():
        test = compose_config["services"][name]["healthcheck"]["test"]
        assert f"http://127.0.0.1:{port}/_stcore/health" in test, (name, test)


def test_nothing_starts_before_sql_server_and_the_init(compose_config: dict[str, Any]) -> None:
    services = compose_config["services"]
    assert "depends_on" not in services["sqlserver"]
    assert services["sql-init"]["depends_on"] == {"sqlserver": {"condition": "service_healthy"}}
    assert services["sql-init"]["restart"] == "no"
    for name in SERVICES - {"sqlserver", "sql-init"}:
        assert services[name]["depends_on"] == {
            "sqlserver": {"condition": "service_healthy"},
            "sql-init": {"condition": "service_completed_successfully"},
        }, name


def test_each_app_connects_with_its_own_login(
    compose_config: dict[str, Any], env_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = read_env_file(env_file)
    services = compose_config["services"]
    for name, (login, variable) in APP_LOGINS.items():
        env = _environment(services[name])
        assert env["ETL_TARGET"] == "sqlserver"
        assert (env["ETL_SQL_USER"], env["ETL_SQL_PASSWORD"]) == (login, secrets[variable]), name
        if name in STREAMLIT_APPS or name == "alerts":
            app = "monitor" if name in ("monitor", "alerts") else "bi"
            for key in list(env):
                monkeypatch.delenv(key, raising=False)
            for key, value in env.items():
                monkeypatch.setenv(key, value)
            # what the app's code picks from this environment (dashboards/common/settings)
            assert Settings.from_env(app).credentials_for() == (login, secrets[variable]), name
    backup = _environment(services["backup"])
    assert backup["MSSQL_BACKUP_PASSWORD"] == secrets["MSSQL_BACKUP_PASSWORD"]
    assert _environment(services["sqlserver"])["MSSQL_SA_PASSWORD"] == secrets["MSSQL_SA_PASSWORD"]


def test_no_service_holds_another_login_password(
    compose_config: dict[str, Any], env_file: Path
) -> None:
    secrets = read_env_file(env_file)
    for name, service in compose_config["services"].items():
        values = " ".join(_environment(service).values()) + " " + str(service.get("command"))
        held = {variable for variable in PASSWORD_VARIABLES if secrets[variable] in values}
        assert held == PASSWORDS_HELD[name], name


def test_compose_passwords_come_from_the_env_file_without_defaults() -> None:
    for name, service in _raw_compose()["services"].items():
        for key, value in _environment(service).items():
            if "PASSWORD" in key:
                match = re.fullmatch(r"\$\{(\w+):\?[^}]*\}", value)
                assert match and match.group(1) in PASSWORD_VARIABLES, (name, key, value)


def test_apps_run_their_entry_files_on_their_ports(compose_config: dict[str, Any]) -> None:
    services = compose_config["services"]
    for name, (entry, port) in STREAMLIT_APPS.items():
        command = services[name]["command"]
        assert command[:3] == ["streamlit", "run", entry], name
        assert command[command.index("--server.port") + 1] == str(port)
        assert command[command.index("--server.address") + 1] == "0.0.0.0"
        assert (ROOT / entry).is_file(), f"{entry} is missing"
        assert _ports(services[name]) == [("127.0.0.1", port, port)]
    alerts = ["python", "orchestrator/alerts.py", "--interval", "300"]
    assert services["alerts"]["command"] == alerts
    assert services["orchestrator"]["command"] == ["bash", "docker/scripts/schedule.sh"]
    assert services["sql-init"]["command"] == ["bash", "docker/scripts/init.sh"]
    assert services["backup"]["command"] == ["bash", "docker/scripts/backup.sh"]
    backup = _environment(services["backup"])
    assert (backup["BACKUP_INTERVAL_HOURS"], backup["BACKUP_RETENTION_DAYS"]) == ("24", "14")
    assert _environment(services["sql-init"])["CONNECTION_AUDIT_RETENTION_DAYS"] == "30"


# --- secrets in the repository ---------------------------------------------------------

_ASSIGNMENT = re.compile(
    r"(?i)(?<![\w${])\w*(?:password|passwd|pwd|secret)\w*\b[\"']?[ \t]*[:=][ \t]*"
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s,;)\]]*)"
)
# values that say they are not real (a stand-in connection of a static check, say)
_DUMMY = re.compile(r"(?i)stand-in|example|dummy|placeholder|fake")
_CONFIG_SUFFIXES = {".env", ".example", ".yml", ".yaml", ".ini", ".cfg", ".toml", ".ps1", ".sh"}


# (spelled in pieces, so this file does not match itself)
_PRIVATE_KEY = re.compile("-----" + "BEGIN [A-Z ]*PRIVATE " + "KEY-----")
_ORIGINAL_EXAMPLE = "YourStrong" + "Password"  # docker/.env.sqlserver.example of the original


def _repository_files() -> list[Path]:
    """What a commit would hold: tracked files and untracked ones git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def _literal_secrets(path: Path, text: str) -> list[str]:
    """Password-like keys assigned a literal: quoted anywhere, or bare in config files."""
    found = []
    config = path.suffix in _CONFIG_SUFFIXES or path.name.startswith(".env")
    for match in _ASSIGNMENT.finditer(text):
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        if line.lstrip().startswith(("#", "--", "//")):
            continue  # prose in a comment
        value = match.group("value")
        quoted = value[:1] in "\"'"
        literal = value.strip("\"'")
        if not literal or re.search(r"[$%{}()<>]", literal) or _DUMMY.search(literal):
            continue  # empty, an interpolation / placeholder / call, or a declared dummy
        if quoted or config:
            found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    return found


def test_no_secret_in_the_repository(env_file: Path) -> None:
    generated = [value for key, value in read_env_file(env_file).items() if "PASSWORD" in key]
    problems: list[str] = []
    for path in _repository_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        problems += _literal_secrets(path, text)
        problems += [f"{path}: a generated password" for value in generated if value in text]
        if _PRIVATE_KEY.search(text):
            problems.append(f"{path}: a private key")
        if _ORIGINAL_EXAMPLE in text:
            problems.append(f"{path}: the original system's example password")
    assert problems == []


def test_secret_scan_finds_literal_passwords() -> None:
    sample = "Hunter2" + "-Hunter2"  # built here, so this file itself holds no literal
    for name, text in {
        ".env.sqlserver": f"MSSQL_SA_PASSWORD={sample}\n",
        "compose.yml": f'MSSQL_BI_PASSWORD: "{sample}"\n',
        "settings.py": f'connect(password="{sample}")\n',
    }.items():
        path = ROOT / "docker" / name  # only for the relative name in the message
        assert _literal_secrets(path, text), name
    harmless = "user, password = settings.credentials_for()\npassword: \"{{ env_var('X') }}\"\n"
    assert _literal_secrets(ROOT / "docker" / "x.yml", harmless) == []


# --- shell scripts ---------------------------------------------------------------------


def test_shell_scripts_pass_shellcheck() -> None:
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed: bash scripts/install_system_packages.sh")
    scripts = sorted(
        path
        for path in _repository_files()
        if path.suffix == ".sh" or path.relative_to(ROOT).as_posix() == ".ci/run"
    )
    assert DOCKER / "up.sh" in scripts and DOCKER / "scripts" / "init.sh" in scripts
    result = subprocess.run(
        ["shellcheck", "--severity=style", *map(str, scripts)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
