"""Whether each sample comes from its own patient: a swapped well or a
mislabelled tube would make another patient's cell look like this patient's
(HER2-gained) CTC. The germline is the fingerprint: each patient's genotypes
(variants/germline_genotypes.py) against the sample's reads at those sites.

At a site with n reads, a of them alt, the sample's likelihood is

- 0/0: Binomial(a; n, error); 1/1: Binomial(n - a; n, error);
- 0/1: (1 - ado) Binomial(a; n, 1/2) + ado/2 Binomial(a; n, error)
  + ado/2 Binomial(n - a; n, error), with `ado` the sample's allelic
  dropout (a single cell loses one allele at 15-30% of heterozygous sites;
  a bulk none),

each mixed with weight `anything_weight` of "any alt fraction" (uniform on
[0, 1]: 1/(n + 1)). An early amplification error puts an alt allele on
25-50% of a cell's reads at a homozygous site, and a pool's genotype can be
wrong: the mixture bounds what one such site costs, so none decides alone.
An unrelated person has at each site the genotypes in Hardy-Weinberg
proportions of the site's population allele frequency (`resources.germline`)
where the resource holds the site, else of its allele frequency over the
run's patients' genotypes; either clipped to [0.05, 0.95]. With one patient
in the run the second is that patient's own: a stranger drawn from it can
hardly be told from the patient, so such a run needs the resource. The
site terms multiply (sum in log): sites are taken as independent, though dropout strikes stretches of
kilobases; the germline sites a low-pass cell has reads at lie far apart.

Each comparison is a log10 likelihood ratio (LOD) of two hypotheses over the
SAME sites, as a site that one side lacks would add a term to that side only
and a patient genotyped at more sites would look worse for it: own patient
O against patient P over the sites genotyped in both with reads in the
sample; O against the unrelated person over the sites genotyped in O with
reads (`sites`, the sample's informative sites); the unrelated person
against P over the sites genotyped in P with reads. Each pair has its own
sites, so the LODs of different pairs are not a sum of one another's.

The verdict, with `min_lod`:

- `match`: O beats every other patient and the unrelated person;
- `mismatch: matches no patient of the run`: the unrelated person beats O
  and every other patient (weighed first: over many sites an outsider's
  reads favour one wrong patient over another by chance);
- `mismatch: looks like P`: P beats O, the P that beats it most; `... or
  a person outside the run` unless P also beats the unrelated person: at
  20-50 single-read sites an outsider's reads favour one wrong patient
  over another by `min_lod` in 1 case of 10 or more;
- `not_assessable`: no germline genotypes for O, fewer than `min_sites`
  informative sites, or the reads cannot tell O from its closest
  alternative.

A sample of its patient's pools (a WBC, a normal, a tumour bulk) is held
against genotypes from the pools without it, so it never vouches for
itself. A patient without germline genotypes is no alternative for the
others: a sample of it could not be told from anybody's. One person entered
as two patients cannot be told apart: their samples are not_assessable and
`shared_germlines` says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import special

from ctc_profiler.core.words import CELL_TYPES, IDENTITY_MATCH, IDENTITY_MISMATCH, NOT_ASSESSABLE
from ctc_profiler.variants.germline_genotypes import (
    COUNT_COLUMNS,
    GENOTYPE_POSTERIORS,
    GENOTYPES,
    SITE,
    IdentitySettings,
    genotype_log_likelihoods,
    genotype_posteriors,
    germline_pools,
    hardy_weinberg,
)
from ctc_profiler.variants.identity_sites import POPULATION_AF

MATCH = IDENTITY_MATCH
MISMATCH = IDENTITY_MISMATCH
NO_PATIENT = f"{MISMATCH}: matches no patient of the run"
UNRELATED = "an unrelated person"
OR_OUTSIDE = " or a person outside the run"
IDENTITY_COLUMNS = ["sample", "patient", "identity", "sites", "own_lod", "closest_patient", "closest_lod",
                    "unrelated_lod"]
SHARED_AGREEMENT = 0.98  # genotype agreement of two patients that are one person
_LN10 = float(np.log(10.0))
_ALLELES = {genotype: alleles for alleles, genotype in enumerate(GENOTYPES)}


def site_log_likelihoods(
    ref_reads: np.ndarray, alt_reads: np.ndarray, ado: float, settings: IdentitySettings
) -> np.ndarray:
    """Natural-log likelihood of a sample's reads at each site (rows) under
    0/0, 0/1, 1/1 (columns), dropout and "anything" mixed in."""
    depth = np.asarray(alt_reads) + np.asarray(ref_reads)
    hom_ref, balanced, hom_alt = genotype_log_likelihoods(ref_reads, alt_reads, settings.error).T
    weights = np.array([1 - ado, ado / 2, ado / 2])[:, None]
    het = special.logsumexp(np.stack([balanced, hom_ref, hom_alt]), axis=0, b=weights)
    genotypes = np.stack([hom_ref, het, hom_alt], axis=1)
    w = settings.anything_weight
    with np.errstate(divide="ignore"):  # a weight of 0 or 1
        return np.logaddexp(np.log1p(-w) + genotypes, np.log(w) - np.log1p(depth)[:, None])


def alt_frequency(alleles: np.ndarray) -> np.ndarray:
    """Alt allele frequency of each site (columns) over the patients (rows:
    alt alleles carried, expected from the posteriors; NaN without reads)
    with reads there; NaN where none has."""
    called = ~np.isnan(alleles)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(called, alleles, 0).sum(axis=0) / (2.0 * called.sum(axis=0))


def unrelated_log_likelihoods(site_ll: np.ndarray, frequency: np.ndarray) -> np.ndarray:
    """Each site's log-likelihood for a person with Hardy-Weinberg genotypes
    at the (clipped) allele frequency."""
    return special.logsumexp(site_ll + np.log(hardy_weinberg(frequency)), axis=1)


@dataclass(frozen=True)
class Evidence:
    """What a sample's reads say of whose they are; every LOD in log10,
    positive for the first-named hypothesis."""

    sample: str
    patient: str
    genotyped: bool  # its patient has germline genotypes (without the sample itself)
    sites: int = 0  # sites genotyped in its patient with reads in the sample
    versus: dict[str, float] = field(default_factory=dict)  # other patient -> own vs it, over sites of both
    shared: dict[str, int] = field(default_factory=dict)  # other patient -> those sites
    unrelated: float = float("nan")  # own vs an unrelated person, over `sites`
    unrelated_versus: dict[str, float] = field(default_factory=dict)  # other patient -> unrelated vs it
    left_out: bool = False  # the sample is of its patient's pools, left out of them

    @property
    def closest(self) -> str | None:
        """The other patient the reads favour most against the own one."""
        return min(self.versus, key=self.versus.__getitem__) if self.versus else None

    @property
    def own_lod(self) -> float:
        """Own patient against its best alternative (negative: it loses)."""
        return min([*self.versus.values(), self.unrelated])


def weigh(
    sample: str,
    patient: str,
    site_ll: np.ndarray,
    log_posteriors: np.ndarray,
    names: list[str],
    own: int,
    population: np.ndarray | None = None,
) -> Evidence:
    """The LODs of one sample from its site log-likelihoods (rows: its
    sites with reads) and the run's patients' genotype log-posteriors there
    (patients `names` x sites x 0/0, 0/1, 1/1; NaN where a patient's pools
    have no reads), its own at row `own`; `population`: the sites' population
    allele frequencies, NaN where unknown; vectorised over sites."""
    called = ~np.isnan(log_posteriors[:, :, 0])
    known = np.where(called[:, :, None], log_posteriors, 0.0)
    per_patient = np.where(called, special.logsumexp(known + site_ll[None, :, :], axis=2), 0.0)
    alleles = np.where(called, (np.exp(known) * np.arange(3)).sum(axis=2), np.nan)
    frequency = alt_frequency(alleles)
    if population is not None:
        frequency = np.where(np.isnan(population), frequency, population)
    unrelated = unrelated_log_likelihoods(site_ll, frequency)
    own_ll, own_called = per_patient[own], called[own]
    both = called & own_called[None, :]
    versus = np.where(both, own_ll[None, :] - per_patient, 0.0).sum(axis=1) / _LN10
    unrelated_versus = np.where(called, unrelated[None, :] - per_patient, 0.0).sum(axis=1) / _LN10
    others = [i for i in range(len(names)) if i != own]
    return Evidence(
        sample=sample,
        patient=patient,
        genotyped=True,
        sites=int(own_called.sum()),
        versus={names[i]: float(versus[i]) for i in others},
        shared={names[i]: int(both[i].sum()) for i in others},
        unrelated=float(np.where(own_called, own_ll - unrelated, 0.0).sum() / _LN10),
        unrelated_versus={names[i]: float(unrelated_versus[i]) for i in others},
    )


def _sites_in_words(count: int, needed: int) -> str:
    if count == 0:
        return f"no germline sites with reads (needs {needed})"
    return f"only {count} germline site{'' if count == 1 else 's'} with reads (needs {needed})"


def verdict(evidence: Evidence, settings: IdentitySettings) -> str:
    """`match`, `mismatch: ...` or `not_assessable: <why>` (module docstring)."""
    e, lod = evidence, settings.min_lod
    if not e.genotyped:
        besides = " besides this sample" if e.left_out else ""
        return f"{NOT_ASSESSABLE}: no germline genotypes for patient {e.patient}{besides}"
    if e.sites < settings.min_sites:
        return f"{NOT_ASSESSABLE}: {_sites_in_words(e.sites, settings.min_sites)}"
    if e.unrelated <= -lod and all(v >= lod for v in e.unrelated_versus.values()):
        return NO_PATIENT
    beaten_by = {other: -v for other, v in e.versus.items() if v <= -lod}
    # a patient beating the own one is a mismatch only while the reads do not
    # also hold the own patient above a stranger: a patient whose pools are
    # deeper fits its own reads better than one whose pools are thin (the own
    # one's, with the sample left out of them) even when both are the same
    # person; then the reads cannot tell the two apart
    if beaten_by and e.unrelated < lod:
        best = max(beaten_by, key=beaten_by.__getitem__)
        unsure = e.unrelated_versus.get(best, 0.0) > -lod  # `best` does not beat an unrelated person
        return f"{MISMATCH}: looks like {best}{OR_OUTSIDE if unsure else ''}"
    alternatives = {**e.versus, UNRELATED: e.unrelated}
    closest = min(alternatives, key=alternatives.__getitem__)
    if alternatives[closest] >= lod:
        return MATCH
    return f"{NOT_ASSESSABLE}: the reads cannot tell {e.patient} from {closest}"


def posterior_matrix(posteriors: pd.DataFrame, sites: pd.MultiIndex, patients: list[str]) -> np.ndarray:
    """Patients x sites x genotypes (0/0, 0/1, 1/1): natural-log posteriors
    (`germline_genotypes.genotype_posteriors`), NaN where a patient's pools
    have no reads at a site."""
    matrix = np.full((len(patients), len(sites), 3), np.nan)
    if len(posteriors) and len(sites):
        column = sites.get_indexer(pd.MultiIndex.from_frame(posteriors[SITE]))
        row = pd.Index(patients).get_indexer(posteriors["patient"].astype(str))
        keep = (column >= 0) & (row >= 0)
        with np.errstate(divide="ignore"):  # a posterior of 0
            matrix[row[keep], column[keep]] = np.log(posteriors[GENOTYPE_POSTERIORS].to_numpy(dtype=float)[keep])
    return matrix


def sample_ado(sample: str, kind: str, settings: IdentitySettings, ado: Mapping[str, float] | None) -> float:
    """The sample's own dropout rate when given, else `settings.ado` for a cell and none for a bulk."""
    if ado is not None and sample in ado:
        return float(ado[sample])
    return settings.ado if kind in CELL_TYPES else 0.0


