"""Small variants: a patient's phased germline SNPs, each clone's somatic
SNVs and hotspot mutations, each cell's private SNVs, and the haplotype
sequences reads are cut from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .clones import HAPLOTYPES, CopyNumberProfile, lineage
from .genome import Genome, Region
from .hotspots import Hotspot
from .spec import CloneSpec, PatientSpec

# Lookup tables over ASCII codes: the transition partner of each base, and
# its two transversion partners.
_TRANSITION = np.zeros(256, dtype=np.uint8)
_TRANSVERSIONS = np.zeros((256, 2), dtype=np.uint8)
for _base, _ts, _tv in zip(b"ACGT", b"GTAC", (b"CT", b"AG", b"CT", b"AG")):
    _TRANSITION[_base] = _ts
    _TRANSVERSIONS[_base] = np.frombuffer(_tv, dtype=np.uint8)


@dataclass(frozen=True)
class Variant:
    chrom: str
    pos: int  # 1-based, VCF style (indels anchored on the preceding base)
    ref: str
    alt: str
    origin: str  # germline | somatic
    on_haplotype: tuple[bool, bool]  # carried by haplotype a, b
    gene: str = ""
    protein_change: str = ""
    clone: str = ""  # where a somatic variant arose: its clone, or a cell's own

    @property
    def is_snv(self) -> bool:
        return len(self.ref) == 1 and len(self.alt) == 1


@dataclass
class Haplotype:
    """One haplotype of one clone: reference with its SNVs applied; indels are
    kept aside (few, so reads crossing them are spliced one by one)."""

    sequence: np.ndarray
    indel_anchors: np.ndarray  # global 0-based anchor positions, sorted
    indels: list[tuple[int, str, str]]  # (global anchor, ref, alt)


# ---------------------------------------------------------------- germline
def _excluded(
    genome: Genome, positions: np.ndarray, regions: tuple[Region, ...], pad: int
) -> np.ndarray:
    mask = np.zeros(positions.size, dtype=bool)
    for region in regions:
        offset = genome.chromosome(region.chrom).offset
        mask |= (positions >= offset + region.start - pad) & (
            positions < offset + region.end + pad
        )
    return mask


def _alt_bases(ref: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Alternative alleles, two thirds transitions as in human SNPs."""
    transversion = rng.random(ref.size) < 1 / 3
    pick = rng.integers(0, 2, ref.size)
    alt: np.ndarray = np.where(
        transversion, _TRANSVERSIONS[ref, pick], _TRANSITION[ref]
    )
    return alt.astype(np.uint8)


def _to_variants(
    genome: Genome,
    positions: np.ndarray,
    alt: np.ndarray,
    carriers: np.ndarray,
    origin: str,
    clone: str = "",
) -> list[Variant]:
    index, local = genome.locate(positions)
    ref = genome.sequence[positions]
    variants = []
    for i in range(positions.size):
        chrom = genome.chromosomes[int(index[i])].name
        variants.append(
            Variant(
                chrom=chrom,
                pos=int(local[i]) + 1,
                ref=chr(int(ref[i])),
                alt=chr(int(alt[i])),
                origin=origin,
                on_haplotype=(bool(carriers[i, 0]), bool(carriers[i, 1])),
                gene=genome.gene_at(chrom, int(local[i])),
                clone=clone,
            )
        )
    return variants


def _snp_positions(
    genome: Genome, spacing_bp: float, target_spacing_bp: float, rng: np.random.Generator
) -> np.ndarray:
    """Random positions genome-wide plus a denser set in panel exons, none
    inside the exons that carry real hotspot sequence; sorted, unique."""
    n_wide = int(rng.poisson(genome.length / spacing_bp))
    positions = [rng.integers(0, genome.length, n_wide)]
    for target in genome.targets:
        offset = genome.chromosome(target.chrom).offset
        n = int(rng.poisson((target.end - target.start) / target_spacing_bp))
        positions.append(offset + rng.integers(target.start, target.end, n))
    pos = np.unique(np.concatenate(positions))
    kept: np.ndarray = pos[~_excluded(genome, pos, genome.planted, pad=20)]
    return kept


def germline_snps(
    genome: Genome,
    patient: PatientSpec,
    rng: np.random.Generator,
    shared_fraction: float = 0.0,
    pool: np.ndarray | None = None,
) -> list[Variant]:
    """The patient's own phased SNPs: genome-wide plus a denser set in panel
    exons. With a cohort-wide pool of common SNPs supplying `shared_fraction`
    of them, the own ones are that much sparser and leave the pool's sites
    (global positions `pool`) to it."""
    own = 1.0 - shared_fraction
    if own <= 0.0:
        return []
    pos = _snp_positions(genome, patient.snp_spacing_bp / own, patient.target_snp_spacing_bp / own, rng)
    alt = _alt_bases(genome.sequence[pos], rng)
    hom = rng.random(pos.size) < patient.hom_alt_fraction
    on_a = rng.random(pos.size) < 0.5
    carriers = np.stack([hom | on_a, hom | ~on_a], axis=1)
    if pool is not None and pool.size:
        free = ~np.isin(pos, pool)
        pos, alt, carriers = pos[free], alt[free], carriers[free]
    return _to_variants(genome, pos, alt, carriers, "germline")


