"""Deterministic random streams keyed by name.

Every part of the simulation (the genome, a patient's germline, one cell's
amplification, one library's reads) gets its own generator derived from the
run seed and a text key, so a sample's output does not depend on which other
samples exist or in which order they are generated.
"""

from __future__ import annotations

import hashlib

import numpy as np


def child_rng(seed: int, *key: str) -> np.random.Generator:
    """A generator for `key` under `seed`, stable across runs and platforms."""
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    digest = hashlib.sha256("\x1f".join(key).encode("utf-8")).digest()
    words = np.frombuffer(digest[:16], dtype="<u4").tolist()
    return np.random.default_rng(np.random.SeedSequence([seed, *words]))
