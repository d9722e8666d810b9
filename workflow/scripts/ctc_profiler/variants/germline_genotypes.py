"""Each patient's germline genotypes at the run's sites: the fingerprint the
identity check (variants/identity.py) holds every sample against.

A patient's genotypes come from the pooled reads of its normal samples
(`NORMAL_TYPES`): its bulk normals, else, at a site these do not genotype,
its WBC cells (pooling cells averages out their allelic dropout, which
strikes each cell in other places), else its primary and metastasis bulks:
germline too, but a tumour's loss of heterozygosity looks homozygous and a
clonal mutation heterozygous. Column `source` says which pool. A site two
pools call differently is left out: a tumour's LOH, or an early
amplification error of one cell in a thin pool of WBCs (its 3 alt reads of
8 make a heterozygous call), and either would count against the patient's
own samples. The pools are kept apart so that a WBC's error does not blend
into a bulk normal's reads and tip its call unseen.

At each site the pooled ref and alt reads give binomial likelihoods of 0/0,
0/1 and 1/1 (alt fraction `error`, 1/2, 1 - `error`); with a flat prior the
best genotype is kept when the pool has `min_depth` reads and its posterior
is at least `MIN_POSTERIOR`. A site left uncalled is not used, never
guessed: a wrong genotype is evidence against the patient's own samples.

The identity check weighs genotypes by their posteriors instead
(`genotype_posteriors`): each patient's at every site one of its pools has
reads at, from the first such pool in the order above, under a flat prior.
Low-pass reads alone seldom reach `min_depth` at a site (a pool of WBC
cells at 500,000 reads each gave no called genotype at any of 261 sites),
but one or two reads of a pool still tell its genotypes apart in part, and
the check sums that over hundreds of sites; where a pool is deep the
posterior is the called genotype's, near 1.

A sample being tested can be left out of its patient's pool (`leave_out`):
a swapped WBC or normal tube would otherwise make the genotypes it is then
found to match, and so vouch for itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from ctc_profiler.core.settings import FromConfig
from ctc_profiler.core.words import CELL_TYPES, NORMAL_TYPES, TUMOUR_TYPES

SITE = ["chrom", "pos", "ref", "alt"]
COUNT_COLUMNS = ["sample", *SITE, "ref_reads", "alt_reads"]
GENOTYPE_COLUMNS = ["patient", *SITE, "ref_reads", "alt_reads", "genotype", "posterior", "source"]
GENOTYPE_POSTERIORS = ["p_0", "p_1", "p_2"]  # posterior of 0/0, 0/1, 1/1
POSTERIOR_COLUMNS = ["patient", *SITE, "ref_reads", "alt_reads", "source", *GENOTYPE_POSTERIORS]
GENOTYPES = ("0/0", "0/1", "1/1")  # index = alt alleles carried
# an allele frequency taken as a genotype prior or a stranger's genotypes: a few patients are no population, and
# one site of a rare allele should not decide alone
AF_RANGE = (0.05, 0.95)
MIN_POSTERIOR = 0.99
# the `source` of a patient's genotypes at a site, the pools in the order preferred: bulk normals, WBC cells,
# and tumour bulks (germline too, with a tumour's changes), never the (amplified, single) CTCs
FROM_NORMALS = "normal"
FROM_WBC = "wbc"
FROM_TUMOUR_BULK = "tumour_bulk"
POOLS = (
    (FROM_NORMALS, NORMAL_TYPES - CELL_TYPES),
    (FROM_WBC, NORMAL_TYPES & CELL_TYPES),
    (FROM_TUMOUR_BULK, TUMOUR_TYPES - CELL_TYPES),
)


@dataclass(frozen=True)
class IdentitySettings(FromConfig):
    """Config `variants.identity.*` keys of the same names: a section of its
    own, as `variants.min_depth` is the depth of the variant calls."""

    error: float = 0.01  # alt fraction of a homozygous site (sequencing and amplification errors)
    ado: float = 0.3  # allelic dropout of a single cell when none is given for it (bulk: 0)
    anything_weight: float = 0.02  # weight of "any alt fraction" at each site, so no one artefact decides
    min_depth: int = 6  # pooled germline reads needed to genotype a site
    min_sites: int = 20  # germline sites with reads a sample needs to be assessed
    min_lod: float = 3.0  # log10 likelihood ratio that decides between two people


@dataclass(frozen=True)
class Pool:
    """Samples whose pooled reads stand for a patient's germline, and which kind they are."""

    samples: tuple[str, ...]
    source: str


