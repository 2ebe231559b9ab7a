"""Seeded random streams: one independent numpy Generator per (seed, purpose)."""

from __future__ import annotations

import zlib

import numpy as np


def rng_for(seed: int, *keys: str | int) -> np.random.Generator:
    """A Generator for one purpose (e.g. ``rng_for(42, "customers")``), stable across runs."""
    parts = [int(seed)]
    for key in keys:
        parts.append(key if isinstance(key, int) else zlib.crc32(key.encode("utf-8")))
    return np.random.default_rng(parts)


def weighted(rng: np.random.Generator, weights: np.ndarray | tuple, size: int) -> np.ndarray:
    """Indexes drawn with the given (unnormalised) weights."""
    w = np.asarray(weights, dtype=float)
    cdf = np.cumsum(w / w.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), w.size - 1)


def exact_share(rng: np.random.Generator, size: int, share: float) -> np.ndarray:
    """A boolean mask with exactly round(size * share) True values at random positions."""
    return rng.permutation(size) < round(size * share)


def block_pattern(rng: np.random.Generator, size: int, counts: tuple[int, ...]) -> np.ndarray:
    """Category indexes with an exact mix per block of sum(counts) consecutive rows."""
    pattern = np.repeat(np.arange(len(counts)), counts)
    block = pattern.size
    blocks = -(-size // block)
    tiled = np.tile(pattern, blocks)
    block_id = np.repeat(np.arange(blocks), block)
    order = np.lexsort((rng.random(tiled.size), block_id))
    return tiled[order][:size]


def uniform_int(rng: np.random.Generator, low: int, high: int, size: int) -> np.ndarray:
    """Integers in [low, high] inclusive."""
    return rng.integers(low, high + 1, size=size, dtype=np.int64)
