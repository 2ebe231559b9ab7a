"""CPF, CNPJ and EAN-13 numbers carry valid check digits, and ids map to distinct numbers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.documents import (
    cnpj,
    cpf,
    ean13,
    is_valid_cnpj,
    is_valid_cpf,
    is_valid_ean13,
    unique_numbers,
)

ids_strategy = st.lists(st.integers(1, 10**8), min_size=1, max_size=200, unique=True)


def test_validators_accept_known_valid_documents_and_reject_altered_ones() -> None:
    assert is_valid_cpf("529.982.247-25")
    assert not is_valid_cpf("529.982.247-24")
    assert not is_valid_cpf("111.111.111-11")
    assert is_valid_cnpj("11.222.333/0001-81")
    assert not is_valid_cnpj("11.222.333/0001-80")
    assert is_valid_ean13("7891000315507")
    assert not is_valid_ean13("7891000315508")


@settings(max_examples=50, deadline=None)
@given(ids=ids_strategy, offset=st.integers(0, 10**9))
def test_generated_documents_are_valid_formatted_and_distinct(ids: list[int], offset: int) -> None:
    arr = np.array(ids, dtype=np.int64)
    cpfs = cpf(unique_numbers(arr, 9, offset)).to_pylist()
    cnpjs = cnpj(unique_numbers(arr, 8, offset)).to_pylist()
    eans = ean13(unique_numbers(arr, 9, offset)).to_pylist()
    assert all(is_valid_cpf(v) and len(v) == 14 and v[3] == "." and v[11] == "-" for v in cpfs)
    assert all(is_valid_cnpj(v) and len(v) == 18 and v[10:15] == "/0001" for v in cnpjs)
    assert all(is_valid_ean13(v) and v.startswith("789") for v in eans)
    assert len(set(cnpjs)) == len(ids)
    assert len(set(eans)) == len(ids)
