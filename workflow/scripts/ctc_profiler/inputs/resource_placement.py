"""Which rows of the gene, hotspot and reference-region tables a reference can
place. A reference holding only some chromosomes (chr7 and chr17 for a quick
test) is fine: rows on the others are skipped with one warning. Only when
ERBB2, EGFR or their chromosome's reference region cannot be placed is it an
error, since a status then becomes impossible for every sample."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ctc_profiler.core.bed import is_record
from ctc_profiler.inputs.reference_check import chromosome_problems, missing_file_problems

# table -> {row name: the status that needs it}
NEEDED = {
    "genes": {
        "ERBB2": "HER2 status (ERBB2 copy number)",
        "EGFR": "EGFR amplification status (EGFR copy number)",
    },
    "reference_regions": {
        "chr17_ref": "the HER2 ratio (ERBB2 over the chr17 reference region)",
        "chr7_ref": "EGFR amplification status (EGFR over the chr7 reference region)",
    },
    "hotspots": {},
}
# table -> (column of the chromosome, columns naming a row), for tables with a
# header; BED files have neither (chromosome first, name fourth)
HEADED = {"hotspots": ("chrom", ("gene", "protein_change"))}


@dataclass
class Placement:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _layout(lines: list[str], table: str) -> tuple[list[str] | None, int | None]:
    """A table's header fields (None for a BED) and the index of its
    chromosome field (None when the header lacks the column)."""
    if table not in HEADED:
        return None, 0
    header = next(([f.strip() for f in line.rstrip("\n").split("\t")] for line in lines if is_record(line)), [])
    column = HEADED[table][0]
    return header, header.index(column) if column in header else None


def _records(lines: list[str], header: list[str] | None) -> list[str]:
    """The data lines: records after the header line, if the table has one."""
    records = [line for line in lines if is_record(line)]
    return records[1:] if header is not None else records


def table_rows(lines: list[str], table: str) -> list[tuple[str, str]]:
    """(chromosome, name) of every data row of a table, in file order."""
    header = _layout(lines, table)[0]
    rows = []
    for line in _records(lines, header):
        fields = [f.strip() for f in line.rstrip("\n").split("\t")]
        if header is None:
            rows.append((fields[0], fields[3] if len(fields) > 3 else ""))
        else:
            record = dict(zip(header, fields))
            rows.append((record.get(HEADED[table][0], ""),
                         " ".join(record.get(c, "") for c in HEADED[table][1]).strip()))
    return rows


def placed_lines(path: Path | str, table: str, contigs: set[str]) -> list[str]:
    """The table's lines without the rows on contigs the reference lacks:
    comments and the header stay."""
    lines = Path(path).read_text().splitlines(keepends=True)
    header, chrom_index = _layout(lines, table)
    if chrom_index is None:
        raise ValueError(f"{path}: no '{HEADED[table][0]}' column in its header line")
    kept, header_seen = [], header is None
    for line in lines:
        if not is_record(line) or not header_seen:
            header_seen = header_seen or is_record(line)
            kept.append(line)
            continue
        fields = line.rstrip("\n").split("\t")
        if chrom_index >= len(fields) or fields[chrom_index].strip() in contigs:
            kept.append(line)
    return kept


def place(path: Path | str, table: str, key: str, contigs: set[str], fasta: Path | str) -> Placement:
    """What the reference can place of one table: errors for the rows a status
    needs, one warning for the rest of what is skipped."""
    if missing := missing_file_problems(path, key):
        return Placement(problems=missing)
    result = Placement()
    lines = Path(path).read_text().splitlines(keepends=True)
    if _layout(lines, table)[1] is None:
        result.problems.append(
            f"{key} '{path}' has no '{HEADED[table][0]}' column in its header line; it must be a "
            "tab-separated table with a header"
        )
        return result
    rows = table_rows(lines, table)
    absent = [(chrom, name) for chrom, name in rows if chrom not in contigs]
    if rows and len(absent) == len(rows):
        # nothing placed: another build or naming, not a partial reference
        chroms = list(dict.fromkeys(chrom for chrom, _ in rows))
        result.problems += chromosome_problems(chroms, path, key, contigs, fasta)
        return result
    names = {name: chrom for chrom, name in rows}
    for name, status in NEEDED[table].items():
        if name not in names:
            result.problems.append(
                f"{key} '{path}' has no {name} row, so {status} cannot be made for any "
                f"sample; use a table that holds {name} (the shipped ones do)"
            )
        elif names[name] not in contigs:
            result.problems.append(
                f"{key} '{path}' places {name} on {names[name]}, which reference.fasta "
                f"'{fasta}' lacks, so {status} cannot be made for any sample; use a "
                f"reference holding {names[name]}"
            )
    skipped = [(chrom, name) for chrom, name in absent if name not in NEEDED[table]]
    if skipped and not result.problems:
        chroms = ", ".join(dict.fromkeys(chrom for chrom, _ in skipped))
        shown = ", ".join(name or chrom for chrom, name in skipped[:8])
        more = f" and {len(skipped) - 8} more" if len(skipped) > 8 else ""
        result.warnings.append(
            f"{key}: {len(skipped)} row(s) on {chroms}, absent from reference.fasta "
            f"'{fasta}', are skipped ({shown}{more})"
        )
    return result
