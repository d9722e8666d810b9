"""Clinically relevant EGFR hotspots and the real coding sequence around them.

The synthetic genome is random, except that EGFR exons 18-21 carry the real
GRCh38 coding sequence (transcript NM_005228.5), so each hotspot sits in its
true codon context: a caller sees L858R as CTG>CGG, T790M as ACG>ATG and the
exon 19 deletion as the real 15 bp GGAATTAAGAGAAGC after an A.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .genome import Genome

EGFR_TRANSCRIPT = "NM_005228.5"

# Exon -> (first cDNA position, exon sequence in transcript sense). Exons 19,
# 20 and 21 are complete (codons 729-761, 762-823, 824-875); exon 18 is
# codons 688-728.
EGFR_EXONS: dict[int, tuple[int, str]] = {
    18: (
        2062,
        "CTTGTGGAGCCTCTTACACCCAGTGGAGAAGCTCCCAACCAAGCTCTCTTGAGGATCTTGAAGGAAACT"
        "GAATTCAAAAAGATCAAAGTGCTGGGCTCCGGTGCGTTCGGCACGGTGTATAAG",
    ),
    19: (
        2185,
        "GGACTCTGGATCCCAGAAGGTGAGAAAGTTAAAATTCCCGTCGCTATCAAGGAATTAAGAGAAGCA"
        "ACATCTCCGAAAGCCAACAAGGAAATCCTCGAT",
    ),
    20: (
        2284,
        "GAAGCCTACGTGATGGCCAGCGTGGACAACCCCCACGTGTGCCGCCTGCTGGGCATCTGCCTCACC"
        "TCCACCGTGCAGCTCATCACGCAGCTCATGCCCTTCGGCTGCCTCCTGGACTATGTCCGGGAACAC"
        "AAAGACAATATTGGCTCCCAGTACCTGCTCAACTGGTGTGTGCAGATCGCAAAG",
    ),
    21: (
        2470,
        "GGCATGAACTACTTGGAGGACCGTCGCTTGGTGCACCGCGACCTGGCAGCCAGGAACGTACTGGTG"
        "AAAACACCGCAGCATGTCAAGATCACAGATTTTGGGCTGGCCAAACTGCTGGGTGCGGAAGAGAAA"
        "GAATACCATGCAGAAGGAGGCAAA",
    ),
}


@dataclass(frozen=True)
class HotspotSpec:
    """A hotspot in transcript terms.

    SNV: `cdna_pos` is the changed base. Deletion: `cdna_pos` is the first
    deleted base and `ref` the deleted bases. Insertion: the bases in `alt`
    go in after `cdna_pos`. All sequences are in transcript sense.
    """

    gene: str
    transcript: str
    protein_change: str
    cdna_change: str
    cdna_pos: int
    ref: str
    alt: str
    kind: str  # snv | deletion | insertion

    @property
    def key(self) -> str:
        return f"{self.gene}:{self.protein_change}"


EGFR_HOTSPOTS: tuple[HotspotSpec, ...] = (
    HotspotSpec("EGFR", EGFR_TRANSCRIPT, "G719S", "c.2155G>A", 2155, "G", "A", "snv"),
    HotspotSpec(
        "EGFR",
        EGFR_TRANSCRIPT,
        "E746_A750del",
        "c.2235_2249del",
        2235,
        "GGAATTAAGAGAAGC",
        "",
        "deletion",
    ),
    # The 3'-shifted HGVS name; in VCF terms the copy goes in after c.2296.
    HotspotSpec(
        "EGFR",
        EGFR_TRANSCRIPT,
        "A767_V769dup",
        "c.2300_2308dup",
        2296,
        "",
        "TGGCCAGCG",
        "insertion",
    ),
    HotspotSpec("EGFR", EGFR_TRANSCRIPT, "T790M", "c.2369C>T", 2369, "C", "T", "snv"),
    HotspotSpec("EGFR", EGFR_TRANSCRIPT, "C797S", "c.2390G>C", 2390, "G", "C", "snv"),
    HotspotSpec("EGFR", EGFR_TRANSCRIPT, "L858R", "c.2573T>G", 2573, "T", "G", "snv"),
    HotspotSpec("EGFR", EGFR_TRANSCRIPT, "L861Q", "c.2582T>A", 2582, "T", "A", "snv"),
)

ERBB2_TRANSCRIPT = "NM_004448.4"

# ERBB2 kinase and extracellular-domain hotspots. Their exons carry no real
# sequence; a genome with real exons plants each reference base at its real
# position.
ERBB2_HOTSPOTS: tuple[HotspotSpec, ...] = (
    HotspotSpec("ERBB2", ERBB2_TRANSCRIPT, "S310F", "c.929C>T", 929, "C", "T", "snv"),
    HotspotSpec("ERBB2", ERBB2_TRANSCRIPT, "L755S", "c.2264T>C", 2264, "T", "C", "snv"),
    HotspotSpec("ERBB2", ERBB2_TRANSCRIPT, "D769Y", "c.2305G>T", 2305, "G", "T", "snv"),
    HotspotSpec("ERBB2", ERBB2_TRANSCRIPT, "V777L", "c.2329G>T", 2329, "G", "T", "snv"),
)

_COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


def reverse_complement(sequence: str) -> str:
    return sequence.translate(_COMPLEMENT)[::-1]


@dataclass(frozen=True)
class Hotspot:
    """A hotspot placed in the genome, VCF style (1-based, indels anchored on
    the preceding base)."""

    spec: HotspotSpec
    chrom: str
    pos: int
    ref: str
    alt: str

    @property
    def key(self) -> str:
        return self.spec.key


def _cdna_to_genome(genome: Genome, gene_name: str, cdna: int) -> int:
    """0-based genome coordinate of a cDNA position inside a planted exon."""
    gene = genome.gene(gene_name)
    for exon in gene.exons:
        if exon.cdna_start is None:
            continue
        offset = cdna - exon.cdna_start
        if 0 <= offset < exon.end - exon.start:
            return exon.start + offset if gene.strand == "+" else exon.end - 1 - offset
    raise ValueError(f"{gene_name} c.{cdna} is not inside an exon with known sequence")


def locate_hotspot(genome: Genome, spec: HotspotSpec) -> Hotspot:
    gene = genome.gene(spec.gene)
    if spec.kind == "snv":
        pos0 = _cdna_to_genome(genome, spec.gene, spec.cdna_pos)
        ref, alt = spec.ref, spec.alt
        if gene.strand == "-":
            ref, alt = reverse_complement(ref), reverse_complement(alt)
        chrom_ref = genome.fetch(gene.chrom, pos0, pos0 + 1)
        if chrom_ref != ref:
            raise ValueError(
                f"{spec.key}: genome has {chrom_ref}, hotspot expects {ref}"
            )
        return Hotspot(spec, gene.chrom, pos0 + 1, ref, alt)
    if gene.strand != "+":
        raise NotImplementedError("indel hotspots are placed on plus-strand genes only")
    if spec.kind == "deletion":
        first = _cdna_to_genome(genome, spec.gene, spec.cdna_pos)
        anchor = first - 1
        ref = genome.fetch(gene.chrom, anchor, first + len(spec.ref))
        if ref[1:] != spec.ref:
            raise ValueError(
                f"{spec.key}: genome has {ref[1:]}, hotspot expects {spec.ref}"
            )
        return Hotspot(spec, gene.chrom, anchor + 1, ref, ref[0])
    if spec.kind == "insertion":
        anchor = _cdna_to_genome(genome, spec.gene, spec.cdna_pos)
        base = genome.fetch(gene.chrom, anchor, anchor + 1)
        return Hotspot(spec, gene.chrom, anchor + 1, base, base + spec.alt)
    raise ValueError(f"{spec.key}: unknown kind {spec.kind!r}")


def locate_hotspots(
    genome: Genome, specs: tuple[HotspotSpec, ...]
) -> tuple[Hotspot, ...]:
    present = {gene.name for gene in genome.genes}
    return tuple(locate_hotspot(genome, spec) for spec in specs if spec.gene in present)
