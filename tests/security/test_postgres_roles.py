"""Least privilege on PostgreSQL, for real: `make roles` (scripts/roles.py) on a fresh
warehouse database loaded by the generator, a whole orchestrated load as etl_user, then
each login connected as itself. Every refusal is asserted by its error (SQLSTATE 42501,
"permission denied for ..."), not by the absence of data.

Shared by the module: the database, `make roles` run before and after the first load, and
a second load after bi_reader's SELECT on an incremental table was revoked (only dbt's
`grants` can give it back: default privileges apply to new relations only). Roles are
cluster-wide: the command is idempotent and the tests accept roles that existed before.
Passwords come from ETL_PG_ETL_PASSWORD, ETL_PG_MONITOR_PASSWORD, ETL_PG_BI_PASSWORD and
ETL_PG_BACKUP_PASSWORD when set (they must be the cluster's), else none (trust auth)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.errors
import pytest

from generator import generate
from tests.conftest import PG_HOST, PG_PASSWORD, PG_PORT, PG_USER, _pg_connect
from tests.dbt_harness import SNAPSHOTS, environment

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 1, 15)
NOW = "2026-01-16T00:00:00"
ENTITIES = {
    "dim_cliente",
    "dim_produto",
    "dim_regiao",
    "dim_equipe",
    "dim_vendedor",
    "dim_desconto",
    "fact_vendas",
    "fact_metas",
    "fact_descontos",
}
ROLES = ("etl_user", "etl_monitor", "bi_reader", "etl_backup")
PASSWORD_VARIABLES = {
    "etl_user": "ETL_PG_ETL_PASSWORD",
    "etl_monitor": "ETL_PG_MONITOR_PASSWORD",
    "bi_reader": "ETL_PG_BI_PASSWORD",
    "etl_backup": "ETL_PG_BACKUP_PASSWORD",
}
WAREHOUSE_SCHEMAS = ("dim", "fact", "ctl", "audit", "staging", "intermediate", "ref", "snapshots")
PERSONAL = ("full_name", "email", "phone", "document_number", "birth_date", "address_line")
DENIED = psycopg2.errors.InsufficientPrivilege
APP_VARIABLES = [
    f"ETL_PG_{kind}_{part}" for kind in ("MONITOR", "BI") for part in ("USER", "PASSWORD")
]


@dataclass
class Secured:
    """The module's warehouse database and what happened to it."""

    database: str
    audit_dir: Path
    roles_runs: list[subprocess.CompletedProcess] = field(default_factory=list)
    loads: list[subprocess.CompletedProcess] = field(default_factory=list)
    revoked_before_second_load: bool = False

    def env(self, **extra: str) -> dict[str, str]:
        base = {
            key: value
            for key, value in os.environ.items()
            if key not in APP_VARIABLES and key != "ETL_PG_GRANTS"
        }
        return {
            **base,
            "ETL_PG_HOST": PG_HOST,
            "ETL_PG_PORT": str(PG_PORT),
            "ETL_PG_DATABASE": self.database,
            "ETL_PG_ADMIN_USER": PG_USER,
            "ETL_PG_ADMIN_PASSWORD": PG_PASSWORD,
            **extra,
        }

    def connect(self, role: str | None = None) -> Any:
        """An autocommit connection as `role` (None: the administrator)."""
        conn = psycopg2.connect(
            host=PG_HOST,
            port=PG_PORT,
            user=role or PG_USER,
            password=password(role) if role else PG_PASSWORD,
            dbname=self.database,
            connect_timeout=5,
        )
        conn.autocommit = True
        return conn

    def rows(self, role: str | None, sql: str, params: tuple[Any, ...] = ()) -> list[tuple]:
        conn = self.connect(role)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return list(cur.fetchall()) if cur.description else []
        finally:
            conn.close()

    def relations(self, *schemas: str) -> list[tuple[str, str, str]]:
        """(schema, name, kind) of the tables and views of these schemas."""
        return [
            (str(schema), str(name), str(kind))
            for schema, name, kind in self.rows(
                None,
                "select nsp.nspname, rel.relname, rel.relkind from pg_class as rel"
                " join pg_namespace as nsp on nsp.oid = rel.relnamespace"
                " where nsp.nspname = any(%s) and rel.relkind in ('r', 'p', 'v', 'm')"
                " order by 1, 2",
                (list(schemas),),
            )
        ]


