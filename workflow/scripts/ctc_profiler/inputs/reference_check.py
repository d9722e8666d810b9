"""Checks that a reference FASTA and the region files used with it agree,
before any job runs: a genes BED on `17` with a reference on `chr17` would
otherwise give silently empty results."""

from __future__ import annotations

from pathlib import Path

from ctc_profiler.core.bed import bed_records
from ctc_profiler.inputs.fastq_check import GZIP_MAGIC


def fasta_format_problems(fasta: Path | str) -> list[str]:
    """A reference that is compressed or not FASTA at all, named as such."""
    with Path(fasta).open("rb") as handle:
        start = handle.read(4096)
    if start.startswith(GZIP_MAGIC):
        return [
            f"reference.fasta '{fasta}' is gzip-compressed; the workflow needs an uncompressed "
            f"FASTA: decompress a copy (gunzip -c '{fasta}' > genome.fa) and set "
            "reference.fasta to it"
        ]
    if start.lstrip()[:1] != b">":
        return [
            f"reference.fasta '{fasta}' does not start with a '>' header line; point it at "
            "an uncompressed FASTA file"
        ]
    return []


def fasta_index_for(fasta: Path | str, candidates: list[Path | str]) -> Path | None:
    """The first candidate .fai that exists and is newer than the FASTA: an
    index read in place, never one written (the FASTA's folder may be
    read-only and is the user's)."""
    modified = Path(fasta).stat().st_mtime
    for candidate in map(Path, candidates):
        if candidate.is_file() and candidate.stat().st_mtime >= modified:
            return candidate
    return None


def _fai_rows(index: Path) -> list[tuple[str, int]]:
    """(name, length) of every .fai line, in order, repeated names kept."""
    with index.open() as handle:
        rows = (line.split("\t", 2) for line in handle if line.strip())
        return [(row[0], int(row[1])) for row in rows]


def _header_name(line: bytes) -> str:
    """The contig name of a FASTA header line ('>name description')."""
    return line[1:].split(maxsplit=1)[0].decode() if line[1:].strip() else ""


def _index_of(fasta: Path, index: Path | str | None) -> Path:
    return Path(index) if index else Path(f"{fasta}.fai")


def contig_names(fasta: Path | str, index: Path | str | None = None) -> list[str]:
    """Contig names from a .fai (`index`, else the one beside the FASTA) when
    present, else from the FASTA's headers."""
    fasta = Path(fasta)
    if (fai := _index_of(fasta, index)).is_file():
        return [name for name, _ in _fai_rows(fai)]
    with fasta.open("rb") as handle:
        return [_header_name(line) for line in handle if line.startswith(b">")]


def contig_table(fasta: Path | str, index: Path | str | None = None) -> list[tuple[str, int]]:
    """(name, length) of every contig, in order, from a .fai (`index`, else the
    one beside the FASTA) when present, else counted from the FASTA's sequence
    lines (no index is written: the FASTA's folder is the user's)."""
    fasta = Path(fasta)
    if (fai := _index_of(fasta, index)).is_file():
        return _fai_rows(fai)
    table: list[list] = []
    with fasta.open("rb") as handle:
        for line in handle:
            if line.startswith(b">"):
                table.append([_header_name(line), 0])
            elif table:
                table[-1][1] += len(line.strip())
    return [(name, length) for name, length in table]


def contig_lengths(fasta: Path | str, index: Path | str | None = None) -> dict[str, int]:
    """Contig lengths by name (`contig_table`)."""
    return dict(contig_table(fasta, index))


def fasta_problems(fasta: Path | str, names: list[str]) -> list[str]:
    problems = []
    if not names:
        problems.append(f"reference.fasta '{fasta}' holds no sequences; point it at a FASTA file")
    duplicated = sorted({n for n in names if names.count(n) > 1}) if len(names) < 10_000 else []
    if duplicated:
        problems.append(
            f"reference.fasta '{fasta}' names contig(s) {', '.join(duplicated)} more than once; "
            "contig names must be unique"
        )
    return problems


def renamed_contig(chrom: str, contigs: set[str]) -> str | None:
    """The reference's spelling of a chromosome named the other way (chr17 / 17)."""
    other = chrom[3:] if chrom.lower().startswith("chr") else f"chr{chrom}"
    return other if other in contigs else None


def bed_chromosomes(path: Path | str) -> list[str]:
    chroms: list[str] = []
    for fields in bed_records(path):
        chrom = fields[0].strip()
        if chrom not in chroms:
            chroms.append(chrom)
    return chroms


def chromosome_problems(
    chroms: list[str], path: Path | str, key: str, contigs: set[str], fasta: Path | str
) -> list[str]:
    """One message when chromosomes of a file are absent from the reference,
    naming a 'chr' prefix difference as the cause when it is one."""
    absent = [c for c in chroms if c not in contigs]
    if not absent:
        return []
    renamed = {c: renamed_contig(c, contigs) for c in absent}
    shown = ", ".join(absent[:5]) + (" ..." if len(absent) > 5 else "")
    if all(renamed.values()):
        example = next(iter(renamed.items()))
        return [
            f"{key} '{path}' uses chromosome names ({shown}) that reference.fasta '{fasta}' "
            f"spells differently ('{example[0]}' there is '{example[1]}'): the 'chr' prefix "
            "differs; use a file with the reference's names or rename its chromosomes"
        ]
    return [
        f"{key} '{path}' names chromosome(s) {shown} absent from reference.fasta '{fasta}'; "
        "use a file made for this reference build"
    ]


def missing_file_problems(path: Path | str, key: str) -> list[str]:
    """The message for a configured file that is not there."""
    return [] if Path(path).is_file() else [f"{key} '{path}' does not exist; fix the path in the config"]


def region_file_problems(path: Path | str, key: str, contigs: set[str], fasta: Path | str) -> list[str]:
    """One message per BED file whose chromosomes the reference lacks."""
    if missing := missing_file_problems(path, key):
        return missing
    return chromosome_problems(bed_chromosomes(path), path, key, contigs, fasta)