# A pool SNP's population allele frequency: Beta(0.5, 0.5) clipped to
# 0.01-0.99, common SNPs of either allele being the minor one. A patient
# carries a pool allele (1 - (1 - AF)^2) 0.625 of the time on average, so the
# pool is that much denser than the SNPs it gives each patient.
POPULATION_AF_BETA = (0.5, 0.5)
POPULATION_AF_RANGE = (0.01, 0.99)
POOL_CARRIER_SHARE = 0.625


@dataclass(frozen=True)
class Population:
    """Common SNPs of the cohort's population: global positions (sorted),
    alt allele (ASCII) and allele frequency."""

    pos: np.ndarray
    alt: np.ndarray
    af: np.ndarray

    @staticmethod
    def empty() -> Population:
        return Population(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint8), np.zeros(0))


def population_pool(
    genome: Genome,
    spacing_bp: float,
    target_spacing_bp: float,
    shared_fraction: float,
    rng: np.random.Generator,
) -> Population:
    """Common SNPs, so dense that a patient carries about `shared_fraction`
    of the germline SNPs of a patient with these spacings at them."""
    if shared_fraction <= 0.0:
        return Population.empty()
    scale = POOL_CARRIER_SHARE / shared_fraction
    pos = _snp_positions(genome, spacing_bp * scale, target_spacing_bp * scale, rng)
    alt = _alt_bases(genome.sequence[pos], rng)
    af = np.clip(rng.beta(*POPULATION_AF_BETA, pos.size), *POPULATION_AF_RANGE)
    return Population(pos.astype(np.int64), alt, af)


def shared_germline_snps(
    genome: Genome, population: Population, rng: np.random.Generator
) -> list[Variant]:
    """A patient's genotypes at the pool's sites: each haplotype carries the
    alt allele with the site's AF (Hardy-Weinberg); hom-ref sites are left out."""
    carriers = rng.random((population.pos.size, 2)) < population.af[:, None]
    keep = carriers.any(axis=1)
    return _to_variants(genome, population.pos[keep], population.alt[keep], carriers[keep], "germline")


# ----------------------------------------------------------------- somatic
def _random_snvs(
    genome: Genome,
    count: int,
    candidates: np.ndarray,
    taken: set[int],
    profile: CopyNumberProfile,
    clone: str,
    rng: np.random.Generator,
) -> list[Variant]:
    """SNVs at random candidate positions, each on one haplotype that still
    exists in the clone."""
    if count == 0 or candidates.size == 0:
        return []
    chosen: list[int] = []
    haps: list[int] = []
    for pos in rng.permutation(candidates):
        if len(chosen) == count:
            break
        if int(pos) in taken:
            continue
        copies = profile.copies[:, int(genome.bins_of(np.array([pos]))[0])]
        alive = np.flatnonzero(copies > 0)
        if alive.size == 0:
            continue
        chosen.append(int(pos))
        haps.append(int(rng.choice(alive)))
        taken.add(int(pos))
    pos_arr = np.array(chosen, dtype=np.int64)
    order = np.argsort(pos_arr)
    pos_arr = pos_arr[order]
    hap_arr = np.array(haps)[order]
    carriers = np.zeros((pos_arr.size, 2), dtype=bool)
    carriers[np.arange(pos_arr.size), hap_arr] = True
    alt = _alt_bases(genome.sequence[pos_arr], rng)
    return _to_variants(genome, pos_arr, alt, carriers, "somatic", clone)


