"""Atomic file output: write to a hidden temporary name beside the target,
then rename, so an interrupted run never leaves a truncated file that looks
finished (the workflow would happily consume it)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def temporary_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp{os.getpid()}")


@contextmanager
def atomic_binary(path: Path) -> Iterator[BinaryIO]:
    """Open `path` for binary writing; it appears only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(path)
    try:
        with open(tmp, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> Path:
    with atomic_binary(path) as handle:
        handle.write(text.encode("utf-8"))
    return path


def format_cell(value: object) -> str:
    """TSV cell text: empty for None, lower-case booleans, compact floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.1f}"
    return str(value)


def write_tsv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Path:
    lines = ["\t".join(header)]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(
                f"{path.name}: row has {len(row)} fields, header {len(header)}"
            )
        lines.append("\t".join(format_cell(value) for value in row))
    return write_text(path, "\n".join(lines) + "\n")
