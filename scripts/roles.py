"""`make roles`: the least-privilege logins of the warehouse on PostgreSQL, idempotently.

    python scripts/roles.py                      # the database of ETL_PG_DATABASE (dw_ecommerce)
    python scripts/roles.py --database dw_test   # another warehouse database

Four roles, the names the original system's users know (roles are cluster-wide; the
grants are for one database, and re-running converges to exactly what is below):

- etl_user: the ETL login. Owns the warehouse schemas (dim, fact, ctl, audit, staging,
  intermediate, ref, snapshots) and everything in them, may create schemas in the database (dbt and
  the orchestrator create what is missing), reads every column of the source schema core.
  Writes nothing in core.
- etl_monitor: the monitor and the alert runner. Reads ctl, audit, dim and fact; reads the
  source's non-personal columns only (counts, watermarks, quality checks, the monitor's
  source sample); inserts into audit.connection_login_events its own connection events
  (row-level security: login_name must be itself) and writes nothing else.
- bi_reader: the business dashboards. Reads the tables and views of dim and fact; no
  access to core (raw personal data), ctl, audit, staging, intermediate, ref or snapshots; writes
  nothing.
- etl_backup: backups only. Reads every schema of the database as pg_dump needs (and
  BYPASSRLS, without which pg_dump refuses a table with row-level security); writes
  nothing.

Connection (an administrator: a superuser, as role attributes and ownership transfers
need one): ETL_PG_HOST, ETL_PG_PORT, ETL_PG_ADMIN_USER (default postgres),
ETL_PG_ADMIN_PASSWORD, ETL_PG_ADMIN_DATABASE (where the cluster-wide part takes its lock,
default postgres). Passwords of the roles, from the environment only: ETL_PG_ETL_PASSWORD,
ETL_PG_MONITOR_PASSWORD, ETL_PG_BI_PASSWORD, ETL_PG_BACKUP_PASSWORD; an unset one leaves
the role's password as it is (a new role then has none: it can log in only where
pg_hba.conf trusts the connection).

Objects created later by etl_user are covered by default privileges. Run it again after
the source is (re)generated (the generator recreates schema core, and with it its grants)
and after the first load (the monitor's INSERT on audit.connection_login_events needs the
table). Loads keep the grants in step too when ETL_PG_GRANTS=1 (dbt `grants` in
dbt_project.yml, PostgreSQL only): set it once these roles exist.

Exit codes: 0 done; 2 cannot connect, or the administrator is not a superuser.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass

import psycopg2
from psycopg2 import sql

ETL = "etl_user"
MONITOR = "etl_monitor"
BI = "bi_reader"
BACKUP = "etl_backup"


@dataclass(frozen=True)
class Role:
    name: str
    password_variable: str
    bypass_rls: bool = False


ROLES = (
    Role(ETL, "ETL_PG_ETL_PASSWORD"),
    Role(MONITOR, "ETL_PG_MONITOR_PASSWORD"),
    Role(BI, "ETL_PG_BI_PASSWORD"),
    Role(BACKUP, "ETL_PG_BACKUP_PASSWORD", bypass_rls=True),
)
READERS = (MONITOR, BI, BACKUP)

SOURCE_SCHEMA = "core"
# Owned by etl_user: what dbt and the orchestrator build (generate_schema_name keeps these
# names on every target).
WAREHOUSE_SCHEMAS = ("dim", "fact", "ctl", "audit", "staging", "intermediate", "ref", "snapshots")
# What each reading role may SELECT (tables and views, present and future).
READS = {
    MONITOR: ("dim", "fact", "ctl", "audit"),
    BI: ("dim", "fact"),
}
CONNECTION_EVENTS = ("audit", "connection_login_events")
# Source columns that hold personal data (LGPD): etl_monitor never reads them. The same
# list is denied to etl_monitor on SQL Server (docker/sql/05_source_personal_data.sql).
PERSONAL_SOURCE_COLUMNS = {
    "customers": (
        "full_name",
        "email",
        "phone",
        "document_number",
        "birth_date",
        "address_line",
        "zip_code",
    ),
}
# Serialises concurrent runs on one cluster (roles are cluster-wide).
LOCK_KEY = 7_246_311_902


class RolesError(Exception):
    """Cannot do it at all (connection, privileges): one line, exit code 2."""


def _ident(*names: str) -> sql.Composable:
    return sql.SQL(".").join(sql.Identifier(name) for name in names)


def _idents(names: Iterable[str]) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(name) for name in names)


class Grants:
    """The statements of one run, against one open connection, echoed when verbose."""

    def __init__(self, conn: psycopg2.extensions.connection, verbose: bool) -> None:
        self.conn = conn
        self.verbose = verbose
        self.notes: list[str] = []

    def run(self, statement: sql.Composable | str, params: tuple[object, ...] = ()) -> None:
        with self.conn.cursor() as cur:
            if self.verbose:
                shown = statement if isinstance(statement, str) else statement.as_string(cur)
                print(f"  {shown}", file=sys.stderr)
            cur.execute(statement, params)

    def rows(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self.conn.cursor() as cur:
            cur.execute(query, params)
            return list(cur.fetchall())

    def scalar(self, query: str, params: tuple[object, ...] = ()) -> object:
        rows = self.rows(query, params)
        return rows[0][0] if rows else None


# --- cluster-wide: the roles --------------------------------------------------------------


def ensure_roles(grants: Grants) -> None:
    """Create the four roles or bring their attributes back to these; set the passwords
    the environment gives."""
    grants.run("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
    for role in ROLES:
        exists = grants.scalar("select count(*) from pg_roles where rolname = %s", (role.name,))
        verb = sql.SQL("alter") if exists else sql.SQL("create")
        grants.run(
            sql.SQL(
                "{verb} role {role} login nosuperuser nocreatedb nocreaterole noreplication"
                " {rls} connection limit -1"
            ).format(
                verb=verb,
                role=sql.Identifier(role.name),
                rls=sql.SQL("bypassrls" if role.bypass_rls else "nobypassrls"),
            )
        )
        password = os.environ.get(role.password_variable, "")
        if password:
            with grants.conn.cursor() as cur:  # never echoed
                cur.execute(
                    sql.SQL("alter role {} password %s").format(sql.Identifier(role.name)),
                    (password,),
                )
        elif not exists:
            grants.notes.append(
                f"{role.name}: created without a password ({role.password_variable} unset):"
                " it logs in only where pg_hba.conf trusts the connection"
            )


# --- one database: the grants ---------------------------------------------------------------


def _relations(grants: Grants, schema: str) -> list[tuple[str, str, str]]:
    """(name, relkind, owner) of the tables, views and sequences of a schema; sequences
    that belong to a column (serial, identity) are left out: they follow their table."""
    return [
        (str(name), str(kind), str(owner))
        for name, kind, owner in grants.rows(
            """
            select rel.relname, rel.relkind, pg_get_userbyid(rel.relowner)
            from pg_class as rel
            join pg_namespace as nsp on nsp.oid = rel.relnamespace
            where nsp.nspname = %s
                and rel.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
                and not exists (
                    select 1 from pg_depend as dep
                    where dep.classid = 'pg_class'::regclass and dep.objid = rel.oid
                        and dep.deptype in ('a', 'i') and dep.refobjsubid > 0
                )
            order by rel.relname
            """,
            (schema,),
        )
    ]


_COLUMN_KINDS = ("r", "p", "v", "m", "f")
_ALTER_KIND = {
    "r": "table",
    "p": "table",
    "v": "view",
    "m": "materialized view",
    "S": "sequence",
    "f": "foreign table",
}


def _schema_exists(grants: Grants, schema: str) -> bool:
    return bool(grants.scalar("select count(*) from pg_namespace where nspname = %s", (schema,)))


def _schema_owner(grants: Grants, schema: str) -> str | None:
    owner = grants.scalar(
        "select pg_get_userbyid(nspowner) from pg_namespace where nspname = %s", (schema,)
    )
    return None if owner is None else str(owner)


def _table_exists(grants: Grants, schema: str, table: str) -> bool:
    return bool(
        grants.scalar(
            "select count(*) from pg_class as rel join pg_namespace as nsp"
            " on nsp.oid = rel.relnamespace where nsp.nspname = %s and rel.relname = %s",
            (schema, table),
        )
    )


def database_privileges(grants: Grants, database: str) -> None:
    db = sql.Identifier(database)
    grants.run(
        sql.SQL("grant connect, temporary, create on database {} to {}").format(db, _ident(ETL))
    )
    for reader in READERS:
        grants.run(sql.SQL("revoke create on database {} from {}").format(db, _ident(reader)))
        grants.run(sql.SQL("grant connect on database {} to {}").format(db, _ident(reader)))
    # PostgreSQL < 15 lets everyone create in schema public; nothing of ours lives there.
    grants.run("revoke create on schema public from public")


def warehouse_schemas(grants: Grants) -> None:
    """etl_user owns the warehouse schemas and every relation in them (a load run before
    as another user leaves its relations to that user: dbt could not replace them)."""
    for schema in WAREHOUSE_SCHEMAS:
        name = sql.Identifier(schema)
        grants.run(
            sql.SQL("create schema if not exists {} authorization {}").format(name, _ident(ETL))
        )
        grants.run(sql.SQL("alter schema {} owner to {}").format(name, _ident(ETL)))
        grants.run(sql.SQL("revoke all on schema {} from public").format(name))
        for relation, kind, owner in _relations(grants, schema):
            if owner != ETL:
                grants.run(
                    sql.SQL("alter {} {} owner to {}").format(
                        sql.SQL(_ALTER_KIND[kind]), _ident(schema, relation), _ident(ETL)
                    )
                )


def _columns(grants: Grants, schema: str, table: str) -> list[str]:
    return [
        str(row[0])
        for row in grants.rows(
            "select attname from pg_attribute where attrelid = %s::regclass"
            " and attnum > 0 and not attisdropped order by attnum",
            (f'"{schema}"."{table}"',),
        )
    ]


def _revoke_everything(
    grants: Grants, role: str, schemas: Iterable[str], columns: bool = False
) -> None:
    """Start a role from nothing in these schemas, so a re-run also removes what is no
    longer granted (`columns`: column-level grants too). What the role owns is left alone."""
    who = _ident(role)
    for schema in schemas:
        owner = _schema_owner(grants, schema)
        if owner is None:
            continue
        name = sql.Identifier(schema)
        if owner != role:
            grants.run(sql.SQL("revoke all on schema {} from {}").format(name, who))
        relations = [item for item in _relations(grants, schema) if item[2] != role]
        for relation, kind, _owner in relations:
            target = _ident(schema, relation)
            grants.run(sql.SQL("revoke all on {} from {}").format(target, who))
            if columns and kind in _COLUMN_KINDS:
                grants.run(
                    sql.SQL("revoke all ({}) on {} from {}").format(
                        _idents(_columns(grants, schema, relation)), target, who
                    )
                )


def _default_privileges(
    grants: Grants, owner: str, schema: str, privileges: str, objects: str, role: str
) -> None:
    grants.run(
        sql.SQL(
            "alter default privileges for role {} in schema {} revoke all on {} from {}"
        ).format(_ident(owner), sql.Identifier(schema), sql.SQL(objects), _ident(role))
    )
    if privileges:
        grants.run(
            sql.SQL(
                "alter default privileges for role {} in schema {} grant {} on {} to {}"
            ).format(
                _ident(owner),
                sql.Identifier(schema),
                sql.SQL(privileges),
                sql.SQL(objects),
                _ident(role),
            )
        )


def readers(grants: Grants) -> None:
    """etl_monitor and bi_reader read what READS lists, now and for what etl_user creates
    later; nothing anywhere else in the warehouse."""
    for role in (MONITOR, BI):
        _revoke_everything(grants, role, WAREHOUSE_SCHEMAS)
        for schema in WAREHOUSE_SCHEMAS:
            allowed = schema in READS[role]
            _default_privileges(grants, ETL, schema, "select" if allowed else "", "tables", role)
            _default_privileges(grants, ETL, schema, "", "sequences", role)
            if allowed:
                name, who = sql.Identifier(schema), _ident(role)
                grants.run(sql.SQL("grant usage on schema {} to {}").format(name, who))
                grants.run(
                    sql.SQL("grant select on all tables in schema {} to {}").format(name, who)
                )


def source(grants: Grants) -> None:
    """etl_user reads the whole source; etl_monitor its non-personal columns; bi_reader
    nothing."""
    if not _schema_exists(grants, SOURCE_SCHEMA):
        grants.notes.append(
            f"schema {SOURCE_SCHEMA} does not exist yet: generate (or restore) the source,"
            " then run this again"
        )
        return
    core = sql.Identifier(SOURCE_SCHEMA)
    grants.run(sql.SQL("revoke all on schema {} from public").format(core))
    for role in (ETL, MONITOR, BI):
        _revoke_everything(grants, role, [SOURCE_SCHEMA], columns=True)
    grants.run(sql.SQL("grant usage on schema {} to {}").format(core, _ident(ETL)))
    grants.run(sql.SQL("grant select on all tables in schema {} to {}").format(core, _ident(ETL)))
    owner = _schema_owner(grants, SOURCE_SCHEMA)
    if owner:  # tables the source's owner adds later
        _default_privileges(grants, owner, SOURCE_SCHEMA, "select", "tables", ETL)
    grants.run(sql.SQL("grant usage on schema {} to {}").format(core, _ident(MONITOR)))
    for table, kind, _owner in _relations(grants, SOURCE_SCHEMA):
        if kind not in _COLUMN_KINDS:
            continue
        personal = set(PERSONAL_SOURCE_COLUMNS.get(table, ()))
        columns = [
            column for column in _columns(grants, SOURCE_SCHEMA, table) if column not in personal
        ]
        grants.run(
            sql.SQL("grant select ({}) on {} to {}").format(
                _idents(columns), _ident(SOURCE_SCHEMA, table), _ident(MONITOR)
            )
        )


def connection_events(grants: Grants) -> None:
    """etl_monitor records its own connections: INSERT on audit.connection_login_events
    where login_name is itself (row-level security; etl_user, the owner, is not bound)."""
    schema, table = CONNECTION_EVENTS
    if not _table_exists(grants, schema, table):
        grants.notes.append(
            f"{schema}.{table} does not exist yet: run this again after the first load so"
            f" {MONITOR} can record its connections"
        )
        return
    relation = _ident(schema, table)
    grants.run(sql.SQL("grant insert on {} to {}").format(relation, _ident(MONITOR)))
    for (sequence,) in grants.rows(
        "select pg_get_serial_sequence(%s, attname) from pg_attribute"
        " where attrelid = %s::regclass and attnum > 0 and not attisdropped"
        " and pg_get_serial_sequence(%s, attname) is not null",
        (f"{schema}.{table}", f"{schema}.{table}", f"{schema}.{table}"),
    ):
        grants.run(
            sql.SQL("grant usage on sequence {} to {}").format(
                sql.SQL(str(sequence)), _ident(MONITOR)
            )
        )
    grants.run(sql.SQL("alter table {} enable row level security").format(relation))
    for policy, statement in (
        ("monitor_reads_events", "for select to {role} using (true)"),
        ("monitor_records_itself", "for insert to {role} with check (login_name = current_user)"),
    ):
        grants.run(
            sql.SQL("drop policy if exists {} on {}").format(sql.Identifier(policy), relation)
        )
        grants.run(
            sql.SQL("create policy {} on {} " + statement).format(
                sql.Identifier(policy), relation, role=_ident(MONITOR)
            )
        )


def backup(grants: Grants) -> None:
    """etl_backup reads every schema of the database (what pg_dump reads), now and what
    etl_user and the source's owner create later; writes nothing."""
    schemas = [
        str(row[0])
        for row in grants.rows(
            "select nspname from pg_namespace where nspname not like 'pg\\_%%'"
            " and nspname <> 'information_schema' order by nspname"
        )
    ]
    _revoke_everything(grants, BACKUP, schemas)
    who = _ident(BACKUP)
    for schema in schemas:
        name = sql.Identifier(schema)
        grants.run(sql.SQL("grant usage on schema {} to {}").format(name, who))
        grants.run(sql.SQL("grant select on all tables in schema {} to {}").format(name, who))
        grants.run(sql.SQL("grant select on all sequences in schema {} to {}").format(name, who))
    for schema in WAREHOUSE_SCHEMAS:
        _default_privileges(grants, ETL, schema, "select", "tables", BACKUP)
        _default_privileges(grants, ETL, schema, "select", "sequences", BACKUP)
    owner = _schema_owner(grants, SOURCE_SCHEMA)
    if owner:
        _default_privileges(grants, owner, SOURCE_SCHEMA, "select", "tables", BACKUP)


