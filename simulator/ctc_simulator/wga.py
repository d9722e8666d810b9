"""Single-cell whole-genome amplification (WGA).

One cell's amplified DNA is described once, on the genome grid, and every
library made from that cell draws from it, so a cell's coverage profile and
dropout are shared by its low-pass and panel libraries as in a real
experiment. Bulk DNA goes through the same code with the "none" kit: flat
coverage apart from mild GC bias, no dropout, no amplification errors.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .genome import Genome


@dataclass(frozen=True)
class WgaKit:
    name: str
    coverage_sigma: float  # SD of log coverage along the genome
    coverage_corr_bp: float  # autocorrelation length of that noise
    ado_rate: float  # fraction of dropout windows (one haplotype not amplified)
    ado_window_bp: int  # mean dropout window length
    error_sites_per_mb: float  # early amplification errors, shared by many molecules
    error_ct_fraction: float  # share of those errors that are C>T / G>A
    duplicate_fraction: float  # fraction of reads that are copies of another
    chimera_rate: float  # fraction of molecules joining two distant loci
    gc_optimum: float
    gc_width: float  # SD of the Gaussian GC-bias curve (smaller = stronger bias)
    # SD (log2) of a level per chromosome: real diploid DOP-PCR cells scatter
    # whole chromosomes by about 0.27 (docs/real_cells.md); no preset has it,
    # a cohort design may set it (`chromosome_sd`)
    chromosome_sd: float = 0.0
    # Share of error sites made in the first amplification rounds, inherited
    # by most copies of their haplotype: 10-50% of a cell's reads at the site
    # (real: a C>T at 44-45% of 190 and 362 reads in one cell only)
    early_error_share: float = 0.0


# Ordered from the least to the most uniform coverage. MDA has the largest,
# most long-range coverage swings, the most dropout and chimeras but the
# fewest errors; PCR-based kits (DOP-PCR, PicoPLEX, MALBAC, Ampli1) are more
# uniform but have more polymerase errors, duplicates and GC bias. Every kit
# makes some early errors (EARLY_ERROR_SHARE); MDA, whose first copies seed
# the whole product, the largest share.
WGA_KITS: dict[str, WgaKit] = {
    "MDA": WgaKit("MDA", 0.90, 60_000, 0.25, 12_000, 5.0, 0.5, 0.05, 0.03, 0.42, 0.30),
    "DOP-PCR": WgaKit(
        "DOP-PCR", 0.50, 15_000, 0.20, 4_000, 20.0, 0.7, 0.20, 0.005, 0.45, 0.18
    ),
    "MALBAC": WgaKit(
        "MALBAC", 0.50, 20_000, 0.20, 6_000, 15.0, 0.7, 0.10, 0.01, 0.45, 0.22
    ),
    "PicoPLEX": WgaKit(
        "PicoPLEX", 0.30, 10_000, 0.15, 4_000, 15.0, 0.7, 0.15, 0.005, 0.45, 0.22
    ),
    "Ampli1": WgaKit(
        "Ampli1", 0.35, 10_000, 0.10, 3_000, 10.0, 0.6, 0.10, 0.002, 0.44, 0.24
    ),
    "none": WgaKit("none", 0.0, 1.0, 0.0, 1_000, 0.0, 0.0, 0.03, 0.0, 0.45, 0.35),
}
EARLY_ERROR_SHARE = {"MDA": 0.3, "DOP-PCR": 0.2, "MALBAC": 0.15, "PicoPLEX": 0.2, "Ampli1": 0.15}
WGA_KITS = {
    name: dataclasses.replace(preset, early_error_share=EARLY_ERROR_SHARE.get(name, 0.0))
    for name, preset in WGA_KITS.items()
}
# An early error is carried by this range of its haplotype's molecules: 10-50%
# of the reads of a site with one copy of each haplotype.
EARLY_HAPLOTYPE_FRACTION = (0.2, 1.0)
EARLY_CT_SHARE = 0.5  # of the on-target early errors (--early-errors-on-target)


def kit(name: str, ado_rate: float | None = None, chromosome_sd: float = 0.0) -> WgaKit:
    """A kit by name, with its allelic-dropout rate replaced if `ado_rate` is
    given, and its chromosome-level scatter set to `chromosome_sd`."""
    if name not in WGA_KITS:
        raise KeyError(f"unknown WGA kit {name!r}; choose from {', '.join(WGA_KITS)}")
    if ado_rate is not None and not 0.0 <= ado_rate < 1.0:
        raise ValueError(f"allelic-dropout rate must be in [0, 1), got {ado_rate}")
    if not 0.0 <= chromosome_sd <= 1.0:
        raise ValueError(f"chromosome-level SD must be in [0, 1], got {chromosome_sd}")
    preset = WGA_KITS[name]
    return dataclasses.replace(preset, ado_rate=preset.ado_rate if ado_rate is None else ado_rate,
                               chromosome_sd=chromosome_sd)


@dataclass
class Amplification:
    kit: WgaKit
    coverage: np.ndarray  # relative yield of each grid bin (mean 1), GC bias included
    dropout: np.ndarray  # bool (2, n_bins): haplotype a/b not amplified there
    error_pos: np.ndarray  # global positions of amplification errors, sorted
    error_hap: np.ndarray  # haplotype each error arose on
    error_alt: np.ndarray  # ASCII code of the erroneous base
    error_fraction: np.ndarray  # share of that haplotype's molecules carrying it
    # log2 coverage level drawn for each chromosome (kit.chromosome_sd), up
    # to the common scale the coverage is renormalised by; None without
    chromosome_log2: np.ndarray | None = None
    # errors of the first rounds (their fraction ~U(0.2, 1)); None: no early ones
    error_early: np.ndarray | None = None
    # per panel target: yield multiplier of the cell's DNA over it (a WBC's
    # low-depth targets, --wbc-low-depth-share); None: every target at 1
    target_yield: np.ndarray | None = None

    def early(self) -> np.ndarray:
        """Whether each error site is early (all false without early errors)."""
        if self.error_early is None:
            return np.zeros(self.error_pos.size, dtype=bool)
        return self.error_early

    def dropout_fraction(self) -> float:
        """Fraction of the genome where one haplotype is not amplified."""
        return float(self.dropout.any(axis=0).mean())


def log_coverage(
    n_bins: int, grid_bp: int, sigma: float, corr_bp: float, rng: np.random.Generator
) -> np.ndarray:
    """Stationary AR(1) noise with SD `sigma` and correlation length `corr_bp`."""
    if sigma == 0.0:
        return np.zeros(n_bins)
    phi = float(np.exp(-grid_bp / corr_bp))
    shocks = rng.normal(0.0, sigma * np.sqrt(1 - phi**2), n_bins)
    shocks[0] = rng.normal(0.0, sigma)
    values = np.empty(n_bins)
    previous = 0.0
    for i in range(n_bins):  # ~1 µs per bin; the grid is coarse enough
        previous = phi * previous + shocks[i]
        values[i] = previous
    return values


def _dropout_windows(
    n_bins: int, grid_bp: int, wga: WgaKit, rng: np.random.Generator
) -> np.ndarray:
    """Consecutive windows of geometric length; each loses one haplotype with
    probability `ado_rate`."""
    dropout = np.zeros((2, n_bins), dtype=bool)
    if wga.ado_rate == 0.0:
        return dropout
    mean_bins = max(1.0, wga.ado_window_bp / grid_bp)
    lengths = rng.geometric(1 / mean_bins, int(n_bins / mean_bins * 1.5) + 16)
    while lengths.sum() < n_bins:
        lengths = np.concatenate([lengths, rng.geometric(1 / mean_bins, lengths.size)])
    lost = rng.random(lengths.size) < wga.ado_rate
    hap = rng.integers(0, 2, lengths.size)
    for h in range(2):
        dropout[h] = np.repeat(lost & (hap == h), lengths)[:n_bins]
    return dropout


def _ct_alt(sequence: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Deamination-like errors: C>T on either strand, i.e. C>T or G>A."""
    alt: np.ndarray = np.where(sequence[pos] == ord("C"), ord("T"), ord("A")).astype(np.uint8)
    return alt


