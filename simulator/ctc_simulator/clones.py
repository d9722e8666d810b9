"""Clone copy number: each clone's per-haplotype copy number on the genome
grid, built by applying its ancestors' events and then its own.

Event boundaries are snapped to the grid, so the truth segments and the copy
number the reads are drawn from agree to the base.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .genome import Genome
from .spec import CloneSpec, CnEventSpec

HAPLOTYPES = ("a", "b")


@dataclass(frozen=True)
class CnSegment:
    chrom: str
    start: int
    end: int
    cn_a: int
    cn_b: int

    @property
    def cn(self) -> int:
        return self.cn_a + self.cn_b


@dataclass
class CopyNumberProfile:
    clone: str
    copies: np.ndarray  # int16, shape (2, n_bins): haplotype a and b

    def total(self) -> np.ndarray:
        total: np.ndarray = self.copies.sum(axis=0)
        return total

    def segments(self, genome: Genome) -> list[CnSegment]:
        """Maximal runs of equal (cn_a, cn_b), per chromosome."""
        segments = []
        for chrom in genome.chromosomes:
            bins = genome.chrom_bins(chrom.name)
            a, b = self.copies[0, bins], self.copies[1, bins]
            change = np.flatnonzero((np.diff(a) != 0) | (np.diff(b) != 0)) + 1
            starts = np.concatenate([[0], change])
            ends = np.concatenate([change, [a.size]])
            local_start = genome.bin_start[bins] - chrom.offset
            local_end = genome.bin_end[bins] - chrom.offset
            for lo, hi in zip(starts, ends):
                segments.append(
                    CnSegment(
                        chrom.name,
                        int(local_start[lo]),
                        int(local_end[hi - 1]),
                        int(a[lo]),
                        int(b[lo]),
                    )
                )
        return segments

    def at(self, genome: Genome, chrom: str, pos: int) -> tuple[int, int]:
        index = int(genome.bins_of(np.array([genome.global_pos(chrom, pos)]))[0])
        return int(self.copies[0, index]), int(self.copies[1, index])

    def mean_total(self, genome: Genome, chrom: str, start: int, end: int) -> float:
        """Length-weighted mean total copy number over a local interval."""
        bins = genome.region_bins(chrom, start, end)
        offset = genome.chromosome(chrom).offset
        lo = np.maximum(genome.bin_start[bins], offset + start)
        hi = np.minimum(genome.bin_end[bins], offset + end)
        weights = (hi - lo).astype(float)
        return float(np.sum(self.total()[bins] * weights) / weights.sum())


def event_interval(genome: Genome, event: CnEventSpec) -> tuple[int, int]:
    """Grid-aligned local interval an event applies to."""
    chrom = genome.chromosome(event.chrom)
    grid = genome.spec.grid_bp
    if event.gene is not None:
        gene = genome.gene(event.gene)
        if gene.chrom != event.chrom:
            raise ValueError(
                f"event on {event.chrom} names {event.gene}, which is on {gene.chrom}"
            )
        start = (gene.start - event.upstream_bp) // grid * grid
        end = -(-(start + event.length_bp) // grid) * grid
        if event.length_bp <= 0:
            raise ValueError(f"focal event at {event.gene} needs a positive length_bp")
    elif event.arm is not None:
        start, end = chrom.arm_bounds(event.arm)
    else:
        start, end = 0, chrom.length
    return max(0, start), min(chrom.length, end)


def lineage(clones: tuple[CloneSpec, ...], name: str) -> list[CloneSpec]:
    """The clone and its ancestors, root first."""
    by_name = {c.name: c for c in clones}
    chain: list[CloneSpec] = []
    current: str | None = name
    while current is not None:
        if current not in by_name:
            raise KeyError(f"unknown clone {current!r}")
        clone = by_name[current]
        if clone in chain:
            raise ValueError(f"clone {name!r} has a cyclic ancestry")
        chain.append(clone)
        current = clone.parent
    return chain[::-1]


def build_profile(
    genome: Genome, clones: tuple[CloneSpec, ...], name: str
) -> CopyNumberProfile:
    copies = np.ones((2, genome.bin_start.size), dtype=np.int16)
    for clone in lineage(clones, name):
        for event in clone.cn_events:
            if event.haplotype not in HAPLOTYPES:
                raise ValueError(
                    f"haplotype must be 'a' or 'b', got {event.haplotype!r}"
                )
            if event.copies < 0:
                raise ValueError("copy number cannot be negative")
            start, end = event_interval(genome, event)
            bins = genome.region_bins(event.chrom, start, end)
            copies[HAPLOTYPES.index(event.haplotype), bins] = event.copies
    return CopyNumberProfile(name, copies)


def build_profiles(
    genome: Genome, clones: tuple[CloneSpec, ...]
) -> dict[str, CopyNumberProfile]:
    return {clone.name: build_profile(genome, clones, clone.name) for clone in clones}