# --- the command --------------------------------------------------------------------------


def _connect(database: str) -> psycopg2.extensions.connection:
    host = os.environ.get("ETL_PG_HOST", "127.0.0.1")
    port = os.environ.get("ETL_PG_PORT", "5432")
    user = os.environ.get("ETL_PG_ADMIN_USER", "postgres")
    try:
        return psycopg2.connect(
            host=host,
            port=int(port),
            user=user,
            password=os.environ.get("ETL_PG_ADMIN_PASSWORD", ""),
            dbname=database,
            connect_timeout=5,
            application_name="ecommerce_dw roles",
        )
    except psycopg2.Error as exc:
        first = (str(exc).strip().splitlines() or [repr(exc)])[0]
        raise RolesError(f"cannot connect to {host}:{port}/{database} as {user}: {first}") from None


def apply(database: str, verbose: bool = False) -> list[str]:
    """Create the roles and apply the grants on `database`; the notes to show."""
    admin_database = os.environ.get("ETL_PG_ADMIN_DATABASE", "postgres")
    conn = _connect(admin_database)
    try:
        grants = Grants(conn, verbose)
        if not grants.scalar("select rolsuper from pg_roles where rolname = current_user"):
            raise RolesError(
                "the administrator must be a superuser (role attributes, ownership of the"
                " warehouse): set ETL_PG_ADMIN_USER / ETL_PG_ADMIN_PASSWORD"
            )
        ensure_roles(grants)
        conn.commit()
    finally:
        conn.close()
    notes = grants.notes
    conn = _connect(database)
    try:
        grants = Grants(conn, verbose)
        grants.run("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        database_privileges(grants, database)
        warehouse_schemas(grants)
        readers(grants)
        source(grants)
        connection_events(grants)
        backup(grants)
        conn.commit()
    except psycopg2.Error:
        conn.rollback()
        raise
    finally:
        conn.close()
    return [*notes, *grants.notes]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make roles", description=__doc__.split("\n\n", 1)[0] if __doc__ else None
    )
    parser.add_argument(
        "--database",
        default=os.environ.get("ETL_PG_DATABASE", "dw_ecommerce"),
        help="warehouse database (default: ETL_PG_DATABASE or dw_ecommerce)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print each statement")
    args = parser.parse_args(argv)
    try:
        notes = apply(args.database, args.verbose)
    except RolesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"roles {', '.join(role.name for role in ROLES)}: ready on database {args.database}")
    for note in notes:
        print(f"note: {note}")
    print(
        "load as etl_user (ETL_PG_USER=etl_user ETL_PG_PASSWORD=...), and set ETL_PG_GRANTS=1"
        " so dbt keeps the grants of what it rebuilds"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
