"""The hotspot table: known cancer mutations genotyped in every sample.

One row per hotspot, tab-separated, header line first, columns `gene,
transcript, protein_change, cdna_change, chrom, pos, ref, alt, kind`; `pos`
is 1-based and the alleles follow VCF conventions (an indel is anchored on
the preceding base). `kind` says how reads and calls are matched:

- `snv`: the exact base change at `pos`;
- `deletion` / `insertion`: the exact indel allele (compared left-aligned);
- `region`: any deletion (`alt` `<DEL>`) or insertion (`alt` `<INS>`)
  inside the span `pos .. pos + len(ref) - 1`, `ref` being the reference
  sequence of that span. EGFR exon 19 deletions and exon 20 insertions come
  in dozens of alleles, so they are matched this way rather than as one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ["gene", "transcript", "protein_change", "cdna_change", "chrom", "pos", "ref", "alt", "kind"]
KINDS = ("snv", "deletion", "insertion", "region")
REGION_ALTS = {"<DEL>": "deletion", "<INS>": "insertion"}
BASES = set("ACGTN")


class HotspotTableError(ValueError):
    """A hotspot table that cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class Hotspot:
    gene: str
    transcript: str
    protein_change: str
    cdna_change: str
    chrom: str
    pos: int  # 1-based, VCF style
    ref: str
    alt: str
    kind: str

    @property
    def end(self) -> int:
        """Last reference base the hotspot covers (1-based, inclusive)."""
        return self.pos + len(self.ref) - 1

    @property
    def event(self) -> str:
        """snv, deletion or insertion: the kind of change that counts."""
        return REGION_ALTS[self.alt] if self.kind == "region" else self.kind

    @property
    def name(self) -> str:
        return f"{self.gene} {self.protein_change}"

    def matches(self, chrom: str, pos: int, ref: str, alt: str) -> bool:
        """Whether a normalised VCF allele is this hotspot."""
        if chrom != self.chrom:
            return False
        if self.kind != "region":
            return (pos, ref.upper(), alt.upper()) == (self.pos, self.ref, self.alt)
        event = indel_event(pos, ref, alt)
        if event is None or event.kind != self.event:
            return False
        return event.overlaps(self.pos, self.end)


@dataclass(frozen=True)
class IndelEvent:
    """A deletion of reference bases `start..end` (1-based, inclusive), or an
    insertion between `start - 1` and `start` (then `end == start - 1`)."""

    kind: str
    start: int
    end: int
    bases: str

    def overlaps(self, first: int, last: int) -> bool:
        if self.kind == "deletion":
            return self.start <= last and self.end >= first
        return first <= self.start <= last + 1


def indel_event(pos: int, ref: str, alt: str) -> IndelEvent | None:
    """The indel a VCF allele describes, or None for substitutions."""
    ref, alt = ref.upper(), alt.upper()
    if len(ref) == len(alt) or not ref or not alt or ref[0] != alt[0]:
        return None
    if len(ref) > len(alt) and ref.startswith(alt):
        deleted = ref[len(alt):]
        start = pos + len(alt)
        return IndelEvent("deletion", start, start + len(deleted) - 1, deleted)
    if len(alt) > len(ref) and alt.startswith(ref):
        inserted = alt[len(ref):]
        start = pos + len(ref)
        return IndelEvent("insertion", start, start - 1, inserted)
    return None


def _row_problems(row: dict[str, str], line: int, path: Path) -> list[str]:
    where = f"hotspot table '{path}' line {line}"
    problems = []
    kind = row.get("kind", "")
    if kind not in KINDS:
        problems.append(f"{where}: kind '{kind}' is not one of {', '.join(KINDS)}")
    if not row.get("pos", "").isdigit() or int(row["pos"]) < 1:
        problems.append(f"{where}: pos '{row.get('pos')}' is not a 1-based position")
    ref, alt = row.get("ref", "").upper(), row.get("alt", "").upper()
    if not ref or set(ref) - BASES:
        problems.append(f"{where}: ref '{row.get('ref')}' is not a DNA sequence")
    for key in ("gene", "protein_change", "chrom"):
        if not row.get(key):
            problems.append(f"{where}: {key} is empty")
    if problems:
        return problems
    if kind == "snv" and not (len(ref) == 1 and len(alt) == 1 and alt in BASES and alt != ref):
        problems.append(f"{where}: an snv has one reference and one different alternative base")
    elif kind in ("deletion", "insertion"):
        event = indel_event(1, ref, alt)
        if event is None or event.kind != kind or set(alt) - BASES:
            problems.append(
                f"{where}: a {kind} is written VCF style, both alleles starting with the anchor base"
            )
    elif kind == "region" and alt not in REGION_ALTS:
        problems.append(
            f"{where}: a region's alt is <DEL> or <INS> (the kind of change matched in it)"
        )
    return problems


