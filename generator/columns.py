"""Column batches as numpy arrays, and their conversion to and from Arrow tables.

Builders work on ``Columns`` (a dict of column name -> numpy array or Arrow string array).
Conventions: decimal columns hold the unscaled integer (cents for money, hundredths of a
percent or of a centimetre, thousandths of a kilogram, tenths of a rating point: the
column's scale), timestamps are int64 epoch milliseconds, dates int32 epoch days, flags
numpy booleans, and NULL in a numeric column is the sentinel ``NULL``. String columns are
Arrow arrays (nulls allowed).

Timestamps become whole seconds (floored) on the way to Arrow, as the source's
DATETIME2(0) stores them: flooring keeps every ``a >= b`` between two instants, so the
builders may compute in milliseconds.
"""

from __future__ import annotations

from typing import Union

import numpy as np
import pyarrow as pa

from generator.clock import SECOND_MS
from generator.schema import BY_NAME, Column, Table

ColumnData = Union[np.ndarray, pa.Array]  # noqa: UP007 (runtime alias)
Columns = dict[str, ColumnData]

NULL = np.iinfo(np.int64).min


def decimal_array(unscaled: np.ndarray, type_: pa.Decimal128Type) -> pa.Array:
    """A decimal128 array from unscaled int64 values (``NULL`` sentinel -> null)."""
    values = np.asarray(unscaled, dtype=np.int64)
    valid = values != NULL
    words = np.empty((values.size, 2), dtype=np.int64)
    words[:, 0] = np.where(valid, values, 0)
    words[:, 1] = words[:, 0] >> 63
    validity = None
    null_count = int(values.size - valid.sum())
    if null_count:
        validity = pa.py_buffer(np.packbits(valid, bitorder="little").tobytes())
    return pa.Array.from_buffers(
        type_, values.size, [validity, pa.py_buffer(words.tobytes())], null_count
    )


def decimal_unscaled(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Unscaled int64 values of a decimal128 array (nulls -> ``NULL``)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    words = np.frombuffer(array.buffers()[1], dtype=np.int64)
    low = words[2 * array.offset : 2 * (array.offset + len(array)) : 2].copy()
    if array.null_count:
        low[~np.asarray(array.is_valid())] = NULL
    return low


def _to_arrow(col: Column, data: ColumnData) -> pa.Array:
    if isinstance(data, pa.ChunkedArray):
        data = data.combine_chunks()
    if isinstance(data, pa.Array):
        return data if data.type == col.arrow_type else data.cast(col.arrow_type)
    kind = col.kind
    if kind == "dec":
        return decimal_array(data, col.arrow_type)
    if kind == "flag":
        return pa.array(np.asarray(data, dtype=bool), type=pa.bool_())
    values = np.asarray(data, dtype=np.int64)
    mask = values == NULL
    if kind == "ts":
        values = np.where(mask, 0, values) // SECOND_MS
    elif kind in ("date", "int"):
        values = np.where(mask, 0, values).astype(np.int32)
    return pa.array(values, type=col.arrow_type, mask=mask if mask.any() else None)


def to_table(table: Table | str, cols: Columns) -> pa.Table:
    """An Arrow table in the contract's column order and types."""
    spec = BY_NAME[table] if isinstance(table, str) else table
    missing = [c.name for c in spec.columns if c.name not in cols]
    if missing:
        raise KeyError(f"{spec.name}: missing columns {missing}")
    arrays = [_to_arrow(c, cols[c.name]) for c in spec.columns]
    return pa.Table.from_arrays(arrays, schema=spec.arrow_schema)


def from_table(table: Table | str, data: pa.Table) -> Columns:
    """The inverse of ``to_table``: numpy arrays (with sentinels) and Arrow string arrays."""
    spec = BY_NAME[table] if isinstance(table, str) else table
    out: Columns = {}
    for col in spec.columns:
        array = data.column(col.name).combine_chunks()
        if col.arrow_type == pa.string():
            out[col.name] = array.cast(pa.string())
        elif col.kind == "dec":
            out[col.name] = decimal_unscaled(array.cast(col.arrow_type))
        elif col.kind == "flag":
            out[col.name] = np.asarray(array.fill_null(False), dtype=bool)
        else:
            if col.kind == "ts":
                ints = array.cast(pa.timestamp("ms")).cast(pa.int64())
            elif col.kind == "date":
                ints = array.cast(pa.date32()).cast(pa.int32()).cast(pa.int64())
            else:
                ints = array.cast(pa.int64())
            out[col.name] = np.asarray(ints.fill_null(NULL), dtype=np.int64)
    return out


def take(cols: Columns, index: np.ndarray) -> Columns:
    """Rows ``index`` of every column."""
    arrow_index = pa.array(np.asarray(index, dtype=np.int64))
    return {
        name: data.take(arrow_index) if isinstance(data, pa.Array) else data[index]
        for name, data in cols.items()
    }


def concat(parts: list[Columns]) -> Columns:
    """Row-wise concatenation of column batches with the same columns."""
    out: Columns = {}
    for name in parts[0]:
        values = [p[name] for p in parts]
        if isinstance(values[0], pa.Array):
            out[name] = pa.concat_arrays([v.cast(pa.string()) for v in values])
        else:
            out[name] = np.concatenate(values)
    return out