def population_frequencies(population: pd.DataFrame | None, sites: pd.MultiIndex) -> np.ndarray | None:
    """The population allele frequency of each of `sites` from a table of
    SITE columns and `population_af` (NaN: the resource lacks the site), or
    None without a resource."""
    if population is None or POPULATION_AF not in population:
        return None
    known = population.dropna(subset=[POPULATION_AF])
    where = pd.MultiIndex.from_frame(known[SITE].astype({"chrom": str, "pos": int})).get_indexer(sites)
    values = known[POPULATION_AF].to_numpy(dtype=float)
    return np.where(where >= 0, values[where], np.nan) if len(values) else np.full(len(sites), np.nan)


def identity_evidence(
    counts: pd.DataFrame,
    samples: pd.DataFrame,
    settings: IdentitySettings = IdentitySettings(),
    ado: Mapping[str, float] | None = None,
    population: pd.DataFrame | None = None,
) -> list[Evidence]:
    """One `Evidence` per row of the samples sheet (patient, sample, type),
    from the long table of allele counts (`COUNT_COLUMNS`, one row per
    sample and site), each sample's dropout (`sample_ado`) and the sites'
    population allele frequencies (`population_frequencies`)."""
    samples = samples.astype({"patient": str, "sample": str, "type": str})
    counts = counts.loc[counts["ref_reads"] + counts["alt_reads"] > 0, COUNT_COLUMNS].reset_index(drop=True)
    codes, sites = pd.MultiIndex.from_frame(counts[SITE]).factorize()
    frequencies = population_frequencies(population, sites)
    prior = pd.Series(frequencies, index=sites) if frequencies is not None else None
    posteriors = genotype_posteriors(counts, samples, settings, frequencies=prior)
    genotyped = set(posteriors["patient"].astype(str))
    names = [p for p in dict.fromkeys(samples["patient"]) if p in genotyped]
    matrix = posterior_matrix(posteriors, sites, names)
    rows = counts.groupby("sample").indices
    pools = germline_pools(samples, rows.keys())
    ref, alt = counts["ref_reads"].to_numpy(), counts["alt_reads"].to_numpy()
    found = []
    for sample, patient, kind in samples[["sample", "patient", "type"]].itertuples(index=False):
        own_row = matrix[names.index(patient)] if patient in genotyped else None
        left_out = own_row is not None and any(sample in pool.samples for pool in pools[patient])
        if left_out:
            own_row = _posteriors_without(sample, patient, counts, rows, samples, sites, settings, prior)
        if own_row is None or np.isnan(own_row[:, 0]).all():
            found.append(Evidence(sample, patient, genotyped=False, left_out=left_out))
            continue
        where = rows.get(sample, np.array([], dtype=int))
        at = matrix[:, codes[where]]  # a copy (fancy indexing)
        at[names.index(patient)] = own_row[codes[where]]
        site_ll = site_log_likelihoods(ref[where], alt[where], sample_ado(sample, kind, settings, ado), settings)
        at_population = frequencies[codes[where]] if frequencies is not None else None
        evidence = weigh(sample, patient, site_ll, at, names, names.index(patient), at_population)
        found.append(replace(evidence, left_out=left_out))
    return found