def password(role: str) -> str:
    return os.environ.get(PASSWORD_VARIABLES[role], "")


def _roles(secured: Secured, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/roles.py", *args],
        cwd=ROOT,
        env=secured.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _load(secured: Secured) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "orchestrator/run.py", "--entity", "all", "--target", "postgres"],
        cwd=ROOT,
        env=secured.env(
            ETL_TARGET="postgres",
            ETL_PG_USER="etl_user",
            ETL_PG_PASSWORD=password("etl_user"),
            ETL_PG_GRANTS="1",
            ETL_NOW=NOW,
            ETL_CONNECTION_AUDIT_DIR=str(secured.audit_dir),
        ),
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def secured(
    postgres_server: dict[str, object], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Secured]:
    database = f"dwsec_{uuid.uuid4().hex[:12]}"
    admin = _pg_connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'create database "{database}"')
    state = Secured(database, tmp_path_factory.mktemp("connection_audit"))
    try:
        with environment(
            {"ETL_PG_DATABASE": database, "ETL_PG_USER": PG_USER, "ETL_PG_PASSWORD": PG_PASSWORD}
        ):
            generate(target="postgres", scale=0.01, seed=7, as_of=AS_OF)
        state.roles_runs.append(_roles(state))
        state.loads.append(_load(state))
        state.roles_runs.append(_roles(state))
        # dbt's grants, not default privileges, must bring this one back on the next load
        conn = state.connect()
        with conn.cursor() as cur:
            cur.execute("revoke select on fact.fact_vendas from bi_reader")
            cur.execute("select has_table_privilege('bi_reader', 'fact.fact_vendas', 'select')")
            state.revoked_before_second_load = cur.fetchone()[0] is False
        conn.close()
        state.loads.append(_load(state))
        yield state
    finally:
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{database}" with (force)')
        admin.close()


def _refused(secured: Secured, role: str, sql: str, message: str) -> None:
    """`sql` as `role` fails with SQLSTATE 42501 and `message`."""
    conn = secured.connect(role)
    try:
        with pytest.raises(DENIED) as refused, conn.cursor() as cur:
            cur.execute(sql)
        assert refused.value.pgcode == "42501"
        assert message in str(refused.value), str(refused.value)
    finally:
        conn.close()


# --- make roles ---------------------------------------------------------------------------


def test_roles_command_creates_the_four_logins_and_is_idempotent(secured: Secured) -> None:
    for run in secured.roles_runs:
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"ready on database {secured.database}" in run.stdout
    # before the first load it says what it could not do yet, after it nothing is pending
    assert "connection_login_events does not exist yet" in secured.roles_runs[0].stdout
    assert "does not exist yet" not in secured.roles_runs[1].stdout
    third = _roles(secured)
    assert third.returncode == 0, third.stderr
    attributes = secured.rows(
        None,
        "select rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication,"
        " rolbypassrls from pg_roles where rolname = any(%s) order by rolname",
        (list(ROLES),),
    )
    assert attributes == [
        ("bi_reader", True, False, False, False, False, False),
        ("etl_backup", True, False, False, False, False, True),
        ("etl_monitor", True, False, False, False, False, False),
        ("etl_user", True, False, False, False, False, False),
    ]