def somatic_variants(
    genome: Genome,
    clone: CloneSpec,
    profile: CopyNumberProfile,
    hotspots: dict[str, Hotspot],
    taken: set[int],
    rng: np.random.Generator,
) -> list[Variant]:
    """Variants that arise in `clone` itself (not its ancestors)."""
    variants: list[Variant] = []
    for mutation in clone.hotspots:
        if mutation.hotspot not in hotspots:
            raise KeyError(f"clone {clone.name}: unknown hotspot {mutation.hotspot!r}")
        spot = hotspots[mutation.hotspot]
        hap = HAPLOTYPES.index(mutation.haplotype)
        variants.append(
            Variant(
                chrom=spot.chrom,
                pos=spot.pos,
                ref=spot.ref,
                alt=spot.alt,
                origin="somatic",
                on_haplotype=(hap == 0, hap == 1),
                gene=spot.spec.gene,
                protein_change=spot.spec.protein_change,
                clone=clone.name,
            )
        )
    wide = rng.integers(0, genome.length, clone.random_snvs * 4)
    wide = wide[~_excluded(genome, wide, genome.planted, pad=20)]
    variants += _random_snvs(
        genome, clone.random_snvs, wide, taken, profile, clone.name, rng
    )
    if clone.random_snvs_on_target:
        variants += _random_snvs(
            genome,
            clone.random_snvs_on_target,
            on_target_pool(genome),
            taken,
            profile,
            clone.name,
            rng,
        )
    return variants


def on_target_pool(genome: Genome) -> np.ndarray:
    """Global positions inside panel exons, away from the exons with real
    (hotspot) sequence so planted mutations stay the only change there."""
    on_target = [
        np.arange(
            genome.chromosome(t.chrom).offset + t.start,
            genome.chromosome(t.chrom).offset + t.end,
        )
        for t in genome.targets
    ]
    if not on_target:
        return np.zeros(0, dtype=np.int64)
    pool = np.concatenate(on_target)
    return pool[~_excluded(genome, pool, genome.planted, pad=20)]


def private_snvs(
    genome: Genome,
    cell: str,
    count: int,
    profile: CopyNumberProfile,
    taken: set[int],
    rng: np.random.Generator,
) -> list[Variant]:
    """SNVs that arose in one cell after it left its clone, at panel positions
    no other variant uses.

    Panel exons, because they are the only called regions with reads at
    single-cell depth. Only where the clone has one copy of each haplotype: a
    mutation arising in one cell hits one copy, so it is one copy of two (alt
    fraction 1/2, as the ceiling 1 - ADO assumes), not every copy of a gained
    haplotype."""
    pool = on_target_pool(genome)
    copies = profile.copies[:, genome.bins_of(pool)]
    diploid = pool[(copies[0] == 1) & (copies[1] == 1)]
    return _random_snvs(genome, count, diploid, taken, profile, cell, rng)


def clone_variants(
    clones: tuple[CloneSpec, ...],
    own: dict[str, list[Variant]],
    germline: list[Variant],
    name: str,
) -> list[Variant]:
    """Everything a clone carries: germline plus its lineage's somatic variants."""
    carried = list(germline)
    for clone in lineage(clones, name):
        carried += own[clone.name]
    return carried


# --------------------------------------------------------------- sequences
def build_haplotypes(
    genome: Genome, variants: list[Variant]
) -> tuple[Haplotype, Haplotype]:
    offsets = {c.name: c.offset for c in genome.chromosomes}
    snvs = [v for v in variants if v.is_snv]
    pos = np.fromiter(
        (offsets[v.chrom] + v.pos - 1 for v in snvs), dtype=np.int64, count=len(snvs)
    )
    alt = np.frombuffer("".join(v.alt for v in snvs).encode(), dtype=np.uint8)
    carriers = np.array([v.on_haplotype for v in snvs], dtype=bool).reshape(-1, 2)
    others = [v for v in variants if not v.is_snv]
    haplotypes = []
    for h in range(2):
        sequence = genome.sequence.copy()
        sequence[pos[carriers[:, h]]] = alt[carriers[:, h]]
        indels = sorted(
            (offsets[v.chrom] + v.pos - 1, v.ref, v.alt)
            for v in others
            if v.on_haplotype[h]
        )
        anchors = np.array([i[0] for i in indels], dtype=np.int64)
        haplotypes.append(Haplotype(sequence, anchors, indels))
    return haplotypes[0], haplotypes[1]


# --------------------------------------------------------------- genotypes
def genotypes(
    carriers: np.ndarray, copies: np.ndarray, dropped: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """Genotype of each site in a clone, and whether allelic dropout lost an
    allele the cell has.

    carriers: (n, 2) bool, haplotype carries the alt allele; copies: (n, 2)
    haplotype copy numbers; dropped: (n, 2) bool, haplotype not amplified.
    """
    present = copies > 0
    amplified = present & ~dropped
    has_alt = (carriers & present).any(axis=1)
    has_ref = (~carriers & present).any(axis=1)
    amp_alt = (carriers & amplified).any(axis=1)
    amp_ref = (~carriers & amplified).any(axis=1)
    lost = (has_alt & ~amp_alt) | (has_ref & ~amp_ref)
    labels = np.where(
        has_alt & has_ref,
        "0/1",
        np.where(has_alt, "1/1", np.where(has_ref, "0/0", "./.")),
    )
    return labels.tolist(), lost