def _posteriors_without(
    sample: str,
    patient: str,
    counts: pd.DataFrame,
    rows: Mapping[str, np.ndarray],
    samples: pd.DataFrame,
    sites: pd.MultiIndex,
    settings: IdentitySettings,
    frequencies: pd.Series | None = None,
) -> np.ndarray:
    """The patient's genotype log-posteriors over all `sites` from its pools without `sample`."""
    mine = samples[samples["patient"] == patient]
    where = [rows[s] for s in mine["sample"] if s in rows]
    own_counts = counts.iloc[np.concatenate(where)] if where else counts.iloc[:0]
    without = genotype_posteriors(own_counts, mine, settings, leave_out=sample, frequencies=frequencies)
    return posterior_matrix(without, sites, [patient])[0]


def identity_row(evidence: Evidence, settings: IdentitySettings) -> dict:
    """A sample's row of the identity table: LODs positive for its own patient."""
    e = evidence
    closest = e.closest if e.genotyped else None
    return {
        "sample": e.sample,
        "patient": e.patient,
        "identity": verdict(e, settings),
        "sites": e.sites,
        "own_lod": round(e.own_lod, 2) if e.genotyped else float("nan"),
        "closest_patient": closest,
        "closest_lod": round(e.versus[closest], 2) if closest else float("nan"),
        "unrelated_lod": round(e.unrelated, 2) if e.genotyped else float("nan"),
    }