def test_roles_command_refuses_an_administrator_that_is_not_a_superuser(
    secured: Secured,
) -> None:
    env = secured.env(
        ETL_PG_ADMIN_USER="etl_monitor", ETL_PG_ADMIN_PASSWORD=password("etl_monitor")
    )
    result = subprocess.run(
        [sys.executable, "scripts/roles.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: the administrator must be a superuser")
    assert result.stderr.count("\n") == 1


def test_roles_command_sets_a_password_from_the_environment_without_printing_it(
    secured: Secured,
) -> None:
    (before,) = secured.rows(None, "select rolpassword from pg_authid where rolname = 'etl_backup'")
    if before[0] is not None:
        pytest.skip("etl_backup already has a password on this cluster: not changing it")
    chosen = "Tst-" + secrets.token_urlsafe(18)
    try:
        result = subprocess.run(
            [sys.executable, "scripts/roles.py", "--verbose"],
            cwd=ROOT,
            env=secured.env(ETL_PG_BACKUP_PASSWORD=chosen),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert "alter role" in result.stderr.lower()  # the statements are echoed...
        assert chosen not in result.stdout + result.stderr  # ...the password never
        (after,) = secured.rows(
            None, "select rolpassword from pg_authid where rolname = 'etl_backup'"
        )
        assert after[0] is not None and chosen not in after[0]
    finally:
        secured.rows(None, "alter role etl_backup password null")


# --- etl_user -----------------------------------------------------------------------------


def test_etl_login_runs_whole_orchestrated_loads(secured: Secured) -> None:
    for load in secured.loads:
        assert load.returncode == 0, load.stdout[-3000:] + load.stderr[-3000:]
    runs = secured.rows(None, "select status, target from audit.etl_run order by started_at")
    assert runs == [("success", "postgres"), ("success", "postgres")]
    statuses = secured.rows(
        None,
        "select entity_name, status from audit.etl_run_entity where run_id ="
        " (select run_id from audit.etl_run order by started_at limit 1)",
    )
    assert dict(statuses) == dict.fromkeys({*ENTITIES, *SNAPSHOTS}, "success")
    assert secured.rows(None, "select count(*) from fact.fact_vendas")[0][0] > 0
    logins = secured.rows(
        None,
        "select distinct login_name from audit.connection_login_events"
        " where source = 'orchestrator' and status = 'success'",
    )
    assert logins == [("etl_user",)]


def test_etl_login_owns_every_schema_and_relation_of_the_warehouse(secured: Secured) -> None:
    schemas = secured.rows(
        None,
        "select nspname, pg_get_userbyid(nspowner) from pg_namespace where nspname = any(%s)",
        (list(WAREHOUSE_SCHEMAS),),
    )
    assert dict(schemas) == dict.fromkeys(WAREHOUSE_SCHEMAS, "etl_user")
    owners = secured.rows(
        None,
        "select distinct pg_get_userbyid(rel.relowner) from pg_class as rel"
        " join pg_namespace as nsp on nsp.oid = rel.relnamespace"
        " where nsp.nspname = any(%s) and rel.relkind in ('r', 'v', 'm', 'S')",
        (list(WAREHOUSE_SCHEMAS),),
    )
    assert owners == [("etl_user",)]


def test_etl_login_reads_the_source_but_cannot_write_it(secured: Secured) -> None:
    (count,) = secured.rows("etl_user", "select count(*) from core.customers")[0]
    assert count > 0
    full_names = secured.rows("etl_user", "select count(full_name) from core.customers")
    assert full_names[0][0] > 0  # the ETL reads personal data to pseudonymise it
    _refused(
        secured,
        "etl_user",
        "update core.customers set email = null",
        "permission denied for table customers",
    )
    _refused(
        secured, "etl_user", "create table core.x (a int)", "permission denied for schema core"
    )


# --- bi_reader ----------------------------------------------------------------------------


def test_bi_reader_reads_every_table_and_view_of_dim_and_fact(secured: Secured) -> None:
    relations = secured.relations("dim", "fact")
    names = {name for _, name, _ in relations}
    assert {"dim_cliente", "fact_vendas", "fact_metas", "fact_descontos"} <= names
    assert any(kind == "v" for _, _, kind in relations), "no reporting view in dim/fact"
    for schema, name, _ in relations:
        sql = f'select count(*) from "{schema}"."{name}"'
        assert secured.rows("bi_reader", sql) == secured.rows(None, sql), name


def test_bi_reader_gets_the_numbers_a_sales_dashboard_shows(secured: Secured) -> None:
    """A Vendas-style read (revenue, margin and orders by month) of the reporting view,
    as bi_reader, equals the same read as the administrator and the fact table's sums."""
    views = {name for _, name, _ in secured.relations("fact")}
    if "vw_dash_vendas_r1" not in views:
        pytest.fail("fact.vw_dash_vendas_r1 is missing: the business dashboards read it")
    sql = (
        "select ano, mes, sum(valor_total_liquido), sum(margem_bruta),"
        " count(distinct numero_pedido) from fact.vw_dash_vendas_r1"
        " group by ano, mes order by ano, mes"
    )
    as_reader = secured.rows("bi_reader", sql)
    assert as_reader and as_reader == secured.rows(None, sql)


def test_business_dashboard_works_end_to_end_as_bi_reader(secured: Secured) -> None:
    """The Vendas app, every page, with the BI login configured and the warehouse login
    pointing at a role that does not exist: it can only have read as bi_reader."""
    from streamlit.testing.v1 import AppTest

    from dashboards.common import cache

    app = ROOT / "dashboards" / "vendas" / "app.py"
    pages = sorted((app.parent / "app_pages").glob("*.py"))
    with pytest.MonkeyPatch.context() as patch:
        for key, value in secured.env(
            ETL_TARGET="postgres",
            ETL_PG_USER=f"nobody_{uuid.uuid4().hex[:8]}",
            ETL_PG_BI_USER="bi_reader",
            ETL_PG_BI_PASSWORD=password("bi_reader"),
            ETL_NOW=NOW,
        ).items():
            patch.setenv(key, value)
        cache.clear_caches()
        test = AppTest.from_file(str(app), default_timeout=120)
        test.run()
        assert not test.exception, test.exception
        assert test.metric, "no KPI shown"
        for page in pages:
            test.switch_page(f"app_pages/{page.name}").run()
            assert not test.exception, (page.name, test.exception)
        # the app's open connection (the warehouse login it falls back to does not exist)
        logins = secured.rows(
            None, "select usename from pg_stat_activity where datname = %s", (secured.database,)
        )
        assert "bi_reader" in {row[0] for row in logins}


@pytest.mark.parametrize(
    ("relation", "message"),
    [
        ("core.customers", "permission denied for schema core"),
        ("core.orders", "permission denied for schema core"),
        ("ctl.etl_control", "permission denied for schema ctl"),
        ("audit.etl_run", "permission denied for schema audit"),
        ("audit.connection_login_events", "permission denied for schema audit"),
        ("audit.vw_connection_login_events_recent", "permission denied for schema audit"),
        ("staging.stg_oltp__customers", "permission denied for schema staging"),
        ("intermediate.int_clientes_validated", "permission denied for schema intermediate"),
    ],
)
def test_bi_reader_cannot_read_raw_personal_data_ctl_or_audit(
    secured: Secured, relation: str, message: str
) -> None:
    schema, name = relation.split(".")
    assert (schema, name) in {(s, n) for s, n, _ in secured.relations(schema)}, relation
    _refused(secured, "bi_reader", f"select * from {relation}", message)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("insert into dim.dim_regiao (regiao_id) values (-99)", "permission denied for table"),
        ("update fact.fact_vendas set quantidade_vendida = 0", "permission denied for table"),
        ("delete from dim.dim_cliente", "permission denied for table dim_cliente"),
        ("truncate fact.fact_metas", "permission denied for table fact_metas"),
        ("create table dim.x (a int)", "permission denied for schema dim"),
        ("create view fact.x as select 1 as a", "permission denied for schema fact"),
        ("create table public.x (a int)", "permission denied for schema public"),
        ("create schema x", "permission denied for database"),
    ],
)
def test_bi_reader_writes_nothing(secured: Secured, sql: str, message: str) -> None:
    _refused(secured, "bi_reader", sql, message)


