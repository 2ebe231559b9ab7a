"""The stack's T-SQL (docker/sql/) passes the static T-SQL check file by file, the check
catches what SQL Server would reject, the init runs every script in order with the
variables they use, and the logins and the personal columns are the same as on
PostgreSQL (scripts/roles.py)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from tests.docker.conftest import COMPOSE_FILE, DOCKER, ROOT
from tests.docker.tsql_init import SQLCMD_VARIABLES, file_findings

SQL_DIR = DOCKER / "sql"
INIT_SCRIPTS = sorted(path.name for path in SQL_DIR.glob("[0-9][0-9]_*.sql"))


def _roles_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("roles_script", ROOT / "scripts" / "roles.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through it
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", [path.name for path in sorted(SQL_DIR.glob("*.sql"))])
def test_tsql_of_the_stack_parses_as_tsql(name: str) -> None:
    findings = file_findings(SQL_DIR / name)
    assert findings == [], "\n".join(map(str, findings))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GRANT SELEC ON SCHEMA::dim TO bi_reader;", "does not understand"),
        ("GRANT SELECT ON SCHEMA::dim TO;", "does not understand"),
        ("GRANT ALL PRIVILEGES ON SCHEMA::dim TO bi_reader;", "does not understand"),
        ("create schema if not exists dim;", "IF NOT EXISTS"),
        ("IF SCHEMA_ID(N'dim')::int IS NULL CREATE USER x FOR LOGIN x;", "IF condition"),
        ("IF SCHEMA_ID(N'dim') IS NULL EXEC('create schema if not exists dim');", "inside EXEC"),
        ("SELECT 1 LIMIT 1;", "LIMIT"),
        ("DENY SELECT ON core.customers TO etl_monitor;", "cannot parse"),
        ("ALTER SERVER AUDIT A WITH (STATE = MAYBE);", "does not understand"),
        ("SELECT N'$(UNKNOWN_VARIABLE)';", "no sample value"),
        (
            "EXEC msdb.dbo.sp_add_jobstep @job_name = N'x', @command = N'select 1 limit 1';",
            "Agent job step",
        ),
        (
            "create or alter procedure audit.p\nas\nbegin\n    select a from t limit 1;\nend",
            "procedure body",
        ),
    ],
)
def test_tsql_check_catches_what_sql_server_rejects(
    text: str, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.sql"
    path.write_text(text + "\nGO\n", encoding="utf-8")
    findings = file_findings(path)
    assert findings, text
    assert any(expected in str(finding) for finding in findings), "\n".join(map(str, findings))


def test_init_runs_every_script_once_and_in_order() -> None:
    init = (DOCKER / "scripts" / "init.sh").read_text(encoding="utf-8")
    called = re.findall(r"^run_script (\S+)$", init, flags=re.MULTILINE)
    assert called == INIT_SCRIPTS
    backup = (DOCKER / "scripts" / "backup.sh").read_text(encoding="utf-8")
    assert "/app/docker/sql/backup_database.sql" in backup


def test_every_sqlcmd_variable_reaches_the_job_that_runs_the_script() -> None:
    services = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))["services"]
    init_env = set(services["sql-init"]["environment"])
    for name in INIT_SCRIPTS:
        used = set(re.findall(r"\$\((\w+)\)", (SQL_DIR / name).read_text(encoding="utf-8")))
        assert used <= init_env, (name, used - init_env)
        assert used <= set(SQLCMD_VARIABLES)
    backup_used = set(
        re.findall(r"\$\((\w+)\)", (SQL_DIR / "backup_database.sql").read_text(encoding="utf-8"))
    )
    backup = (DOCKER / "scripts" / "backup.sh").read_text(encoding="utf-8")
    assert all(f'{variable}="' in backup for variable in backup_used), backup_used


def test_backups_are_copy_only_compressed_and_checksummed() -> None:
    text = (SQL_DIR / "backup_database.sql").read_text(encoding="utf-8")
    backup = re.search(r"BACKUP DATABASE .*?;", text, flags=re.DOTALL)
    assert backup is not None
    options = {
        option.strip().split(" ")[0] for option in backup.group(0).split("WITH", 1)[1].split(",")
    }
    assert {"COPY_ONLY", "COMPRESSION", "CHECKSUM"} <= options


def test_the_four_logins_are_the_same_on_sql_server_and_postgres() -> None:
    roles = _roles_module()
    logins = re.findall(
        r"LOGIN \[(\w+)\] WITH PASSWORD", (SQL_DIR / "02_logins.sql").read_text(encoding="utf-8")
    )
    assert sorted(logins) == sorted(role.name for role in roles.ROLES)
    assert sorted(logins) == ["bi_reader", "etl_backup", "etl_monitor", "etl_user"]


def test_monitor_login_is_denied_the_same_personal_columns_on_both_targets() -> None:
    roles = _roles_module()
    text = (SQL_DIR / "05_source_personal_data.sql").read_text(encoding="utf-8")
    denied = re.search(r"DENY SELECT ON OBJECT::core\.customers \(([^)]*)\) TO etl_monitor", text)
    assert denied is not None
    columns = tuple(column.strip() for column in denied.group(1).split(","))
    assert columns == roles.PERSONAL_SOURCE_COLUMNS["customers"]
    # and they are the customers' personal columns of the source's contract
    assert set(columns) == {
        "full_name",
        "email",
        "phone",
        "document_number",
        "birth_date",
        "address_line",
        "zip_code",
    }


def test_bi_reader_gets_no_grant_outside_dim_and_fact_on_sql_server() -> None:
    grants = []
    for name in INIT_SCRIPTS:
        text = (SQL_DIR / name).read_text(encoding="utf-8")
        grants += re.findall(r"^(GRANT|DENY) (.+) TO bi_reader;$", text, flags=re.MULTILINE)
    assert sorted(grants) == [
        ("GRANT", "SELECT ON SCHEMA::dim"),
        ("GRANT", "SELECT ON SCHEMA::fact"),
    ]
    source = (SQL_DIR / "04_source.sql").read_text(encoding="utf-8")
    assert "FOR LOGIN bi_reader" not in source  # no user in ECOMMERCE_OLTP at all