def germline_pools(
    samples: pd.DataFrame, with_reads: Iterable[str], leave_out: str | None = None
) -> dict[str, list[Pool]]:
    """Each patient's pools of samples with reads (`POOLS`, in that order),
    never `leave_out`; a patient without any such sample has none."""
    usable = samples[samples["sample"].isin(set(with_reads)) & (samples["sample"] != leave_out)]
    pools: dict[str, list[Pool]] = {}
    for patient, group in usable.groupby("patient", sort=False):
        for source, types in POOLS:
            chosen = group.loc[group["type"].isin(types), "sample"]
            if len(chosen):
                pools.setdefault(str(patient), []).append(Pool(tuple(chosen.astype(str)), source))
    return pools


def genotype_log_likelihoods(ref_reads: np.ndarray, alt_reads: np.ndarray, error: float) -> np.ndarray:
    """Natural-log binomial likelihood of the alt reads at each site (rows)
    under 0/0, 0/1 and 1/1 (columns)."""
    alt = np.asarray(alt_reads)[:, None]
    depth = alt + np.asarray(ref_reads)[:, None]
    return stats.binom.logpmf(alt, depth, np.array([error, 0.5, 1 - error])[None, :])


def hardy_weinberg(frequency: np.ndarray) -> np.ndarray:
    """Genotype frequencies 0/0, 0/1, 1/1 (columns) at each site's alt allele
    frequency, clipped to `AF_RANGE`."""
    f = np.clip(np.asarray(frequency, dtype=float), *AF_RANGE)
    return np.stack([(1 - f) ** 2, 2 * f * (1 - f), f**2], axis=1)


def genotype_posteriors_flat(ref_reads: np.ndarray, alt_reads: np.ndarray, error: float) -> np.ndarray:
    """Posterior of 0/0, 0/1 and 1/1 (columns) at each site (rows) under a flat prior."""
    loglik = genotype_log_likelihoods(ref_reads, alt_reads, error)
    return np.exp(loglik - special.logsumexp(loglik, axis=1, keepdims=True))


def call_genotypes(
    ref_reads: np.ndarray, alt_reads: np.ndarray, settings: IdentitySettings
) -> tuple[np.ndarray, np.ndarray]:
    """The best genotype of each site as alt alleles carried (-1 where not
    called: too few reads or a posterior under `MIN_POSTERIOR`) and its
    posterior under a flat prior."""
    posterior = genotype_posteriors_flat(ref_reads, alt_reads, settings.error)
    best = posterior.argmax(axis=1)
    top = posterior.max(axis=1)
    depth = np.asarray(ref_reads) + np.asarray(alt_reads)
    called = (depth >= settings.min_depth) & (top >= MIN_POSTERIOR)
    return np.where(called, best, -1), top


