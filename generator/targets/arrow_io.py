"""CSV bridges between Arrow tables and database bulk paths (PostgreSQL COPY)."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.csv as pcsv

from generator.schema import Table


def to_csv_bytes(data: pa.Table) -> io.BytesIO:
    """CSV with a header; strings always quoted, NULL as an unquoted empty field."""
    buffer = io.BytesIO()
    pcsv.write_csv(data, buffer, pcsv.WriteOptions(include_header=True))
    buffer.seek(0)
    return buffer


def from_csv_bytes(table: Table, buffer: io.BytesIO) -> pa.Table:
    """Parse CSV produced by PostgreSQL's COPY TO (booleans t/f) into the contract's schema."""
    buffer.seek(0)
    schema = table.arrow_schema
    convert = pcsv.ConvertOptions(
        column_types={f.name: f.type for f in schema},
        true_values=["t", "true", "1"],  # boolean or smallint flags
        false_values=["f", "false", "0"],
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    parsed = pcsv.read_csv(
        buffer,
        read_options=pcsv.ReadOptions(block_size=1 << 24),
        convert_options=convert,
    )
    return conform(table, parsed)


def encode_flags(table: Table, data: pa.Table, flag_type: str) -> pa.Table:
    """``data`` with its flag columns as SMALLINT 0/1 when the source stores them so."""
    if flag_type != "smallint":
        return data
    for name in table.flag_columns:
        index = data.schema.get_field_index(name)
        field = data.schema.field(index)
        data = data.set_column(
            index, pa.field(name, pa.int16(), field.nullable), data.column(name).cast(pa.int16())
        )
    return data


def conform(table: Table, data: pa.Table) -> pa.Table:
    """Cast a fetched table to the contract's column order and Arrow types (SMALLINT flags
    become booleans)."""
    schema = table.arrow_schema
    arrays = [
        # timestamps a foreign writer stored with a fraction are floored to the second
        data.column(f.name).cast(f.type, safe=not pa.types.is_timestamp(f.type))
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def rows_to_table(table: Table, rows: list[tuple[object, ...]]) -> pa.Table:
    """Python row tuples (as returned by a DB-API cursor) into the contract's schema."""
    schema = table.arrow_schema
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    arrays = [pa.array(list(col), type=f.type) for col, f in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def table_to_rows(data: pa.Table) -> list[tuple[object, ...]]:
    """Arrow rows as Python tuples (for DB-API executemany)."""
    return list(zip(*(col.to_pylist() for col in data.columns), strict=True))
