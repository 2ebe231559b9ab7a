"""Brazilian documents and barcodes with valid check digits, vectorised over numpy arrays.

CPF (Pessoa Fisica) 'NNN.NNN.NNN-DD', CNPJ (Pessoa Juridica) 'NN.NNN.NNN/0001-DD', EAN-13.
Uniqueness comes from a bijection of the entity id (an affine map modulo 10^k), so no two
entities share a document and no set of "already used" numbers is needed.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_CPF_W1 = np.arange(10, 1, -1)
_CPF_W2 = np.arange(11, 1, -1)
_CNPJ_W1 = np.array([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
_CNPJ_W2 = np.array([6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
_EAN_W = np.tile([1, 3], 6)


def unique_numbers(ids: np.ndarray, digits: int, offset: int) -> np.ndarray:
    """Distinct ``digits``-digit numbers for distinct ids (a bijection modulo 10**digits)."""
    modulus = 10**digits
    multiplier = 387_420_489  # 3**18: odd and not a multiple of 5: coprime with 10**digits
    return (ids.astype(np.int64) * multiplier + offset) % modulus


def _digits(numbers: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (numbers[:, None] // powers[None, :]) % 10


def _mod11_digit(digits: np.ndarray, weights: np.ndarray) -> np.ndarray:
    remainder = (digits * weights).sum(axis=1) % 11
    return np.where(remainder < 2, 0, 11 - remainder)


def _join(digits: np.ndarray, pattern: str) -> pa.Array:
    """Format digit rows with a pattern where '#' takes the next digit."""
    chars = digits.astype(np.uint8) + ord("0")
    out = np.zeros((digits.shape[0], len(pattern)), dtype=np.uint8)
    k = 0
    for pos, ch in enumerate(pattern):
        if ch == "#":
            out[:, pos] = chars[:, k]
            k += 1
        else:
            out[:, pos] = ord(ch)
    return pa.array(out.view(f"S{len(pattern)}").ravel()).cast(pa.string())


def cpf(numbers: np.ndarray) -> pa.Array:
    """CPFs from 9-digit base numbers (repeated-digit bases are nudged to stay valid)."""
    base = _digits(numbers, 9)
    same = (base == base[:, :1]).all(axis=1)
    base[same, 0] = (base[same, 0] + 1) % 10
    d1 = _mod11_digit(base, _CPF_W1)
    with_d1 = np.column_stack([base, d1])
    d2 = _mod11_digit(with_d1, _CPF_W2)
    return _join(np.column_stack([with_d1, d2]), "###.###.###-##")


def cnpj(numbers: np.ndarray) -> pa.Array:
    """CNPJs (head office '0001') from 8-digit base numbers."""
    base = _digits(numbers, 8)
    branch = np.tile([0, 0, 0, 1], (base.shape[0], 1))
    body = np.column_stack([base, branch])
    d1 = _mod11_digit(body, _CNPJ_W1)
    with_d1 = np.column_stack([body, d1])
    d2 = _mod11_digit(with_d1, _CNPJ_W2)
    return _join(np.column_stack([with_d1, d2]), "##.###.###/####-##")


def ean13(numbers: np.ndarray, prefix: int = 789) -> pa.Array:
    """EAN-13 barcodes (GS1 Brasil prefix 789) from 9-digit item numbers."""
    body = _digits(prefix * 10**9 + numbers, 12)
    check = (10 - (body * _EAN_W).sum(axis=1) % 10) % 10
    return _join(np.column_stack([body, check]), "#" * 13)


def is_valid_cpf(value: str) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 11 or len(set(digits)) == 1:
        return False
    arr = np.array([digits])
    d1 = _mod11_digit(arr[:, :9], _CPF_W1)[0]
    d2 = _mod11_digit(arr[:, :10], _CPF_W2)[0]
    return bool(d1 == digits[9] and d2 == digits[10])


def is_valid_cnpj(value: str) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 14:
        return False
    arr = np.array([digits])
    d1 = _mod11_digit(arr[:, :12], _CNPJ_W1)[0]
    d2 = _mod11_digit(arr[:, :13], _CNPJ_W2)[0]
    return bool(d1 == digits[12] and d2 == digits[13])


def is_valid_ean13(value: str) -> bool:
    if len(value) != 13 or not value.isdigit():
        return False
    digits = np.array([int(c) for c in value])
    return int((10 - (digits[:12] * _EAN_W).sum() % 10) % 10) == int(digits[12])
