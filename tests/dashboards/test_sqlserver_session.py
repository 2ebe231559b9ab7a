"""The apps on SQL Server (the docker stack's warehouse), checked with the stand-in
connection since no SQL Server runs here: each app connects through pyodbc as its own
login with read intent, reads the source's catalog in the source database, and an
unreachable server is a clear "unavailable" state, not an exception."""

from __future__ import annotations

import secrets
from typing import Any

import pyodbc
import pytest

from dashboards.common.connections import check_source, session
from dashboards.common.settings import Settings
from observability.reader import WarehouseUnavailable
from tests.targets.sqlserver_standin import StandinServer
from tests.targets.tsql_check import tsql_problems

# made up per run: the repository holds no password literal
LOGINS = {
    "etl_user": secrets.token_hex(8),
    "etl_monitor": secrets.token_hex(8),
    "bi_reader": secrets.token_hex(8),
}


@pytest.fixture
def sqlserver_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {
        "ETL_TARGET": "sqlserver",
        "ETL_SQL_SERVER": "sqlserver",
        "ETL_SQL_USER": "etl_user",
        "ETL_SQL_PASSWORD": LOGINS["etl_user"],
        "ETL_SQL_MONITOR_USER": "etl_monitor",
        "ETL_SQL_MONITOR_PASSWORD": LOGINS["etl_monitor"],
        "ETL_SQL_BI_USER": "bi_reader",
        "ETL_SQL_BI_PASSWORD": LOGINS["bi_reader"],
        "ETL_OLTP_DATABASE": "ECOMMERCE_OLTP",
    }.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> tuple[StandinServer, list[str]]:
    server = StandinServer()
    strings: list[str] = []

    def connect(connection_string: str, *args: Any, **kwargs: Any):
        strings.append(connection_string)
        return server.connect(*args, **kwargs)

    monkeypatch.setattr(pyodbc, "connect", connect)
    return server, strings


def _parts(connection_string: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in connection_string.split(";"))


@pytest.mark.parametrize(
    ("app", "login"),
    [
        ("monitor", "etl_monitor"),
        ("bi", "bi_reader"),
    ],
)
def test_each_app_connects_to_sqlserver_as_its_login_with_read_intent(
    sqlserver_env, standin, app: str, login: str
):
    server, strings = standin
    settings = Settings.from_env(app=app)

    with session(settings) as sess:
        assert sess.source_tables() == set()  # the stand-in's catalog is empty

    parts = _parts(strings[-1])
    assert (parts["UID"], parts["PWD"], parts["DATABASE"]) == (login, LOGINS[login], "DW_ECOMMERCE")
    assert parts["ApplicationIntent"] == "ReadOnly"
    assert parts["APP"] == "ecommerce_dw monitor"
    catalog_sql = server.executed[-1].sql
    assert "from ECOMMERCE_OLTP.information_schema.tables" in catalog_sql
    assert tsql_problems(catalog_sql, "source catalog") == []


def test_sqlserver_source_check_reads_the_source_database(sqlserver_env, standin):
    check = check_source(Settings.from_env(app="monitor"))
    assert not check.ok  # the stand-in has no source tables
    assert "ECOMMERCE_OLTP.core (0 tabelas)" in check.detail


def test_unreachable_sqlserver_is_unavailable_not_an_exception(sqlserver_env, monkeypatch):
    def refuse(*args: Any, **kwargs: Any):
        raise pyodbc.OperationalError("08001", "[08001] TCP Provider: Error code 0x2749")

    monkeypatch.setattr(pyodbc, "connect", refuse)
    with (
        pytest.raises(WarehouseUnavailable, match="SQL Server"),
        session(Settings.from_env(app="bi")),
    ):
        pass


def test_last_full_check_sql_of_the_monitor_parses_as_tsql() -> None:
    from dashboards.monitor.queries import summary

    for name in ("LAST_FULL_CHECK_SQL", "FULL_CHECKS_COLUMN_SQL"):
        sql = getattr(summary, name).replace("?", "1")  # full_checks = 1: a bit on SQL Server
        assert tsql_problems(sql, name) == []
