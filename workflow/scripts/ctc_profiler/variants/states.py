"""Genotype state of one variant in one sample, aware of single-cell artefacts.

Every (site, sample) gets one of four states:

- `mutant`: the sample carries the variant;
- `wildtype`: it does not, and a heterozygous copy would have been seen;
- `dropout_possible`: not seen as mutant, but a copy could be hidden (a
  single cell's allelic dropout, too few reads to exclude it, or alt reads
  that look like amplification or strand artefacts);
- `no_coverage`: too few reads to say anything.

The evidence is weighed by a likelihood ratio between two models of the
alt-read count `a` among `n` reads:

- carrier, single cell: the mutant allele dropped out (probability ADO/2:
  only sequencing errors), the wild-type allele dropped out (ADO/2: nearly all
  reads alt), or both amplified (beta-binomial around 1/2, amplification
  imbalance); carrier, bulk: binomial at the expected allele fraction
  (purity / 2) - no dropout;
- non-carrier: sequencing errors, plus in cells an amplification error
  (per-site rate, several times higher for C>T / G>A, deamination-like),
  inherited by a beta-distributed fraction of the reads: mostly a few reads
  (a late error), but an error of the first rounds reaches 10-50% of them
  (`early_error_share` of the errors, per kit).

With a prior probability of carrying the variant (higher at hotspots and at
sites seen mutant in the patient's other tumour samples: joint evidence), the
posterior decides the state. Where the variant is expected in a cell
(germline, or mutant in another tumour sample of the patient), `wildtype`
also needs the reads to exclude a heterozygous copy with dropout counted,
whatever the prior; `quality` is the phred-scaled probability that a
mutant or wildtype call is wrong (0 for the other two states).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ctc_profiler.core.settings import FromConfig
from ctc_profiler.core.wga_kits import kit_setting
from ctc_profiler.core.words import DROPOUT_POSSIBLE, MUTANT, NO_COVERAGE, WILDTYPE

MAX_QUALITY = 99.0
# read share of an early amplification error: Beta(4, 8), mean 1/3, most of
# its mass between 0.1 and 0.55 (an error copying one of a site's template
# strands in the first rounds, with amplification imbalance)
EARLY_ERROR_BETA = (4.0, 8.0)


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def binom_pmf(k: int, n: int, p: float) -> float:
    if k < 0 or k > n:
        return 0.0
    if p <= 0.0 or p >= 1.0:
        return float(k == (0 if p <= 0.0 else n))
    return math.exp(_log_choose(n, k) + k * math.log(p) + (n - k) * math.log1p(-p))


def betabinom_pmf(k: int, n: int, a: float, b: float) -> float:
    if k < 0 or k > n:
        return 0.0
    return math.exp(_log_choose(n, k) + _log_beta(k + a, n - k + b) - _log_beta(a, b))


def binom_cdf(k: int, n: int, p: float) -> float:
    return min(1.0, sum(binom_pmf(i, n, p) for i in range(0, min(k, n) + 1)))


def betabinom_cdf(k: int, n: int, a: float, b: float) -> float:
    return min(1.0, sum(betabinom_pmf(i, n, a, b) for i in range(0, min(k, n) + 1)))


@dataclass(frozen=True)
class AlleleCounts:
    """Reads of the reference and of one alternative allele, by strand."""

    ref: int = 0
    alt: int = 0
    alt_fwd: int = 0
    alt_rev: int = 0
    ref_fwd: int = 0
    ref_rev: int = 0

    @property
    def depth(self) -> int:
        return self.ref + self.alt

    @property
    def alt_fraction(self) -> float:
        return self.alt / self.depth if self.depth else 0.0

    def __add__(self, other: AlleleCounts) -> AlleleCounts:
        return AlleleCounts(
            self.ref + other.ref,
            self.alt + other.alt,
            self.alt_fwd + other.alt_fwd,
            self.alt_rev + other.alt_rev,
            self.ref_fwd + other.ref_fwd,
            self.ref_rev + other.ref_rev,
        )


@dataclass(frozen=True)
class StateSettings(FromConfig):
    """Thresholds and error model; config `variants.*` keys of the same names."""

    min_depth: int = 5
    min_alt_reads: int = 2
    min_posterior: float = 0.99
    max_missed: float = 0.1
    sequencing_error: float = 0.002
    amplification_error: float = 2e-5
    # mean share of a site's reads carrying an early amplification error: an
    # error made copying one of the site's 4 template strands in the first
    # round reaches about 1/8 of the reads
    amplification_error_share: float = 0.125
    deamination_factor: float = 5.0
    early_error_share: dict[str, float] = field(default_factory=lambda: {"default": 0.25})
    het_concentration: float = 10.0
    prior_somatic: float = 0.001
    prior_hotspot: float = 0.01
    prior_germline: float = 0.95
    default_purity: float = 0.5


@dataclass(frozen=True)
class StateCall:
    state: str
    quality: float
    posterior: float  # probability the sample carries the variant


def is_deamination(ref: str, alt: str) -> bool:
    """C>T or G>A (either strand): the change amplification errors favour."""
    return (ref.upper(), alt.upper()) in {("C", "T"), ("G", "A")}


def strand_biased(counts: AlleleCounts) -> bool:
    """All alt reads on one strand although the site has reads on both."""
    if counts.alt == 0:
        return False
    both_strands = (counts.ref_fwd + counts.alt_fwd) > 0 and (counts.ref_rev + counts.alt_rev) > 0
    return both_strands and (counts.alt_fwd == 0 or counts.alt_rev == 0)


def carrier_likelihood(
    counts: AlleleCounts, *, cell: bool, ado: float, allele_fraction: float, settings: StateSettings
) -> float:
    a, n, e = counts.alt, counts.depth, settings.sequencing_error
    if not cell:
        return binom_pmf(a, n, min(1 - e, max(e, allele_fraction)))
    half = settings.het_concentration / 2
    both = betabinom_pmf(a, n, half, half)
    return ado / 2 * binom_pmf(a, n, e) + ado / 2 * binom_pmf(a, n, 1 - e) + (1 - ado) * both


def noncarrier_likelihood(
    counts: AlleleCounts, *, cell: bool, deamination: bool, settings: StateSettings, kit: str = "default"
) -> float:
    a, n = counts.alt, counts.depth
    errors = binom_pmf(a, n, settings.sequencing_error)
    if not cell:
        return errors
    rate = settings.amplification_error * (settings.deamination_factor if deamination else 1.0)
    # a late amplification error is carried by a Beta(1, b) share of the
    # reads, b set by its mean share (mostly few reads); an early one by
    # 10-50% of them
    b = 1 / settings.amplification_error_share - 1
    early = kit_setting(kit, settings.early_error_share, 0.25)
    amplified = (1 - early) * betabinom_pmf(a, n, 1, b) + early * betabinom_pmf(a, n, *EARLY_ERROR_BETA)
    return (1 - rate) * errors + rate * amplified


def missed_probability(
    depth: int, *, cell: bool, ado: float, allele_fraction: float, settings: StateSettings
) -> float:
    """Chance that a carrier shows fewer than `min_alt_reads` alt reads."""
    below = settings.min_alt_reads - 1
    if depth == 0:
        return 1.0
    if not cell:
        return binom_cdf(below, depth, allele_fraction)
    half = settings.het_concentration / 2
    both = betabinom_cdf(below, depth, half, half)
    return ado / 2 + (1 - ado) * both


def _phred(probability: float) -> float:
    if probability <= 0:
        return MAX_QUALITY
    return round(min(MAX_QUALITY, -10 * math.log10(probability)), 1)


def call_state(
    counts: AlleleCounts,
    *,
    ref: str,
    alt: str,
    cell: bool,
    ado: float,
    prior: float,
    settings: StateSettings,
    purity: float | None = None,
    expected: bool = False,
    kit: str = "default",
) -> StateCall:
    """The state of one variant (ref>alt) in one sample.

    `cell`: a single amplified cell (else bulk DNA, no dropout); `ado`: the
    cell's allelic-dropout rate; `prior`: probability, before the reads, that
    the sample carries the variant; `purity`: tumour fraction of a bulk
    sample (its carriers show purity / 2 alt reads); `expected`: the variant
    is known in the patient (germline, or mutant in another tumour sample):
    then a cell is `wildtype` only if a carrier, dropout included, would
    have shown the variant with probability 1 - `max_missed`, whatever the
    prior. A cell with any alt read is never `wildtype`. `kit`: the cell's
    WGA kit, for its share of early amplification errors.
    """
    if counts.depth < settings.min_depth:
        return StateCall(NO_COVERAGE, 0.0, prior)
    fraction = 0.5 if cell else (purity or settings.default_purity) / 2
    ado = ado if cell else 0.0
    carrier = carrier_likelihood(counts, cell=cell, ado=ado, allele_fraction=fraction, settings=settings)
    noncarrier = noncarrier_likelihood(
        counts, cell=cell, deamination=is_deamination(ref, alt), settings=settings, kit=kit
    )
    evidence = prior * carrier + (1 - prior) * noncarrier
    posterior = prior * carrier / evidence if evidence > 0 else prior
    if (
        counts.alt >= settings.min_alt_reads
        and not strand_biased(counts)
        and posterior >= settings.min_posterior
    ):
        return StateCall(MUTANT, _phred(1 - posterior), posterior)
    both_alleles_missed = missed_probability(
        counts.depth, cell=cell, ado=0.0, allele_fraction=fraction, settings=settings
    )
    deep_enough = both_alleles_missed <= settings.max_missed
    if cell and expected:
        deep_enough = (
            missed_probability(counts.depth, cell=True, ado=ado, allele_fraction=fraction, settings=settings)
            <= settings.max_missed
        )
    # a single cell showing the allele at all is not called free of it
    clean = not cell or counts.alt == 0
    if posterior <= settings.max_missed and deep_enough and clean:
        return StateCall(WILDTYPE, _phred(posterior), posterior)
    if not cell and counts.alt < settings.min_alt_reads and not deep_enough:
        return StateCall(NO_COVERAGE, 0.0, posterior)
    return StateCall(DROPOUT_POSSIBLE, 0.0, posterior)


def joint_prior(base: float, mutant_elsewhere: int, informative_elsewhere: int) -> float:
    """Prior that a tumour sample carries a variant, given how many of the
    patient's other tumour samples with a call are mutant there: the mean of a
    Beta(1, 1) posterior, used when at least one is (else `base`)."""
    if mutant_elsewhere <= 0:
        return base
    return max(base, (mutant_elsewhere + 1) / (informative_elsewhere + 2))
