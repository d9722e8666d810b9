"""Outputs written under a temporary name, `<name>.part`, and moved onto
their own name only once complete: a killed job never leaves a partial file
that looks finished (Snakemake would take it for done)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def atomic_output(path: Path | str) -> Iterator[Path]:
    """The `.part` path to write; moved onto `path` when the block ends
    without an error (after an error it stays, named as unfinished)."""
    part = Path(f"{path}.part")
    yield part
    os.replace(part, path)


def write_text(text: str, path: Path | str) -> None:
    """`text` as the whole file at `path`, atomically."""
    with atomic_output(path) as part:
        part.write_text(text)


def write_json(value: Any, path: Path | str) -> None:
    """`value` as JSON at `path`, atomically, one item a line (indent 1)."""
    with atomic_output(path) as part, part.open("w") as handle:
        json.dump(value, handle, indent=1)


def write_rows(rows: Iterable[Iterable[object]], path: Path | str) -> None:
    """Tab-separated lines, one a row, each field as `str` spells it,
    atomically (without pandas, which jobs that only count reads skip)."""
    with atomic_output(path) as part, part.open("w") as handle:
        handle.writelines("\t".join(map(str, row)) + "\n" for row in rows)