# --- etl_monitor --------------------------------------------------------------------------


def test_monitor_works_end_to_end_as_etl_monitor(secured: Secured) -> None:
    """The monitor's loaders and every page, with the monitor login configured and the
    warehouse login pointing at a role that does not exist."""
    from streamlit.testing.v1 import AppTest

    from dashboards.common import cache
    from dashboards.common.settings import Settings
    from dashboards.monitor.queries import connection_audit, health, pipelines, preflight

    app = ROOT / "dashboards" / "monitor" / "app.py"
    with pytest.MonkeyPatch.context() as patch:
        for key, value in secured.env(
            ETL_TARGET="postgres",
            ETL_PG_USER=f"nobody_{uuid.uuid4().hex[:8]}",
            ETL_PG_MONITOR_USER="etl_monitor",
            ETL_PG_MONITOR_PASSWORD=password("etl_monitor"),
            ETL_NOW=NOW,
        ).items():
            patch.setenv(key, value)
        cache.clear_caches()
        settings = Settings.from_env()
        checks = preflight.preflight(settings)
        assert set(checks["situacao"]) == {"OK"}, checks.to_string()
        matrix = pipelines.pipeline_matrix(settings).set_index("entity")
        assert set(matrix.index) == ENTITIES
        for entity in ENTITIES:
            quality = health.quality_checks(settings, entity)
            assert not quality.empty, entity
            sample = health.source_sample(settings, entity)
            assert not sample.empty, entity
            assert not set(sample.columns) & set(PERSONAL), entity
        customers = secured.rows(None, "select count(*) from core.customers")[0][0]
        assert matrix.loc["dim_cliente", "source_total"] == customers
        events = connection_audit.connection_events(settings, 24 * 365 * 10)
        mine = events[events["source"] == "monitor"]
        assert not mine.empty and set(mine["login_name"]) == {"etl_monitor"}

        test = AppTest.from_file(str(app), default_timeout=120)
        test.run()
        assert not test.exception, test.exception
        for page in sorted((app.parent / "app_pages").glob("*.py")):
            test.switch_page(f"app_pages/{page.name}").run()
            assert not test.exception, (page.name, test.exception)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("update ctl.etl_control set batch_size = 1", "permission denied for table etl_control"),
        ("delete from ctl.etl_control", "permission denied for table etl_control"),
        ("insert into dim.dim_regiao (regiao_id) values (-99)", "permission denied for table"),
        ("update fact.fact_vendas set quantidade_vendida = 0", "permission denied for table"),
        ("delete from audit.etl_run", "permission denied for table etl_run"),
        ("create table audit.x (a int)", "permission denied for schema audit"),
        ("select full_name from core.customers", "permission denied for table customers"),
        ("select * from core.customers", "permission denied for table customers"),
        ("update core.customers set email = null", "permission denied for table customers"),
        (
            "insert into audit.connection_login_events (event_time, login_name, status, source)"
            " values (now(), 'etl_user', 'success', 'monitor')",
            "new row violates row-level security policy",
        ),
    ],
)
def test_monitor_login_writes_nothing_but_its_own_events_and_reads_no_personal_data(
    secured: Secured, sql: str, message: str
) -> None:
    _refused(secured, "etl_monitor", sql, message)


