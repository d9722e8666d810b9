"""Where sequenced molecules come from.

A sample's DNA is one or more sources (a bulk sample mixes tumour and normal
cells). A molecule is drawn from (source, haplotype, grid bin) with weight
cell share x haplotype copies x amplification yield (zero where the haplotype
dropped out) x bin length; capture libraries draw most molecules around panel
targets instead, weighted the same way times the bait's efficiency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .clones import CopyNumberProfile
from .genome import Genome
from .spec import LibrarySpec
from .wga import Amplification


@dataclass
class Source:
    """Cells of one clone within a sample and their share of its cells."""

    name: str
    cell_fraction: float
    profile: CopyNumberProfile


@dataclass
class Molecules:
    source: np.ndarray  # index into the sample's sources
    hap: np.ndarray  # 0 = haplotype a, 1 = b
    start: np.ndarray  # global 0-based start on the reference
    length: np.ndarray  # insert length
    reverse: np.ndarray  # read 1 comes from the bottom strand

    def __len__(self) -> int:
        return int(self.start.size)

    def take(self, index: np.ndarray) -> Molecules:
        return Molecules(
            self.source[index],
            self.hap[index],
            self.start[index],
            self.length[index],
            self.reverse[index],
        )

    @staticmethod
    def concat(parts: list[Molecules]) -> Molecules:
        return Molecules(
            *(
                np.concatenate([getattr(p, f) for p in parts])
                for f in ("source", "hap", "start", "length", "reverse")
            )
        )


def _cumulative(weights: np.ndarray) -> np.ndarray:
    cumulative = np.cumsum(weights.ravel())
    if cumulative[-1] <= 0:
        raise ValueError("no DNA left to sequence: every weight is zero")
    return cumulative


def _draw(cumulative: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    drawn: np.ndarray = np.searchsorted(
        cumulative, rng.random(n) * cumulative[-1], side="right"
    )
    return drawn


class MoleculeSampler:
    def __init__(
        self,
        genome: Genome,
        sources: list[Source],
        amplification: Amplification,
        library: LibrarySpec,
        capture_efficiency: np.ndarray | None = None,
    ) -> None:
        self.genome = genome
        self.library = library
        offsets = np.array([c.offset for c in genome.chromosomes], dtype=np.int64)
        ends = offsets + np.array(
            [c.length for c in genome.chromosomes], dtype=np.int64
        )
        self._chrom_start = offsets[genome.bin_chrom]
        self._chrom_end = ends[genome.bin_chrom]
        bin_len = (genome.bin_end - genome.bin_start).astype(float)
        kept = ~amplification.dropout  # (2, n_bins)
        # weights[s, h, bin]: how much DNA each source/haplotype/bin contributes
        yield_per_copy = amplification.coverage * kept
        self._wide = _cumulative(
            np.stack(
                [
                    s.cell_fraction * s.profile.copies * yield_per_copy * bin_len
                    for s in sources
                ]
            )
        )
        self._n_bins = genome.bin_start.size
        self._cut = _cut_targets(genome, amplification)
        self._targets: tuple[np.ndarray, ...] | None = None
        if library.capture:
            if not genome.targets:
                raise ValueError(
                    f"library {library.library} captures targets but the genome has none"
                )
            t_start = np.array(
                [genome.global_pos(t.chrom, t.start) for t in genome.targets],
                dtype=np.int64,
            )
            t_end = np.array(
                [genome.global_pos(t.chrom, t.end) for t in genome.targets],
                dtype=np.int64,
            )
            t_bin = genome.bins_of((t_start + t_end) // 2)
            efficiency = (
                np.ones(t_start.size)
                if capture_efficiency is None
                else capture_efficiency
            )
            # Fragments overlapping a bait by at least min_overlap can be captured.
            footprint = (t_end - t_start) + 2 * (
                library.insert_mean - library.capture_min_overlap_bp
            )
            per_target = yield_per_copy[:, t_bin] * efficiency * footprint
            weights = np.stack(
                [
                    s.cell_fraction * s.profile.copies[:, t_bin] * per_target
                    for s in sources
                ]
            )
            self._targets = (t_start, t_end, _cumulative(weights))
            self._n_targets = t_start.size

    def insert_lengths(self, n: int, rng: np.random.Generator) -> np.ndarray:
        lib = self.library
        lengths = np.rint(rng.normal(lib.insert_mean, lib.insert_sd, n)).astype(
            np.int64
        )
        return np.maximum(lengths, lib.insert_min)

    def _clip(
        self, start: np.ndarray, length: np.ndarray, bins: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Keep each molecule inside its chromosome."""
        lo, hi = self._chrom_start[bins], self._chrom_end[bins]
        length = np.minimum(length, hi - lo)
        start = np.clip(start, lo, hi - length)
        return start, length

    def genome_wide(self, n: int, rng: np.random.Generator) -> Molecules:
        index = _draw(self._wide, n, rng)
        source, rest = np.divmod(index, 2 * self._n_bins)
        hap, bins = np.divmod(rest, self._n_bins)
        width = self.genome.bin_end[bins] - self.genome.bin_start[bins]
        start = self.genome.bin_start[bins] + (rng.random(n) * width).astype(np.int64)
        start, length = self._clip(start, self.insert_lengths(n, rng), bins)
        reverse = rng.random(n) < 0.5
        return Molecules(
            source.astype(np.int8), hap.astype(np.int8), start, length, reverse
        )

    def on_target(self, n: int, rng: np.random.Generator) -> Molecules:
        assert self._targets is not None
        t_start, t_end, cumulative = self._targets
        index = _draw(cumulative, n, rng)
        source, rest = np.divmod(index, 2 * self._n_targets)
        hap, target = np.divmod(rest, self._n_targets)
        length = self.insert_lengths(n, rng)
        overlap = np.minimum(self.library.capture_min_overlap_bp, length)
        lo = t_start[target] - length + overlap
        hi = t_end[target] - overlap
        start = lo + (rng.random(n) * np.maximum(hi - lo, 1)).astype(np.int64)
        start, length = self._clip(start, length, self.genome.bins_of(t_start[target]))
        reverse = rng.random(n) < 0.5
        return Molecules(
            source.astype(np.int8), hap.astype(np.int8), start, length, reverse
        )

    def _sample(self, n: int, rng: np.random.Generator) -> Molecules:
        if self._targets is None:
            return self.genome_wide(n, rng)
        n_on = int(rng.binomial(n, self.library.on_target_fraction))
        parts = Molecules.concat(
            [self.on_target(n_on, rng), self.genome_wide(n - n_on, rng)]
        )
        return parts.take(rng.permutation(n))

    def _kept(self, mol: Molecules, rng: np.random.Generator) -> np.ndarray:
        """Whether each molecule survives a cut target it overlaps (kept with
        the target's yield multiplier); the first such target counts."""
        assert self._cut is not None
        start, end, multiplier = self._cut
        first = np.minimum(np.searchsorted(end, mol.start, side="right"), start.size - 1)
        overlaps = (start[first] < mol.start + mol.length) & (end[first] > mol.start)
        keep: np.ndarray = ~overlaps | (rng.random(len(mol)) < multiplier[first])
        return keep

    def sample(self, n: int, rng: np.random.Generator) -> Molecules:
        """Distinct molecules: on target with the library's capture rate, the
        rest from anywhere in the genome. A cell's low-yield targets lose most
        of the molecules over them; others are drawn in their place."""
        mol = self._sample(n, rng)
        if self._cut is None:
            return mol
        keep = self._kept(mol, rng)
        while not keep.all():
            redo = np.flatnonzero(~keep)
            fresh = self._sample(redo.size, rng)
            for name in ("source", "hap", "start", "length", "reverse"):
                getattr(mol, name)[redo] = getattr(fresh, name)
            keep[redo] = self._kept(fresh, rng)
        return mol


def _cut_targets(
    genome: Genome, amplification: Amplification
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Global start, end and yield multiplier of a cell's low-yield targets,
    sorted (targets are merged, so they do not overlap); None without any."""
    if amplification.target_yield is None:
        return None
    cut = np.flatnonzero(amplification.target_yield < 1.0)
    if cut.size == 0:
        return None
    start = np.array([genome.global_pos(genome.targets[i].chrom, genome.targets[i].start) for i in cut])
    end = np.array([genome.global_pos(genome.targets[i].chrom, genome.targets[i].end) for i in cut])
    order = np.argsort(start)
    return start[order], end[order], amplification.target_yield[cut][order]


def copies_per_molecule(
    n: int, duplicate_fraction: float, rng: np.random.Generator
) -> np.ndarray:
    """How many times each molecule is sequenced: 1 + Poisson, so that about
    `duplicate_fraction` of reads are duplicates."""
    if duplicate_fraction <= 0:
        return np.ones(n, dtype=np.int64)
    extra = duplicate_fraction / (1 - duplicate_fraction)
    return 1 + rng.poisson(extra, n)
