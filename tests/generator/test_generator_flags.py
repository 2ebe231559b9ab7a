"""``--flag-type smallint`` stores every flag as SMALLINT 0/1 (a common port of ``bit``) on
DuckDB and PostgreSQL, with the same data as the boolean source; waves work on it; SQL
Server refuses it (it always uses BIT)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import psycopg2
import pytest
from oltp_snapshots import AS_OF, assert_one_line_error, query, run_cli

from generator import UsageError, apply_wave, generate
from generator.export import export_canonical
from generator.schema import BY_NAME, TABLE_NAMES, TABLES

FLAGS = [(t.name, c) for t in TABLES for c in t.flag_columns]


def test_every_contract_flag_is_a_flag_column() -> None:
    assert sorted({c for _, c in FLAGS}) == sorted(
        [
            "is_active",
            "is_vip",
            "accepts_email_marketing",
            "is_perishable",
            "is_fragile",
            "requires_refrigeration",
            "is_stackable",
            "approval_required",
            "had_discount",
            "approved",
            "period_closed",
        ]
    )


def _flag_values(path: Path) -> dict[tuple[str, str], tuple[str, set[object]]]:
    out = {}
    for table, column in FLAGS:
        ((type_,),) = query(
            path,
            "select data_type from information_schema.columns"
            " where table_schema = 'core' and table_name = ? and column_name = ?",
            [table, column],
        )
        values = {v for (v,) in query(path, f"select distinct {column} from core.{table}")}
        out[(table, column)] = (type_, values)
    return out


def test_duckdb_smallint_source_stores_flags_as_0_1_with_the_same_data(
    make_source: Callable[..., Path],
) -> None:
    boolean = make_source(scale=0.02, name="boolean.duckdb")
    smallint = make_source(scale=0.02, name="smallint.duckdb", flag_type="smallint")
    for (table, column), (type_, values) in _flag_values(smallint).items():
        assert type_ == "SMALLINT", (table, column)
        assert values <= {0, 1} and values, (table, column, values)
    assert {t for t, _ in _flag_values(boolean).values()} == {"BOOLEAN"}
    assert export_canonical("duckdb", smallint) == export_canonical("duckdb", boolean)
    assert query(smallint, "select flag_type from generator_meta.runs") == [("smallint",)]
    con = duckdb.connect(str(smallint))
    try:
        with pytest.raises(duckdb.ConstraintException, match="CHECK"):
            con.execute("update core.customers set is_vip = 2 where customer_id = 1")
    finally:
        con.close()


def test_wave_on_a_smallint_source_writes_0_1_and_matches_the_boolean_source(
    make_source: Callable[..., Path],
) -> None:
    boolean = make_source(scale=0.02, name="boolean.duckdb")
    smallint = make_source(scale=0.02, name="smallint.duckdb", flag_type="smallint")
    for path in (boolean, smallint):
        apply_wave(1, duckdb_path=path, seed=3)
        apply_wave(2, duckdb_path=path, seed=3)
    assert export_canonical("duckdb", smallint) == export_canonical("duckdb", boolean)
    # the waves' soft deletes wrote is_active = 0
    ((deleted, deactivated),) = query(
        smallint,
        "select count(*), count(*) filter (where is_active = 0) from core.customers"
        " where deleted_at is not null",
    )
    assert deleted > 0 and deactivated == deleted
    assert query(smallint, "select wave, flag_type from generator_meta.runs order by wave") == [
        (0, "smallint"),
        (1, "smallint"),
        (2, "smallint"),
    ]


def test_no_checks_smallint_source_has_no_flag_check(make_source: Callable[..., Path]) -> None:
    path = make_source(name="legacy.duckdb", flag_type="smallint", checks=False)
    con = duckdb.connect(str(path))
    try:
        con.execute("update core.customers set is_vip = 2 where customer_id = 1")
    finally:
        con.close()
    assert query(path, "select is_vip from core.customers where customer_id = 1") == [(2,)]


@pytest.mark.postgres
def test_postgres_smallint_source_equals_duckdb_and_takes_a_wave(
    pg_env: dict[str, str], make_source: Callable[..., Path]
) -> None:
    duck = make_source(scale=0.02, seed=4, flag_type="smallint")
    generate(target="postgres", scale=0.02, seed=4, as_of=AS_OF, flag_type="smallint")
    assert export_canonical("postgres") == export_canonical("duckdb", duck)
    apply_wave(1, duckdb_path=duck, seed=4)
    apply_wave(1, target="postgres", seed=4)
    assert export_canonical("postgres") == export_canonical("duckdb", duck)
    con = psycopg2.connect(
        host=pg_env["ETL_PG_HOST"],
        port=int(pg_env["ETL_PG_PORT"]),
        user=pg_env["ETL_PG_USER"],
        password=pg_env["ETL_PG_PASSWORD"],
        dbname=pg_env["ETL_PG_DATABASE"],
    )
    try:
        with con.cursor() as cur:
            cur.execute(
                "select table_name, column_name, data_type from information_schema.columns"
                " where table_schema = 'core' and data_type in ('smallint', 'boolean')"
            )
            found = {(t, c): d for t, c, d in cur.fetchall()}
            assert found == dict.fromkeys(FLAGS, "smallint")
            for table, column in FLAGS:
                cur.execute(f"select distinct {column} from core.{table}")
                assert {v for (v,) in cur.fetchall()} <= {0, 1}, (table, column)
            cur.execute("select flag_type from generator_meta.runs order by wave")
            assert cur.fetchall() == [("smallint",), ("smallint",)]
        with pytest.raises(psycopg2.errors.CheckViolation), con, con.cursor() as cur:
            cur.execute("update core.order_items set had_discount = 2 where order_item_id = 1")
    finally:
        con.close()


def test_sqlserver_refuses_smallint_flags_before_connecting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ETL_SQL_SERVER", "127.0.0.1")
    monkeypatch.setenv("ETL_SQL_PORT", "1")  # would be a connection error, exit 1
    code, out, err = run_cli(capsys, "--target", "sqlserver", "--flag-type", "smallint")
    assert code == 2 and out == ""
    assert_one_line_error(err, "--flag-type smallint", "sqlserver always uses BIT")
    with pytest.raises(UsageError, match="sqlserver always uses BIT"):
        generate(target="sqlserver", flag_type="smallint")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--flag-type", "bit"], "invalid choice: 'bit'"),
        (["--wave", "1", "--flag-type", "smallint"], "--flag-type cannot be combined with --wave"),
    ],
)
def test_bad_flag_type_usage_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], fragment: str
) -> None:
    path = tmp_path / "never.duckdb"
    code, _, err = run_cli(capsys, *args, "--duckdb-path", str(path))
    assert code == 2
    assert_one_line_error(err, fragment)
    assert not path.exists()


def test_flag_columns_are_the_only_boolean_columns() -> None:
    for name in TABLE_NAMES:
        booleans = [c.name for c in BY_NAME[name].arrow_schema if str(c.type) == "bool"]
        assert booleans == BY_NAME[name].flag_columns, name