def test_monitor_login_reads_counts_and_non_personal_source_columns(secured: Secured) -> None:
    rows = secured.rows(
        "etl_monitor",
        "select count(*), count(customer_id), max(updated_at), count(deleted_at),"
        " count(customer_type) from core.customers",
    )
    assert rows == secured.rows(
        None,
        "select count(*), count(customer_id), max(updated_at), count(deleted_at),"
        " count(customer_type) from core.customers",
    )
    conn = secured.connect("etl_monitor")
    try:
        with conn.cursor() as cur:
            cur.execute(
                "insert into audit.connection_login_events (event_time, login_name, status,"
                " source) values (now(), current_user, 'success', 'monitor')"
            )
            assert cur.rowcount == 1
    finally:
        conn.close()


# --- etl_backup ---------------------------------------------------------------------------


def test_backup_login_dumps_the_whole_database(secured: Secured, tmp_path: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed (Debian: postgresql-client)")
    dump = tmp_path / "warehouse.sql"
    result = subprocess.run(
        [
            pg_dump,
            "-h",
            PG_HOST,
            "-p",
            str(PG_PORT),
            "-U",
            "etl_backup",
            "-d",
            secured.database,
            "-f",
            str(dump),
        ],
        env={**os.environ, "PGPASSWORD": password("etl_backup")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    text = dump.read_text(encoding="utf-8")
    for table in ("core.customers", "fact.fact_vendas", "ctl.etl_control"):
        assert f"COPY {table} " in text, table
    assert "COPY audit.connection_login_events " in text  # row-level security bypassed


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("delete from fact.fact_vendas", "permission denied for table fact_vendas"),
        ("update ctl.etl_control set is_active = false", "permission denied for table"),
        ("insert into core.regions (region_id) values (-99)", "permission denied for table"),
        ("create table dim.x (a int)", "permission denied for schema dim"),
    ],
)
def test_backup_login_writes_nothing(secured: Secured, sql: str, message: str) -> None:
    _refused(secured, "etl_backup", sql, message)


# --- dbt grants ---------------------------------------------------------------------------


def test_dbt_keeps_the_reading_grants_of_what_it_rebuilds(secured: Secured) -> None:
    assert secured.revoked_before_second_load
    for schema, name, _ in secured.relations("dim", "fact"):
        for role in ("bi_reader", "etl_monitor", "etl_backup"):
            (granted,) = secured.rows(
                None, "select has_table_privilege(%s, %s, 'select')", (role, f"{schema}.{name}")
            )[0]
            assert granted, (role, schema, name)
    view = "audit.vw_connection_login_events_recent"
    reader = secured.rows(None, "select has_table_privilege('bi_reader', %s, 'select')", (view,))
    monitor = secured.rows(None, "select has_table_privilege('etl_monitor', %s, 'select')", (view,))
    assert (reader, monitor) == ([(False,)], [(True,)])