def read_hotspots(path: Path | str) -> list[Hotspot]:
    """The hotspots of a table; HotspotTableError names every bad line."""
    path = Path(path)
    if not path.is_file():
        raise HotspotTableError(f"hotspot table '{path}' does not exist; fix resources.hotspots")
    with path.open(newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t")
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise HotspotTableError(
            f"hotspot table '{path}' lacks column(s) {', '.join(missing)}; "
            f"it needs the tab-separated columns {', '.join(COLUMNS)}"
        )
    hotspots, problems = [], []
    for line, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        row_problems = _row_problems(row, line, path)
        problems += row_problems
        if not row_problems:
            hotspots.append(
                Hotspot(
                    gene=row["gene"],
                    transcript=row["transcript"],
                    protein_change=row["protein_change"],
                    cdna_change=row["cdna_change"],
                    chrom=row["chrom"],
                    pos=int(row["pos"]),
                    ref=row["ref"].upper(),
                    alt=row["alt"].upper(),
                    kind=row["kind"],
                )
            )
    if problems:
        raise HotspotTableError("\n".join(problems))
    return hotspots


def hotspot_chromosomes(path: Path | str) -> list[str]:
    """Chromosome names in a hotspot table, in order of appearance."""
    chroms: list[str] = []
    with Path(path).open(newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        chrom = (row.get("chrom") or "").strip()
        if chrom and chrom not in chroms:
            chroms.append(chrom)
    return chroms


def hotspot_windows(hotspots: list[Hotspot], flank: int) -> list[tuple[str, int, int]]:
    """0-based half-open windows of `flank` bases either side of each hotspot."""
    return [(h.chrom, max(0, h.pos - 1 - flank), h.end + flank) for h in hotspots]


def reference_allele_problems(hotspots: list[Hotspot], fetch, path: Path | str) -> list[str]:
    """Hotspots whose `ref` differs from the reference; `fetch(chrom, start, end)`
    returns the reference sequence of a 0-based half-open interval."""
    problems = []
    for h in hotspots:
        found = fetch(h.chrom, h.pos - 1, h.end).upper()
        if found != h.ref:
            shown = h.ref if len(h.ref) <= 20 else h.ref[:20] + "..."
            seen = found if len(found) <= 20 else found[:20] + "..."
            problems.append(
                f"hotspot table '{path}': {h.name} at {h.chrom}:{h.pos} has ref {shown} but the "
                f"reference reads {seen or 'nothing'}; the table is for another build or reference"
            )
    return problems


ANNOTATION_HEADER = (
    '##INFO=<ID=HOTSPOT,Number=1,Type=String,'
    'Description="Allele of the hotspot table, as gene:protein change">'
)


def annotation_rows(hotspots: list[Hotspot], contig_order: list[str]) -> list[tuple[str, int, str, str, str]]:
    """(chrom, pos, ref, alt, gene:protein change) of every exact-allele
    hotspot, in reference order, for `bcftools annotate` of the joint VCF
    (region rows name no single allele and are left out)."""
    rank = {name: i for i, name in enumerate(contig_order)}
    rows = {
        (h.chrom, h.pos, h.ref, h.alt): f"{h.gene}:{h.protein_change}"
        for h in hotspots
        if h.kind != "region" and h.chrom in rank
    }
    return sorted(
        ((c, p, r, a, label) for (c, p, r, a), label in rows.items()),
        key=lambda row: (rank[row[0]], row[1], row[2], row[3]),
    )