def pooled_counts(
    counts: pd.DataFrame,
    samples: pd.DataFrame,
    leave_out: str | None = None,
    patients: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Each patient's pools' summed ref and alt reads per site (patient,
    rank, source, SITE, ref_reads, alt_reads; rank 0 the preferred pool)."""
    if patients is not None:
        samples = samples[samples["patient"].isin(set(patients))]
        counts = counts[counts["sample"].isin(set(samples["sample"]))]
    with_reads = counts.loc[counts["ref_reads"] + counts["alt_reads"] > 0, "sample"].unique()
    pools = germline_pools(samples, with_reads, leave_out)
    members = pd.DataFrame(
        [(sample, patient, rank, pool.source)
         for patient, found in pools.items() for rank, pool in enumerate(found) for sample in pool.samples],
        columns=["sample", "patient", "rank", "source"],
    )
    pooled = (
        counts[COUNT_COLUMNS].merge(members, on="sample")
        .groupby(["patient", "rank", "source", *SITE], as_index=False)[["ref_reads", "alt_reads"]].sum()
    )
    return pooled[pooled["ref_reads"] + pooled["alt_reads"] > 0]


def called_pools(
    counts: pd.DataFrame,
    samples: pd.DataFrame,
    settings: IdentitySettings,
    leave_out: str | None = None,
    patients: Iterable[str] | None = None,
) -> pd.DataFrame:
    """`pooled_counts` with each pool's call (`called`: alt alleles carried,
    -1 not called; `posterior` of the best genotype), every pool of a
    patient at a site two of its pools call differently left out."""
    pooled = pooled_counts(counts, samples, leave_out, patients)
    called, posterior = call_genotypes(pooled["ref_reads"].to_numpy(), pooled["alt_reads"].to_numpy(), settings)
    pooled = pooled.assign(called=called, posterior=posterior)
    calls = pooled[called >= 0]
    conflict = calls[calls.groupby(["patient", *SITE])["called"].transform("nunique") > 1]
    if len(conflict):
        keys = pd.MultiIndex.from_frame(pooled[["patient", *SITE]])
        pooled = pooled[~keys.isin(pd.MultiIndex.from_frame(conflict[["patient", *SITE]]))]
    return pooled


def germline_genotypes(
    counts: pd.DataFrame,
    samples: pd.DataFrame,
    settings: IdentitySettings = IdentitySettings(),
    leave_out: str | None = None,
    patients: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The called germline genotypes (`GENOTYPE_COLUMNS`, one row per patient
    and called site, from its first pool calling it, none calling it
    otherwise) from the long table of allele counts (`COUNT_COLUMNS`)
    and the samples sheet (patient, sample, type); `leave_out` a sample out
    of its patient's pool, `patients` only these."""
    pooled = called_pools(counts, samples, settings, leave_out, patients)
    kept = pooled[pooled["called"] >= 0]
    kept = kept.assign(genotype=np.array(GENOTYPES, dtype=object)[kept["called"].to_numpy()],
                       posterior=kept["posterior"].round(6))
    kept = kept.sort_values(["patient", *SITE, "rank"]).drop_duplicates(["patient", *SITE])
    return kept[GENOTYPE_COLUMNS].reset_index(drop=True)


def genotype_posteriors(
    counts: pd.DataFrame,
    samples: pd.DataFrame,
    settings: IdentitySettings = IdentitySettings(),
    leave_out: str | None = None,
    patients: Iterable[str] | None = None,
    frequencies: pd.Series | None = None,
) -> pd.DataFrame:
    """Each patient's genotype posteriors (`POSTERIOR_COLUMNS`: p_0, p_1,
    p_2 for 0/0, 0/1, 1/1) at every site one of its pools has reads at: from
    the first pool that calls a genotype there (`call_genotypes`; its
    posterior is then near 1, as `germline_genotypes` takes it), else from
    the pool with the most reads there. The prior is Hardy-Weinberg at the
    site's population allele frequency (`frequencies`, indexed by SITE)
    where it is known, else flat: one alt read of a thin pool then says
    "heterozygous" at a common SNP, where a flat prior says "1/1" twice as
    often as "0/1". A site where two of the patient's pools call genotypes
    that differ is left out, as there. Other arguments as
    `germline_genotypes`."""
    pooled = called_pools(counts, samples, settings, leave_out, patients)
    # the first calling pool, else the deepest
    depth = pooled["ref_reads"] + pooled["alt_reads"]
    choice = np.where(pooled["called"] >= 0, pooled["rank"], np.iinfo(np.int64).max - depth)
    pooled = (pooled.assign(choice=choice).sort_values(["patient", *SITE, "choice", "rank"])
              .drop_duplicates(["patient", *SITE]))
    posterior = genotype_posteriors_flat(pooled["ref_reads"].to_numpy(), pooled["alt_reads"].to_numpy(),
                                         settings.error)
    if frequencies is not None and len(pooled):
        known = frequencies.reindex(pd.MultiIndex.from_frame(pooled[SITE])).to_numpy(dtype=float)
        prior = np.where(np.isnan(known)[:, None], 1.0, hardy_weinberg(np.nan_to_num(known, nan=0.5)))
        posterior = posterior * prior
        posterior /= posterior.sum(axis=1, keepdims=True)
    pooled = pooled.assign(**dict(zip(GENOTYPE_POSTERIORS, posterior.T)))
    return pooled[POSTERIOR_COLUMNS].reset_index(drop=True)
