"""FASTQ integrity checks.

Two levels:

* `head_problems` looks at the first record only (a few lines per file), so a
  cohort of thousands of FASTQs is checked at start-up in seconds: a file in
  another format (BAM, bzip2, FASTA...), a broken gzip header, a name whose
  .gz (or its absence) misstates the compression, R1 and R2 whose first reads
  differ.
* `check_unit` reads a unit's files to the end before the reads are trimmed,
  checking every record (in bulk, a block of records at a time): a gzip cut in the middle, a record missing a line, a
  quality string of the wrong length, R1/R2 with different read counts or
  names. fastp does not stop on any of these (it drops the broken tail and
  carries on), so without this pass a damaged lane would give silently fewer
  reads.

Every message names the file, and for a broken record its line number.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, repeat, zip_longest
from pathlib import Path
from typing import IO

GZIP_MAGIC = b"\x1f\x8b"
# leading bytes of formats that are sometimes given where a FASTQ belongs
OTHER_FORMATS = {
    b"BZh": "a bzip2 file",
    b"\x28\xb5\x2f\xfd": "a zstd file",
    b"\xfd7zXZ": "an xz file",
    b"PK\x03\x04": "a zip archive",
    b"BAM\x01": "a BAM file",
    b"CRAM": "a CRAM file",
    b">": "a FASTA file (no qualities)",
}
FIX = "give gzip-compressed or plain FASTQ"


class FastqError(ValueError):
    """A FASTQ file is unusable; the message names the file and the place."""


@dataclass(frozen=True)
class UnitSummary:
    fq1: str
    fq2: str | None
    reads: int  # records (pairs for paired units)


def _open(path: Path) -> IO[bytes]:
    with path.open("rb") as handle:
        magic = handle.read(2)
    if magic == GZIP_MAGIC:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


class _GzipFailure(Exception):
    """gzip -dc ended with an error; the message is gzip's."""


