"""Vectorised string building on Arrow arrays."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def pick(values: Sequence[str], index: np.ndarray) -> pa.Array:
    """values[index] as an Arrow string array."""
    return pa.array(list(values), type=pa.string()).take(pa.array(np.asarray(index)))


def num(values: np.ndarray, width: int = 0) -> pa.Array:
    """Integers as strings, zero-padded to ``width``."""
    text = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(text, width=width, padding="0") if width else text


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation; plain strings are broadcast."""
    return pc.binary_join_element_wise(*parts, "")


def with_nulls(values: pa.Array, null_mask: np.ndarray) -> pa.Array:
    """``values`` with nulls where ``null_mask`` is true."""
    return pc.if_else(pa.array(null_mask), pa.nulls(len(values), pa.string()), values)


def ascii_slug(value: str) -> str:
    """Lower-case ASCII without accents or spaces ('São Paulo' -> 'saopaulo')."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def ascii_code(value: str, width: int) -> str:
    """Upper-case ASCII code of a name ('Eletrônicos', 3) -> 'ELE'."""
    return ascii_slug(value).upper()[:width]


def const(value: str, size: int) -> pa.Array:
    """``value`` repeated ``size`` times."""
    return pa.repeat(pa.scalar(value, pa.string()), size)