def identity_table(
    counts: pd.DataFrame,
    samples: pd.DataFrame,
    settings: IdentitySettings = IdentitySettings(),
    ado: Mapping[str, float] | None = None,
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per sample of the sheet (`IDENTITY_COLUMNS`): its verdict,
    informative sites, own_lod (own patient against its best alternative),
    the closest other patient and closest_lod (own against it), and
    unrelated_lod (own against an unrelated person)."""
    evidence = identity_evidence(counts, samples, settings, ado, population)
    return pd.DataFrame([identity_row(e, settings) for e in evidence], columns=IDENTITY_COLUMNS)


def shared_germlines(
    genotypes: pd.DataFrame, settings: IdentitySettings = IdentitySettings(), agreement: float = SHARED_AGREEMENT
) -> list[str]:
    """A warning for each pair of patients whose germline genotypes agree at
    `agreement` of at least `min_sites` sites: one person entered twice,
    whose samples the identity check cannot tell apart. Only sites where one
    of the two carries the alt allele count: two people agree at the sites
    where both are 0/0 whoever they are."""
    if genotypes.empty:
        return []
    wide = (genotypes.assign(alleles=genotypes["genotype"].map(_ALLELES), patient=genotypes["patient"].astype(str))
            .pivot(index=SITE, columns="patient", values="alleles"))
    values = wide.to_numpy(dtype=float)
    warnings = []
    for i, j in combinations(range(len(wide.columns)), 2):
        a, b = values[:, i], values[:, j]
        both = ~np.isnan(a) & ~np.isnan(b) & ((a > 0) | (b > 0))
        sites, agree = int(both.sum()), int((a == b)[both].sum())
        if sites >= settings.min_sites and agree >= agreement * sites:
            warnings.append(f"patients {wide.columns[i]} and {wide.columns[j]} share their germline at {agree} "
                            f"of {sites} sites: the same person entered twice?")
    return warnings
