"""Where a variant comes from: `germline` (in every cell of the patient) or
`somatic` (the tumour's own), weighed from the reads of the samples that can
tell them apart; `unresolved` when those reads cannot.

A CTC cannot tell: a clonal somatic mutation and a germline SNP are both in
it. The samples that can:

- a WBC cell: a germline heterozygous SNP is there unless allelic dropout
  took its allele (ADO / 2), so a WBC without alt reads is evidence against
  germline, but never more than 2 / ADO-fold; a somatic variant shows only
  errors (sequencing, early amplification);
- a bulk normal: alt fraction 1/2 (or ~1 when homozygous) against errors;
- a bulk tumour (primary, metastasis) of purity p and tumour copy number C
  at the site (its segments; 2 where unknown): a germline heterozygous SNP
  at (p m + 1 - p) / (p C + 2 (1 - p)) with m of the C tumour copies
  carrying it (both alleles kept, 0 < m < C, unless lost to LOH:
  `allele_change_share`), a somatic one at p m / (p C + 2 (1 - p)) when
  clonal there (0 < m < C: in a gained segment it may sit on the gained
  haplotype; m = C, the other allele lost, with `allele_change_share`), or
  absent when the CTCs' own (even mixture); each a beta-binomial around
  that fraction. Copy number matters: on a gained allele of a 3-copy
  segment a somatic mutation sits at 0.52 (p 0.7), where a heterozygous
  SNP cannot (0.37 or 0.63).

The likelihoods of all these samples multiply, germline mixing the
heterozygous and homozygous cases for the patient as a whole. The prior
`germline_prior` is the share of candidate sites that are germline before
these reads: germline SNPs (~1 per kb) far outnumber somatic mutations, so a
site is called somatic only when the normals' and bulk tumour's reads argue
for it; hotspot alleles (recurrent tumour mutations) take
`germline_prior_hotspot`. An allele known as germline from outside the
patient (seen in another patient's samples of the run, or common in the
population resource: `germline_prior_known`) starts from that prior and is
never labelled somatic: at worst `unresolved`. A posterior of at least
`origin_min_posterior` either way decides. A site where no sample that can tell has `min_depth`
reads is `unresolved` (the prior alone would decide), and so is every site
of a patient without WBC, normal or bulk tumour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ctc_profiler.core.settings import FromConfig
from ctc_profiler.core.words import CELL_TYPES, NORMAL_TYPES, TUMOUR_TYPES
from ctc_profiler.variants.states import (
    AlleleCounts,
    StateSettings,
    betabinom_pmf,
    binom_pmf,
    carrier_likelihood,
    is_deamination,
    noncarrier_likelihood,
)

BULK_TUMOUR_TYPES = TUMOUR_TYPES - CELL_TYPES
TINY = 1e-300


@dataclass(frozen=True)
class OriginSettings(FromConfig):
    """Config `variants.*` keys of the same names."""

    germline_prior: float = 0.95
    germline_prior_hotspot: float = 0.05
    germline_hom_share: float = 0.33
    origin_min_posterior: float = 0.9
    bulk_allele_concentration: float = 100.0
    allele_change_share: float = 0.1
    germline_prior_known: float = 0.999


@dataclass(frozen=True)
class OriginSample:
    name: str
    type: str
    ado: float = 0.0  # a WBC cell's allelic-dropout rate
    purity: float | None = None  # a bulk tumour's tumour fraction
    copy_number: int | None = None  # a bulk tumour's copy number at the site
    kit: str = "default"  # a WBC cell's WGA kit


@dataclass(frozen=True)
class Origin:
    origin: str
    germline_probability: float


def can_tell(sample: OriginSample) -> bool:
    return sample.type in NORMAL_TYPES | BULK_TUMOUR_TYPES


def germline_weights(c: int, change: float) -> list[tuple[int, float]]:
    """Tumour copies m (of c) carrying a germline heterozygous allele, with
    weights: both alleles kept (0 < m < c) unless lost to LOH (m = 0 or c,
    `change` in all; with c <= 1 every state is a loss or a deletion)."""
    if c <= 1:
        return [(m, 1.0 / (c + 1)) for m in range(c + 1)]
    kept = [(m, (1 - change) / (c - 1)) for m in range(1, c)]
    return [(0, change / 2), *kept, (c, change / 2)]


def somatic_weights(c: int, change: float) -> list[tuple[int, float]]:
    """Tumour copies m (of c >= 1) carrying a clonal somatic mutation: any
    count short of all copies (0 < m < c; in a gained segment the mutation
    may sit on the gained haplotype), or, with `change`, every copy (the
    other allele lost); with c = 1 the one copy."""
    if c == 1:
        return [(1, 1.0)]
    return [*((m, (1 - change) / (c - 1)) for m in range(1, c)), (c, change)]


def _around(a: int, n: int, mean: float, concentration: float) -> float:
    return betabinom_pmf(a, n, mean * concentration, (1 - mean) * concentration)


def sample_likelihoods(
    counts: AlleleCounts, sample: OriginSample, *, ref: str, alt: str,
    states: StateSettings, settings: OriginSettings,
) -> tuple[float, float, float]:
    """Likelihoods of one sample's reads if the variant is germline
    heterozygous, germline homozygous, or somatic."""
    a, n, e = counts.alt, counts.depth, states.sequencing_error
    if n == 0 or not can_tell(sample):
        return 1.0, 1.0, 1.0
    deamination = is_deamination(ref, alt)
    hom = binom_pmf(a, n, 1 - e)
    if sample.type == "wbc":
        het = carrier_likelihood(counts, cell=True, ado=sample.ado, allele_fraction=0.5, settings=states)
        somatic = noncarrier_likelihood(counts, cell=True, deamination=deamination, settings=states, kit=sample.kit)
        return het, hom, somatic
    het = _around(a, n, 0.5, settings.bulk_allele_concentration)
    errors = noncarrier_likelihood(counts, cell=False, deamination=deamination, settings=states)
    if sample.type == "normal":
        return het, hom, errors
    p = sample.purity or states.default_purity
    c = 2 if sample.copy_number is None else sample.copy_number
    total = p * c + 2 * (1 - p)
    concentration = settings.bulk_allele_concentration

    def fraction(value: float) -> float:
        return min(1 - e, max(e, value / total))

    het = sum(
        w * _around(a, n, fraction(p * m + 1 - p), concentration)
        for m, w in germline_weights(c, settings.allele_change_share)
    )
    if c == 0:
        return het, hom, errors
    clonal = sum(
        w * _around(a, n, fraction(p * m), concentration)
        for m, w in somatic_weights(c, settings.allele_change_share)
    )
    return het, hom, 0.5 * clonal + 0.5 * errors


def variant_origin(
    counts: dict[str, AlleleCounts], samples: list[OriginSample], *, ref: str, alt: str,
    hotspot: bool, states: StateSettings, settings: OriginSettings, known_germline: bool = False,
) -> Origin:
    """The origin of one allele from the reads of every sample of the patient;
    `known_germline`: the allele is germline elsewhere (other patients of the
    run, the population), so it is not somatic here."""
    prior = settings.germline_prior_hotspot if hotspot else settings.germline_prior
    if known_germline:
        prior = max(prior, settings.germline_prior_known)
    informative = [s for s in samples if can_tell(s)]
    # no reads where they could tell: the prior alone would decide, so say so
    if not any(counts.get(s.name, AlleleCounts()).depth >= states.min_depth for s in informative):
        return Origin("unresolved", prior)
    log_het = log_hom = log_somatic = 0.0
    for sample in informative:
        het, hom, somatic = sample_likelihoods(
            counts.get(sample.name, AlleleCounts()), sample, ref=ref, alt=alt, states=states, settings=settings
        )
        log_het += math.log(max(het, TINY))
        log_hom += math.log(max(hom, TINY))
        log_somatic += math.log(max(somatic, TINY))
    h = settings.germline_hom_share
    terms = [
        math.log(prior) + math.log1p(-h) + log_het,
        math.log(prior) + math.log(h) + log_hom,
        math.log1p(-prior) + log_somatic,
    ]
    top = max(terms)
    weights = [math.exp(t - top) for t in terms]
    germline = (weights[0] + weights[1]) / sum(weights)
    if germline >= settings.origin_min_posterior:
        origin = "germline"
    elif 1 - germline >= settings.origin_min_posterior and not known_germline:
        origin = "somatic"
    else:
        origin = "unresolved"
    return Origin(origin, germline)