def _other_alt(sequence: np.ndarray, pos: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Any other base than the reference."""
    codes = np.frombuffer(b"ACGT", dtype=np.uint8)
    ref_index = np.searchsorted(codes, sequence[pos])
    alt: np.ndarray = codes[(ref_index + rng.integers(1, 4, pos.size)) % 4]
    return alt


def _error_sites(
    genome: Genome, wga: WgaKit, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = int(rng.poisson(wga.error_sites_per_mb * genome.length / 1e6))
    n_ct = int(rng.binomial(n, wga.error_ct_fraction)) if n else 0
    draws = rng.integers(0, genome.length, 4 * n_ct + 16)
    bases = genome.sequence[draws]
    ct_pos = draws[(bases == ord("C")) | (bases == ord("G"))][:n_ct]
    ct_alt = _ct_alt(genome.sequence, ct_pos)
    other_pos = rng.integers(0, genome.length, n - ct_pos.size)
    other_alt = _other_alt(genome.sequence, other_pos, rng)
    pos = np.concatenate([ct_pos, other_pos]).astype(np.int64)
    alt = np.concatenate([ct_alt, other_alt]).astype(np.uint8)
    order = np.argsort(pos, kind="stable")
    hap = rng.integers(0, 2, pos.size).astype(np.int8)
    # Early errors are inherited by many copies, late ones by few.
    fraction = rng.beta(1.5, 3.5, pos.size)
    return pos[order], hap[order], alt[order], fraction[order]


def early_errors(
    amplification: Amplification,
    genome: Genome,
    pool: np.ndarray,
    count: int,
    rng: np.random.Generator,
) -> Amplification:
    """The kit's share of early errors among the cell's error sites, plus
    `count` early errors at free positions of `pool` (panel bases), about half
    of them C>T / G>A. Drawn from a stream of their own after `amplify`, so a
    cell's coverage, dropout and error positions do not change with them."""
    share = amplification.kit.early_error_share
    if share == 0.0 and count == 0:
        return amplification
    low, high = EARLY_HAPLOTYPE_FRACTION
    pos, hap = amplification.error_pos, amplification.error_hap
    alt, fraction = amplification.error_alt, amplification.error_fraction.copy()
    early = rng.random(pos.size) < share
    fraction[early] = rng.uniform(low, high, int(early.sum()))
    free = pool[~np.isin(pool, pos)]
    count = min(count, free.size)
    if count:
        chosen = rng.choice(free, count, replace=False)
        base = genome.sequence[chosen]
        cg = np.flatnonzero((base == ord("C")) | (base == ord("G")))
        # About half C>T / G>A, as far as the panel's C and G bases allow.
        n_ct = min(cg.size, int(rng.binomial(count, EARLY_CT_SHARE)))
        is_ct = np.zeros(count, dtype=bool)
        is_ct[rng.choice(cg, n_ct, replace=False)] = True
        new_alt = np.where(
            is_ct, _ct_alt(genome.sequence, chosen), _other_alt(genome.sequence, chosen, rng)
        ).astype(np.uint8)
        pos = np.concatenate([pos, chosen.astype(np.int64)])
        hap = np.concatenate([hap, rng.integers(0, 2, count).astype(np.int8)])
        alt = np.concatenate([alt, new_alt])
        fraction = np.concatenate([fraction, rng.uniform(low, high, count)])
        early = np.concatenate([early, np.ones(count, dtype=bool)])
    order = np.argsort(pos, kind="stable")
    return dataclasses.replace(
        amplification,
        error_pos=pos[order],
        error_hap=hap[order],
        error_alt=alt[order],
        error_fraction=fraction[order],
        error_early=early[order],
    )


def low_depth_targets(
    amplification: Amplification, n_targets: int, share: float, rng: np.random.Generator
) -> Amplification:
    """`share` of the panel targets (rounded) amplified at 5-15% of the
    yield: a WBC where germline sites there get only a few reads."""
    count = round(share * n_targets)
    if count == 0:
        return amplification
    multiplier = np.ones(n_targets)
    chosen = rng.choice(n_targets, count, replace=False)
    multiplier[chosen] = rng.uniform(*LOW_DEPTH_MULTIPLIER, count)
    return dataclasses.replace(amplification, target_yield=multiplier)


LOW_DEPTH_MULTIPLIER = (0.05, 0.15)


def force_dropout(
    amplification: Amplification, genome: Genome, position: int, haplotype: int, length_bp: int
) -> Amplification:
    """Haplotype `haplotype` not amplified over `length_bp` (grid bins) around
    a global position, the other haplotype amplified there: a locus dropout in
    a cell whose genome-wide dropout is the kit's."""
    grid = genome.spec.grid_bp
    centre = int(genome.bins_of(np.array([position]))[0])
    half = max(1, round(length_bp / grid)) // 2
    index, _ = genome.locate(np.array([position]))
    chrom_bins = np.flatnonzero(genome.bin_chrom == int(index[0]))
    lo = max(int(chrom_bins[0]), centre - half)
    hi = min(int(chrom_bins[-1]) + 1, lo + max(1, round(length_bp / grid)))
    dropout = amplification.dropout.copy()
    dropout[haplotype, lo:hi] = True
    dropout[1 - haplotype, lo:hi] = False
    return dataclasses.replace(amplification, dropout=dropout)


def amplify(genome: Genome, wga: WgaKit, rng: np.random.Generator) -> Amplification:
    n_bins = genome.bin_start.size
    grid = genome.spec.grid_bp
    log_cov = log_coverage(n_bins, grid, wga.coverage_sigma, wga.coverage_corr_bp, rng)
    log_cov -= 0.5 * (genome.bin_gc - wga.gc_optimum) ** 2 / wga.gc_width**2
    coverage = np.exp(log_cov)
    coverage /= coverage.mean()
    dropout = _dropout_windows(n_bins, grid, wga, rng)
    pos, hap, alt, fraction = _error_sites(genome, wga, rng)
    levels = None
    if wga.chromosome_sd > 0:  # drawn last: the cell's other draws stay as without it
        levels = rng.normal(0.0, wga.chromosome_sd, len(genome.chromosomes))
        coverage = coverage * 2.0 ** levels[genome.bin_chrom]
        coverage /= coverage.mean()
    return Amplification(wga, coverage, dropout, pos, hap, alt, fraction, levels)
