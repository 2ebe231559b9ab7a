"""Each app logs in with its own login when one is configured: the monitor (and the alert
runner) with ETL_PG_MONITOR_USER / ETL_SQL_MONITOR_USER, the business dashboards with
ETL_PG_BI_USER / ETL_SQL_BI_USER; unset, the warehouse's login (ETL_PG_USER / ETL_SQL_USER)
as before."""

from __future__ import annotations

import pytest

from dashboards.common.settings import APP_LOGINS, Settings

VARIABLES = [
    f"ETL_{engine}_{part}"
    for engine in ("PG", "SQL")
    for part in (
        "USER",
        "PASSWORD",
        "MONITOR_USER",
        "MONITOR_PASSWORD",
        "BI_USER",
        "BI_PASSWORD",
    )
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _settings(monkeypatch: pytest.MonkeyPatch, target: str, app: str = "monitor") -> Settings:
    monkeypatch.setenv("ETL_TARGET", target)
    return Settings.from_env(app)


def test_apps_fall_back_to_the_warehouse_login_when_theirs_is_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ETL_PG_USER", "loader")
    monkeypatch.setenv("ETL_PG_PASSWORD", "pw-loader")
    for app in APP_LOGINS:
        assert _settings(monkeypatch, "postgres", app).credentials_for() == ("loader", "pw-loader")
    assert _settings(monkeypatch, "sqlserver").credentials_for() == ("etl_user", "")
    monkeypatch.setenv("ETL_SQL_USER", "someone")
    monkeypatch.setenv("ETL_SQL_PASSWORD", "pw-someone")
    assert _settings(monkeypatch, "sqlserver", "bi").credentials_for() == ("someone", "pw-someone")


def test_each_app_picks_its_own_login_on_postgres(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ETL_PG_USER", "etl_user")
    monkeypatch.setenv("ETL_PG_PASSWORD", "pw-etl")
    monkeypatch.setenv("ETL_PG_MONITOR_USER", "etl_monitor")
    monkeypatch.setenv("ETL_PG_MONITOR_PASSWORD", "pw-monitor")
    monkeypatch.setenv("ETL_PG_BI_USER", "bi_reader")
    monkeypatch.setenv("ETL_PG_BI_PASSWORD", "pw-bi")
    monitor = _settings(monkeypatch, "postgres")
    assert monitor.credentials_for() == ("etl_monitor", "pw-monitor")
    assert monitor.credentials_for("bi") == ("bi_reader", "pw-bi")
    assert _settings(monkeypatch, "postgres", "bi").credentials_for() == ("bi_reader", "pw-bi")
    # the warehouse login itself is untouched (the orchestrator's)
    assert (monitor.pg_user, monitor.pg_password) == ("etl_user", "pw-etl")


def test_each_app_picks_its_own_login_on_sql_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ETL_SQL_USER", "etl_user")
    monkeypatch.setenv("ETL_SQL_MONITOR_USER", "etl_monitor")
    monkeypatch.setenv("ETL_SQL_MONITOR_PASSWORD", "pw-monitor")
    monkeypatch.setenv("ETL_SQL_BI_USER", "bi_reader")
    monkeypatch.setenv("ETL_SQL_BI_PASSWORD", "pw-bi")
    assert _settings(monkeypatch, "sqlserver").credentials_for() == ("etl_monitor", "pw-monitor")
    assert _settings(monkeypatch, "sqlserver", "bi").credentials_for() == ("bi_reader", "pw-bi")
    # a PostgreSQL app login does not leak into SQL Server, nor the reverse
    monkeypatch.setenv("ETL_PG_BI_USER", "pg_only")
    assert _settings(monkeypatch, "sqlserver", "bi").credentials_for()[0] == "bi_reader"
    assert _settings(monkeypatch, "postgres", "bi").credentials_for()[0] == "pg_only"


def test_a_user_without_password_means_no_password_not_the_fallback_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ETL_PG_PASSWORD", "pw-etl")
    monkeypatch.setenv("ETL_PG_BI_USER", "bi_reader")
    assert _settings(monkeypatch, "postgres", "bi").credentials_for() == ("bi_reader", "")


def test_unknown_app_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ETL_TARGET", "postgres")
    with pytest.raises(ValueError, match="app 'vendas'"):
        Settings.from_env("vendas")
    with pytest.raises(KeyError):
        Settings.from_env().credentials_for("vendas")


def test_settings_of_two_apps_are_two_cache_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cached connection is keyed by the settings: the monitor's and the dashboards'
    must never share one."""
    monitor, bi = _settings(monkeypatch, "postgres"), _settings(monkeypatch, "postgres", "bi")
    assert monitor != bi and hash(monitor) != hash(bi)