@contextmanager
def _decompressed(path: Path) -> Iterator[tuple[IO[bytes], Callable[[], None]]]:
    """The file's bytes, decompressed by a `gzip -dc` process beside this one
    when it is gzip (faster than Python's gzip module, and on another core),
    and a function to call at the end that raises _GzipFailure
    when gzip failed."""
    with path.open("rb") as handle:
        magic = handle.read(2)
    gzip_command = shutil.which("gzip")
    if magic != GZIP_MAGIC or gzip_command is None:
        with _open(path) as handle:
            yield handle, lambda: None
        return
    process = subprocess.Popen([gzip_command, "-dc", "--", str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None

    def finish() -> None:
        process.stdout.read()  # type: ignore[union-attr]
        message = process.stderr.read().decode(errors="replace").strip()  # type: ignore[union-attr]
        if process.wait() != 0:
            raise _GzipFailure(message)

    try:
        yield process.stdout, finish
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()


def _format_problem(path: Path, label: str, shown: str | None = None) -> str | None:
    """The name of another format the file is in, as a message, or None."""
    name = shown or str(path)
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith(GZIP_MAGIC):
        try:
            with gzip.open(path, "rb") as handle:
                inner = handle.read(4)
        except (OSError, EOFError, zlib.error) as error:
            return f"{label} '{name}' is not a readable gzip file ({error}); {FIX}"
        if inner.startswith(b"BAM\x01"):
            return f"{label} '{name}' is a BAM file, not FASTQ; convert it (samtools fastq) or {FIX}"
        return None
    for magic, kind in OTHER_FORMATS.items():
        if start.startswith(magic):
            return f"{label} '{name}' is {kind}, not FASTQ; {FIX}"
    return None


def _suffix_problem(path: Path, label: str, shown: str | None = None) -> str | None:
    """A name that misstates the compression, as a message, or None.

    fastp decides by the name alone: it stops on a plain file ending in .gz,
    and reads a gzip file not ending in .gz as text, finding no reads and
    exiting 0.
    """
    name = shown or str(path)
    with path.open("rb") as handle:
        compressed = handle.read(2) == GZIP_MAGIC
    if path.name.endswith(".gz") and not compressed:
        return (f"{label} '{name}' ends in .gz but is not gzip-compressed; compress it "
                "(gzip) or drop the .gz from its name")
    if compressed and not path.name.endswith(".gz"):
        return (f"{label} '{name}' is gzip-compressed but its name does not end in .gz, so "
                "fastp would read it as text and find no reads; add .gz to its name")
    return None


def read_name(header: bytes) -> str:
    """The read's name without '@', comment and /1 or /2 mate suffix."""
    fields = header[1:].split(maxsplit=1)
    name = fields[0].decode(errors="replace") if fields else ""
    return name[:-2] if name.endswith(("/1", "/2")) else name


def first_read(path: Path, label: str = "FASTQ", shown: str | None = None) -> str | None:
    """The name of the first read; None for a file without reads.

    Raises FastqError when the file is not FASTQ, or its name ends in .gz
    when it is not gzip-compressed or the other way round; messages name the
    file as `shown` (the path as the sheet writes it) when given.
    """
    problem = _format_problem(path, label, shown)
    if problem:
        raise FastqError(problem)
    try:
        with _open(path) as handle:
            header = handle.readline()
            while header and not header.strip():
                header = handle.readline()
    except (OSError, EOFError, zlib.error) as error:
        raise FastqError(f"{label} '{shown or path}' cannot be read ({error}); {FIX}") from None
    if header and not header.startswith(b"@"):
        first = header[:40].decode(errors="replace").rstrip()
        raise FastqError(
            f"{label} '{shown or path}' does not start with a FASTQ header (line 1 is '{first}', "
            f"not '@<read name>'); {FIX}"
        )
    problem = _suffix_problem(path, label, shown)
    if problem:
        raise FastqError(problem)
    # an empty FASTQ is a cell without reads, reported as failed later
    return read_name(header) if header else None


def head_problems(fq1: str, fq2: str | None, base: Path | str = ".") -> list[str]:
    """Problems visible in the first record of a unit's FASTQ file(s), given as
    the sheet writes them (relative to `base`)."""
    problems = []
    names = {}
    for label, fastq in (("fq1", fq1), ("fq2", fq2)):
        if fastq is None:
            continue
        try:
            names[label] = first_read(Path(base) / fastq, label, shown=fastq)
        except FastqError as error:
            problems.append(str(error))
    if not problems and fq2 is not None and names["fq1"] != names["fq2"]:
        problems.append(
            f"fq1 '{fq1}' starts with read '{names['fq1']}' but fq2 '{fq2}' with "
            f"'{names['fq2']}'; R1 and R2 must hold the same reads in the same order "
            "(are the files of two different units paired?)"
        )
    return problems


def _slow_records(path: Path, lines: Iterator[bytes], line: int) -> Iterator[bytes]:
    """Headers of records, checked one by one; `line` lines were read before.

    Used where a block of records fails the fast checks, to find and name the
    first broken record.
    """
    for header in lines:
        line += 1
        if not header.strip():
            continue  # blank lines between records are tolerated
        if not header.startswith(b"@"):
            raise FastqError(
                f"'{path}' line {line}: expected a read header starting with '@', "
                f"found '{header[:40].decode(errors='replace').rstrip()}'; "
                "the file is damaged or not FASTQ"
            )
        sequence, plus, quality = next(lines, b""), next(lines, b""), next(lines, b"")
        start = line
        line += 3
        if not quality:
            raise FastqError(
                f"'{path}' line {start}: the record of read '{read_name(header)}' "
                "ends before its quality line; the file is truncated or damaged"
            )
        if not plus.startswith(b"+"):
            raise FastqError(
                f"'{path}' line {start}: the record of read '{read_name(header)}' "
                "has no '+' separator line; a line of the record is missing"
            )
        if len(sequence.rstrip(b"\r\n")) != len(quality.rstrip(b"\r\n")):
            raise FastqError(
                f"'{path}' line {start}: the record of read '{read_name(header)}' has "
                f"{len(sequence.rstrip())} bases but {len(quality.rstrip())} quality "
                "values; the record is truncated or damaged"
            )
        yield header


def _well_formed(block: list[bytes]) -> bool:
    """Whether whole records (4 lines each) all look right, checked in bulk."""
    return (
        all(map(bytes.startswith, block[0::4], repeat(b"@")))
        and all(map(bytes.startswith, block[2::4], repeat(b"+")))
        and list(map(len, block[1::4])) == list(map(len, block[3::4]))
    )


def header_blocks(path: Path | str) -> Iterator[list[bytes]]:
    """Header lines of every record, a block at a time, each record's four
    lines checked.

    Raises FastqError naming the file and line of the first broken record,
    or the truncation of a gzip file.
    """
    path = Path(path)
    problem = _format_problem(path, "FASTQ")
    if problem:
        raise FastqError(problem)
    line = 0  # lines of the records yielded so far
    try:
        with _decompressed(path) as (handle, finish):
            pending: list[bytes] = []
            while True:
                chunk = handle.readlines(1 << 20)
                if not chunk:
                    finish()  # a truncated gzip is named as such, not as a broken record
                lines = pending + chunk
                whole = len(lines) - len(lines) % 4 if chunk else 0
                if chunk and _well_formed(lines[:whole]):
                    yield lines[0:whole:4]
                    line += whole
                    pending = lines[whole:]
                    continue
                # a broken record, blank lines or the end: record by record
                rest = iter(lines) if not chunk else chain(lines, handle)
                try:
                    yield from ([header] for header in _slow_records(path, rest, line))
                except FastqError:
                    finish()  # when gzip failed, that is the cause to name
                    raise
                finish()
                return
    except (EOFError, _GzipFailure) as error:
        if isinstance(error, EOFError) or "unexpected end of file" in str(error):
            raise FastqError(
                f"'{path}' ends in the middle of its gzip stream after line {line}: the "
                "file is truncated (an interrupted copy or a full disk?); copy it again"
            ) from None
        raise FastqError(f"'{path}' is corrupt after line {line} ({error}); copy it again") from None
    except (OSError, zlib.error) as error:
        raise FastqError(
            f"'{path}' is corrupt after line {line} ({error}); copy it again"
        ) from None


def records(path: Path | str) -> Iterator[str]:
    """Read names of every record (see header_blocks for the checks)."""
    for block in header_blocks(path):
        yield from map(read_name, block)


def check_unit(fq1: Path | str, fq2: Path | str | None = None) -> UnitSummary:
    """Read a unit's FASTQ file(s) to the end; raise FastqError on any damage."""
    if fq2 is None:
        return UnitSummary(str(fq1), None, sum(map(len, header_blocks(fq1))))
    counts = [0, 0]
    headers = (chain.from_iterable(header_blocks(fq)) for fq in (fq1, fq2))
    for header1, header2 in zip_longest(*headers):
        counts[0] += header1 is not None
        counts[1] += header2 is not None
        if header1 is None or header2 is None:
            continue
        if header1 != header2 and read_name(header1) != read_name(header2):
            raise FastqError(
                f"read {counts[0]} is '{read_name(header1)}' in fq1 '{fq1}' but "
                f"'{read_name(header2)}' in fq2 '{fq2}'; R1 and R2 must hold the same "
                "reads in the same order"
            )
    if counts[0] != counts[1]:
        raise FastqError(
            f"fq1 '{fq1}' holds {counts[0]} reads but fq2 '{fq2}' {counts[1]}; R1 and R2 "
            "must hold the same reads: one of them is truncated or belongs to another unit"
        )
    return UnitSummary(str(fq1), str(fq2), counts[0])
