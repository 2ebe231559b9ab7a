"""The Spark cursor's rewrite of the audit's partial-column inserts (orchestrator/spark.py):
Spark writes every column of an Iceberg table, so an insert naming some columns becomes an
insert of every column, the others NULL, with the `?` markers and their parameters moved
with their columns. Pure text: the table's columns are given, no session is started (the
Spark end-to-end test runs the same writer on a real session)."""

from __future__ import annotations

from orchestrator.spark import _split_values, every_column

RUN_COLUMNS = [
    ("run_id", "string"),
    ("started_at", "timestamp"),
    ("status", "string"),
    ("entities_failed", "int"),
    ("error_message", "string"),
]


def _columns(table: str) -> list[tuple[str, str]]:
    assert table == "audit.etl_run"
    return RUN_COLUMNS


def test_values_split_at_top_level_commas_only() -> None:
    assert _split_values("?, 'a, b', coalesce(?, 0), 'it''s, here', 3") == [
        "?", "'a, b'", "coalesce(?, 0)", "'it''s, here'", "3",
    ]  # fmt: skip


def test_a_partial_insert_becomes_one_of_every_column_in_table_order() -> None:
    sql, params = every_column(
        "insert into audit.etl_run (status, run_id, entities_failed) values (?, ?, 0)",
        ["running", "r1"],
        _columns,
    )
    assert sql == (
        "insert into audit.etl_run select cast(? as string), cast(null as timestamp),"
        " cast(? as string), cast(0 as int), cast(null as string)"
    )
    assert params == ["r1", "running"]  # in the order of their columns now


def test_other_statements_pass_unchanged() -> None:
    sql = "update audit.etl_run set status = ? where run_id = ?"
    assert every_column(sql, ["success", "r1"], _columns) == (sql, ["success", "r1"])
