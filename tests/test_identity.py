"""The germline identity check: each sample held against its own patient's
germline genotypes, the run's other patients' and an unrelated person's, on
counts simulated here (germline genotypes from population allele
frequencies; bulk reads; single cells with low-pass reads, allelic dropout
and early amplification errors)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from ctc_profiler.core.words import NOT_ASSESSABLE
from ctc_profiler.variants.germline_genotypes import (
    FROM_NORMALS,
    FROM_TUMOUR_BULK,
    GENOTYPES,
    SITE,
    IdentitySettings,
    genotype_posteriors,
    germline_genotypes,
)
from ctc_profiler.variants.identity import (
    MATCH,
    NO_PATIENT,
    OR_OUTSIDE,
    UNRELATED,
    Evidence,
    identity_evidence,
    identity_table,
    population_frequencies,
    shared_germlines,
    site_log_likelihoods,
    verdict,
    weigh,
)
from ctc_profiler.variants.identity_sites import POPULATION_AF

SETTINGS = IdentitySettings()
N_SITES = 2000
ERROR = 0.005  # the simulated sequencing error (the model assumes 0.01)


class Run:
    """A simulated run: people with germline genotypes (alt alleles 0-2)
    drawn at population allele frequencies, and their samples' reads."""

    def __init__(self, seed: int, n_sites: int = N_SITES) -> None:
        self.rng = np.random.default_rng(seed)
        self.af = self.rng.uniform(0.05, 0.5, n_sites)
        self.chrom = np.array([f"chr{1 + i // 100}" for i in range(n_sites)])
        self.pos = 10_000 * (np.arange(n_sites) % 100) + 1
        self.parts: list[pd.DataFrame] = []
        self.sheet: list[tuple[str, str, str]] = []

    def person(self) -> np.ndarray:
        return self.rng.binomial(2, self.af)

    def _add(self, sample: str, patient: str, kind: str, at: np.ndarray, depth: np.ndarray, alt: np.ndarray) -> None:
        self.sheet.append((patient, sample, kind))
        self.parts.append(pd.DataFrame({
            "sample": sample, "chrom": self.chrom[at], "pos": self.pos[at], "ref": "A", "alt": "G",
            "ref_reads": depth - alt, "alt_reads": alt,
        }))

    def bulk(self, sample: str, patient: str, germline: np.ndarray, kind: str = "normal", depth: int = 20) -> None:
        """Every site at Poisson(depth) reads, alt at the genotype's fraction."""
        at = np.arange(len(self.af))
        reads = self.rng.poisson(depth, len(at))
        fraction = np.array([ERROR, 0.5, 1 - ERROR])[germline]
        self._add(sample, patient, kind, at, reads, self.rng.binomial(reads, fraction))

    def cell(self, sample: str, patient: str, germline: np.ndarray, kind: str = "ctc", sites: int = 500,
             max_reads: int = 3, ado: float = 0.3, wga_errors: int = 4) -> None:
        """Reads at `sites` random sites, 1 to `max_reads` each; one allele
        lost at `ado` of the het sites; at `wga_errors` hom-ref sites an
        early amplification error on 30-45% of 4-8 reads."""
        rng = self.rng
        at = np.sort(rng.choice(len(self.af), sites, replace=False))
        genotype = germline[at]
        reads = rng.integers(1, max_reads + 1, sites)
        fraction = np.array([ERROR, 0.5, 1 - ERROR])[genotype]
        dropped = (genotype == 1) & (rng.random(sites) < ado)
        fraction[dropped] = np.where(rng.random(dropped.sum()) < 0.5, ERROR, 1 - ERROR)
        hom_ref = np.flatnonzero(genotype == 0)
        errors = rng.choice(hom_ref, min(wga_errors, len(hom_ref)), replace=False)
        fraction[errors] = rng.uniform(0.30, 0.45, len(errors))
        reads[errors] = rng.integers(4, 9, len(errors))
        self._add(sample, patient, kind, at, reads, rng.binomial(reads, fraction))

    def patient(self, patient: str, germline: np.ndarray, wbcs: int = 2, ctcs: int = 3, normal: bool = True,
                primary: bool = True) -> None:
        if normal:
            self.bulk(f"{patient}_N", patient, germline)
        for i in range(wbcs):
            self.cell(f"{patient}_W{i + 1}", patient, germline, kind="wbc", sites=600)
        if primary:
            self.bulk(f"{patient}_T", patient, germline, kind="primary", depth=30)
        for i in range(ctcs):
            self.cell(f"{patient}_C{i + 1}", patient, germline)

    def tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return pd.concat(self.parts, ignore_index=True), pd.DataFrame(self.sheet, columns=["patient", "sample", "type"])


def identities(table: pd.DataFrame) -> dict[str, str]:
    return dict(zip(table["sample"], table["identity"]))


@pytest.fixture(scope="module")
def cohort() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Four patients with normals, WBCs, a primary and CTCs; in P1's sheet a
    cell of P2, in P3's a cell of a person not in the run, in P4's a cell
    with reads at 7 sites."""
    run = Run(seed=1)
    people = {p: run.person() for p in ("P1", "P2", "P3", "P4")}
    for patient, germline in people.items():
        run.patient(patient, germline)
    run.cell("P1_swapped", "P1", people["P2"])
    run.cell("P3_stranger", "P3", run.person())
    run.cell("P4_sparse", "P4", people["P4"], sites=7, wga_errors=0)
    counts, samples = run.tables()
    return counts, samples, identity_table(counts, samples)


def test_every_sample_of_its_own_patient_matches(cohort) -> None:
    counts, samples, table = cohort
    own = table[~table["sample"].str.contains("swapped|stranger|sparse")].merge(samples, on=["patient", "sample"])
    assert set(own["type"]) == {"normal", "wbc", "primary", "ctc"}
    assert (own["identity"] == MATCH).all(), own[own["identity"] != MATCH]
    assert (own["own_lod"] >= SETTINGS.min_lod).all()
    assert (own["closest_lod"] > 0).all()


def test_a_cell_swapped_in_from_another_patient_looks_like_it(cohort) -> None:
    row = cohort[2].set_index("sample").loc["P1_swapped"]
    assert row["identity"] == "mismatch: looks like P2"
    assert row["closest_patient"] == "P2"
    assert row["closest_lod"] <= -SETTINGS.min_lod and row["own_lod"] <= -SETTINGS.min_lod


def test_a_cell_of_a_person_outside_the_run_matches_no_patient(cohort) -> None:
    row = cohort[2].set_index("sample").loc["P3_stranger"]
    assert row["identity"] == NO_PATIENT == "mismatch: matches no patient of the run"
    assert row["unrelated_lod"] <= -SETTINGS.min_lod


def test_a_cell_with_reads_at_a_handful_of_sites_is_not_assessable(cohort) -> None:
    row = cohort[2].set_index("sample").loc["P4_sparse"]
    assert row["sites"] == 7
    assert row["identity"] == f"{NOT_ASSESSABLE}: only 7 germline sites with reads (needs 20)"


def test_different_people_share_no_germline(cohort) -> None:
    counts, samples, _ = cohort
    genotypes = germline_genotypes(counts, samples)
    assert (genotypes["source"] == FROM_NORMALS).mean() > 0.99
    assert shared_germlines(genotypes) == []


def test_each_patient_genotyped_from_its_pooled_normals_else_its_tumour_bulk() -> None:
    run = Run(seed=2)
    truth = {"P1": run.person(), "P2": run.person()}
    run.patient("P1", truth["P1"], ctcs=0)
    run.patient("P2", truth["P2"], ctcs=0, normal=False)  # two low-pass WBCs: too few reads at most sites
    counts, samples = run.tables()
    genotypes = germline_genotypes(counts, samples)
    by_site = {(p, c, s): GENOTYPES[g[i]] for p, g in truth.items() for i, (c, s) in enumerate(zip(run.chrom, run.pos))}
    expected = [by_site[key] for key in zip(genotypes["patient"], genotypes["chrom"], genotypes["pos"])]
    assert (genotypes["genotype"] == expected).mean() > 0.999
    sources = genotypes.groupby("patient")["source"].value_counts().unstack(fill_value=0)
    assert sources.loc["P1", FROM_NORMALS] > 0.95 * N_SITES and sources.loc["P1", FROM_TUMOUR_BULK] < 0.05 * N_SITES
    assert sources.loc["P2", FROM_TUMOUR_BULK] > 0.9 * N_SITES and sources.loc["P2", FROM_NORMALS] < 0.05 * N_SITES
    thin = counts[counts["sample"] == "P1_N"].assign(ref_reads=lambda t: t["ref_reads"].clip(upper=2),
                                                    alt_reads=lambda t: t["alt_reads"].clip(upper=2))
    assert germline_genotypes(thin, samples).empty  # 4 reads at most: below min_depth


def test_a_site_two_pools_call_differently_is_left_out() -> None:
    # site 1: an amplification error in a WBC (3 alt of 8) against the bulk
    # normal's 0/0; site 2: both 0/1; site 3: the normal has too few reads,
    # the primary calls it
    counts = pd.DataFrame({
        "sample": ["N", "W", "N", "W", "N", "T"], "chrom": "chr1", "pos": [1, 1, 2, 2, 3, 3], "ref": "A",
        "alt": "G", "ref_reads": [14, 5, 9, 4, 2, 30], "alt_reads": [0, 3, 8, 4, 0, 28],
    })
    samples = pd.DataFrame({"patient": "P", "sample": ["N", "W", "T"], "type": ["normal", "wbc", "primary"]})
    genotypes = germline_genotypes(counts, samples)
    assert genotypes[["pos", "genotype", "source"]].values.tolist() == [
        [2, "0/1", FROM_NORMALS], [3, "0/1", FROM_TUMOUR_BULK]]
    assert germline_genotypes(counts, samples, leave_out="N")["pos"].tolist() == [1, 2, 3]  # W's error stands


def test_a_sample_does_not_vouch_for_itself() -> None:
    """Patient X's only normal is a tube of P2's: pooled with itself it
    would make X's genotypes (where the primary does not disagree); left out, X's genotypes come
    from its primary and the tube is found to be P2's. Patient Y's only
    sample is a bulk normal: left out, nothing is left to hold it to."""
    run = Run(seed=3)
    p2, x, y = run.person(), run.person(), run.person()
    run.patient("P2", p2, ctcs=0)
    run.bulk("X_N", "X", p2)  # the swapped tube
    run.bulk("X_T", "X", x, kind="primary", depth=30)
    run.bulk("Y_N", "Y", y)
    counts, samples = run.tables()

    def agreement(genotypes: pd.DataFrame, person: np.ndarray) -> float:
        truth = dict(zip(zip(run.chrom, run.pos), person))
        return float(np.mean([GENOTYPES[truth[site]] == g
                              for site, g in zip(zip(genotypes["chrom"], genotypes["pos"]), genotypes["genotype"])]))

    pooled = germline_genotypes(counts, samples, patients=["X"])
    left_out = germline_genotypes(counts, samples, leave_out="X_N", patients=["X"])
    assert (pooled["source"] == FROM_NORMALS).mean() > 0.95 and agreement(pooled, p2) > 0.99  # the tube's person
    assert len(pooled) < 0.6 * N_SITES  # the sites where the tube and the primary disagree are left out
    assert set(left_out["source"]) == {FROM_TUMOUR_BULK} and agreement(left_out, x) > 0.99
    assert len(left_out) > 0.95 * N_SITES
    assert len(germline_genotypes(counts, samples, patients=["Y"])) > 0.95 * N_SITES
    assert germline_genotypes(counts, samples, leave_out="Y_N", patients=["Y"]).empty
    table = identity_table(counts, samples)
    found = identities(table)
    assert found["X_N"] == "mismatch: looks like P2"
    assert table.set_index("sample").loc["X_N", "closest_lod"] < -1000  # over all sites, not a few
    assert found["Y_N"] == f"{NOT_ASSESSABLE}: no germline genotypes for patient Y besides this sample"
    assert found["P2_N"] == found["P2_W1"] == found["P2_T"] == MATCH


def test_a_patient_entered_twice_is_flagged_and_not_matched() -> None:
    run = Run(seed=4)
    same, other = run.person(), run.person()
    run.patient("P1", same, ctcs=2)
    run.patient("P1b", same, ctcs=2)  # the same person under a second ID
    run.patient("P2", other, ctcs=2)
    counts, samples = run.tables()
    (warning,) = shared_germlines(germline_genotypes(counts, samples))
    found = re.fullmatch(r"patients P1 and P1b share their germline at (\d+) of (\d+) sites: "
                         r"the same person entered twice\?", warning)
    assert found and int(found[2]) > 500 and int(found[1]) >= 0.98 * int(found[2])
    table = identity_table(counts, samples).set_index("sample")
    for patient, twin in (("P1", "P1b"), ("P1b", "P1")):
        mine = table[table["patient"] == patient]
        assert (mine["identity"] == f"{NOT_ASSESSABLE}: the reads cannot tell {patient} from {twin}").all()
        assert (mine["closest_patient"] == twin).all()
    assert (table.loc[table["patient"] == "P2", "identity"] == MATCH).all()


def test_one_artefact_site_costs_a_bounded_amount() -> None:
    # 3 of 7 reads alt at a hom-ref site (early amplification error): 0/0 is
    # not ruled out by more than the weight of anything allows
    ll = site_log_likelihoods(np.array([4]), np.array([3]), 0.3, SETTINGS)[0]
    assert ll[0] >= np.log(SETTINGS.anything_weight / 8) - 1e-9
    assert (ll[1] - ll[0]) / np.log(10) < 2.5
    # without dropout (a bulk) a het site showing one allele at 20 reads is
    # as unlikely as anything allows; a cell's dropout explains it
    bulk = site_log_likelihoods(np.array([20]), np.array([0]), 0.0, SETTINGS)[0]
    cell = site_log_likelihoods(np.array([20]), np.array([0]), 0.3, SETTINGS)[0]
    assert bulk[1] == pytest.approx(np.log(0.02 / 21), abs=1e-3)
    assert cell[1] == pytest.approx(np.log(0.98 * (0.15 * 0.99**20 + 0.7 * 0.5**20) + 0.02 / 21), rel=1e-6)


def test_low_pass_pools_without_a_called_genotype_still_tell_patients_apart() -> None:
    """Low-pass reads only: each patient's two WBC cells and its primary have
    1 to 3 reads at some of the sites, so the pools call hardly a genotype,
    yet their genotype posteriors catch a swapped cell, and the patients'
    own CTCs match."""
    run = Run(seed=8)
    people = {p: run.person() for p in ("P1", "P2", "P3")}
    for patient, germline in people.items():
        for i in range(2):
            run.cell(f"{patient}_W{i + 1}", patient, germline, kind="wbc", sites=800, max_reads=2, wga_errors=2)
        run.cell(f"{patient}_T", patient, germline, kind="primary", sites=1500, max_reads=3, ado=0.0, wga_errors=0)
        for i in range(3):
            run.cell(f"{patient}_C{i + 1}", patient, germline, sites=800, max_reads=1)
    run.cell("P1_swapped", "P1", people["P2"], sites=800, max_reads=1)
    counts, samples = run.tables()
    # only where an amplification error put 4-8 reads on a site (of 2,000)
    assert len(germline_genotypes(counts, samples)) < 10
    found = identities(identity_table(counts, samples))
    assert found["P1_swapped"].startswith("mismatch: looks like P2")
    assert all(found[f"{p}_C{i}"] == MATCH for p in people for i in (1, 2, 3))
    assert not any(found[s].startswith("mismatch") for s in found if s != "P1_swapped")


def certain(genotypes: np.ndarray) -> np.ndarray:
    """Known genotypes (alt alleles carried, -1 unknown) as log-posteriors
    (`posterior_matrix`): log 1 for the genotype, log 0 for the others."""
    matrix = np.full((*genotypes.shape, 3), np.nan)
    known = genotypes >= 0
    matrix[known] = -np.inf
    rows = np.nonzero(known)
    matrix[(*rows, genotypes[known])] = 0.0
    return matrix


def test_two_patients_are_compared_over_the_sites_both_are_genotyped_at() -> None:
    # P2 agrees with P1 wherever P1 is genotyped and has 50 sites more:
    # the reads cannot tell them apart (a naive sum would count P2's extra
    # sites against it, or for it)
    rng = np.random.default_rng(5)
    k = 100
    truth = rng.integers(0, 3, k)
    alt = rng.binomial(2, np.array([0.01, 0.5, 0.99])[truth])
    site_ll = site_log_likelihoods(2 - alt, alt, 0.3, SETTINGS)
    p1 = np.where(np.arange(k) < 50, truth, -1)
    p2 = (truth + 1) % 3
    p2[:50] = truth[:50]
    evidence = weigh("c", "P1", site_ll, certain(np.stack([p1, p2])), ["P1", "P2"], 0)
    assert evidence.sites == 50 and evidence.shared == {"P2": 50}
    assert evidence.versus["P2"] == 0.0
    assert verdict(evidence, IdentitySettings(min_sites=50)).startswith(f"{NOT_ASSESSABLE}: the reads cannot tell")


def test_verdict_words() -> None:
    def evidence(versus: dict[str, float], unrelated: float, unrelated_versus: dict[str, float],
                 sites: int = 100) -> Evidence:
        return Evidence("s", "A", True, sites, versus, dict.fromkeys(versus, sites), unrelated, unrelated_versus)

    assert verdict(evidence({"B": 5, "C": 9}, 4, {"B": 1, "C": 1}), SETTINGS) == MATCH
    assert verdict(evidence({"B": -5, "C": -9}, 1, {"B": -9, "C": -5}), SETTINGS) == "mismatch: looks like C"
    # beaten, but the own patient is held above a stranger too: the same person twice, or a thinner pool
    assert verdict(evidence({"B": -5, "C": -9}, 4, {"B": -9, "C": -5}), SETTINGS) == (
        f"{NOT_ASSESSABLE}: the reads cannot tell A from C")
    assert verdict(evidence({"B": -5, "C": 2}, -4, {"B": 9, "C": 6}), SETTINGS) == NO_PATIENT
    assert verdict(evidence({"B": 2, "C": 9}, 4, {}), SETTINGS) == f"{NOT_ASSESSABLE}: the reads cannot tell A from B"
    assert verdict(evidence({"B": 5}, 1, {"B": 4}), SETTINGS) == (
        f"{NOT_ASSESSABLE}: the reads cannot tell A from {UNRELATED}")
    assert verdict(evidence({"B": 5}, 5, {}, sites=1), SETTINGS) == (
        f"{NOT_ASSESSABLE}: only 1 germline site with reads (needs 20)")
    assert verdict(evidence({}, 5, {}), SETTINGS) == MATCH  # a run of one patient: the unrelated person only
    assert verdict(Evidence("s", "A", False), SETTINGS) == f"{NOT_ASSESSABLE}: no germline genotypes for patient A"


def test_settings_from_their_config_section() -> None:
    settings = IdentitySettings.from_config({"min_lod": 4, "min_sites": 30, "min_bq": 13})
    assert (settings.min_lod, settings.min_sites, settings.error) == (4, 30, 0.01)


SWAP_SITES = (5, 10, 20, 30, 50, 100)
TRIALS = 100


@pytest.fixture(scope="module")
def trials() -> list[Evidence]:
    """At each of SWAP_SITES random sites, one read each (low-pass), with
    dropout: 100 cells of P2 in P1's sheet (`swap`), 100 of P1's own and,
    at 50 sites, 100 of people outside the run (`outsider`)."""
    run = Run(seed=6)
    people = {p: run.person() for p in ("P1", "P2", "P3")}
    for patient, germline in people.items():
        run.patient(patient, germline, ctcs=0)
    for sites in SWAP_SITES:
        for trial in range(TRIALS):
            run.cell(f"swap_{sites}_{trial}", "P1", people["P2"], sites=sites, max_reads=1, wga_errors=0)
            run.cell(f"own_{sites}_{trial}", "P1", people["P1"], sites=sites, max_reads=1, wga_errors=0)
    for trial in range(TRIALS):
        run.cell(f"outsider_50_{trial}", "P1", run.person(), sites=50, max_reads=1, wga_errors=0)
    counts, samples = run.tables()
    return [e for e in identity_evidence(counts, samples) if e.sample.startswith(("swap", "own", "outsider"))]


def tally(evidence: list[Evidence], settings: IdentitySettings) -> dict[tuple[str, int], dict[str, int]]:
    """Verdicts (before any `:`, the patient named kept) of each kind of
    trial cell and number of sites."""
    found: dict[tuple[str, int], dict[str, int]] = {}
    for e in evidence:
        kind, sites, _ = e.sample.split("_")
        said = verdict(e, settings)
        word = said.removeprefix("mismatch: ") if said.startswith("mismatch") else said.split(":")[0]
        counts = found.setdefault((kind, int(sites)), {})
        counts[word] = counts.get(word, 0) + 1
    return found


def caught(counts: dict[str, int], patient: str = "P2") -> int:
    """Trials said to look like `patient`, sure or not that it is no outsider."""
    return counts.get(f"looks like {patient}", 0) + counts.get(f"looks like {patient}{OR_OUTSIDE}", 0)


def test_a_swap_is_caught_with_50_single_read_sites(trials) -> None:
    """With the defaults a swap needs min_sites (20) sites with reads; with
    50 sites at one read each it is caught nearly always, and an own cell
    is never said to be another patient's."""
    found = tally(trials, SETTINGS)
    assert found[("swap", 5)] == {NOT_ASSESSABLE: TRIALS} == found[("own", 5)]
    assert found[("swap", 10)] == {NOT_ASSESSABLE: TRIALS}
    assert caught(found[("swap", 50)]) >= 95
    assert found[("swap", 100)] == {"looks like P2": TRIALS}
    for sites in SWAP_SITES:
        assert set(found[("own", sites)]) <= {MATCH, NOT_ASSESSABLE}
        assert MATCH not in found[("swap", sites)]


def test_an_own_cell_needs_more_sites_to_match_than_a_swap_to_be_caught(trials) -> None:
    """Telling the own patient from an unrelated person takes more sites
    than telling two patients apart: at 50 single-read sites most own cells
    match, at 100 all."""
    found = tally(trials, SETTINGS)
    assert 50 <= found[("own", 50)].get(MATCH, 0) < TRIALS
    assert found[("own", 100)] == {MATCH: TRIALS}


def test_an_outsider_is_never_said_to_be_a_patient_without_doubt(trials) -> None:
    found = tally(trials, SETTINGS)[("outsider", 50)]
    assert found.get(NO_PATIENT.removeprefix("mismatch: "), 0) >= 70
    assert MATCH not in found
    assert all(word.endswith(OR_OUTSIDE) for word in found if word.startswith("looks like"))


def test_the_sites_a_swap_needs_without_the_minimum(trials) -> None:
    """Without `min_sites` the LOD alone decides: at 5 single-read sites
    a swap is rarely caught, at 30 nearly always."""
    found = tally(trials, IdentitySettings(min_sites=1))
    rate = {sites: caught(found[("swap", sites)]) for sites in SWAP_SITES}
    assert rate[5] <= 35
    assert rate[5] < rate[10] < rate[20] <= rate[30] <= rate[50]
    assert rate[30] >= 90
    assert all(MATCH not in found[("swap", sites)] for sites in SWAP_SITES)


def test_one_patient_is_told_from_a_stranger_only_with_population_frequencies() -> None:
    """A run of one patient, its sites its own germline SNVs: a stranger
    drawn from the patient's own allele frequencies can hardly be told from
    it, so its own cells (150 single-read sites) are not_assessable; with
    the population's frequencies they match, and strangers match no patient."""
    run = Run(seed=8)
    patient = run.person()
    mine = patient > 0  # the run's sites are the patient's SNVs
    run.af, run.chrom, run.pos, patient = run.af[mine], run.chrom[mine], run.pos[mine], patient[mine]
    run.patient("P1", patient, ctcs=0)
    for trial in range(20):
        run.cell(f"own_{trial}", "P1", patient, sites=150, max_reads=1)
        run.cell(f"stranger_{trial}", "P1", run.person(), sites=150, max_reads=1)
    counts, samples = run.tables()
    population = pd.DataFrame({"chrom": run.chrom, "pos": run.pos, "ref": "A", "alt": "G", POPULATION_AF: run.af})
    trial = samples["sample"].str.contains("_[0-9]", regex=True)
    without = identities(identity_table(counts, samples))
    found = identities(identity_table(counts, samples, population=population))
    own = [s for s in samples.loc[trial, "sample"] if s.startswith("own")]
    strangers = [s for s in samples.loc[trial, "sample"] if s.startswith("stranger")]
    assert all(without[s].startswith(NOT_ASSESSABLE) for s in own)
    assert MATCH not in {without[s] for s in strangers}
    assert sum(found[s] == MATCH for s in own) >= 18
    assert not any(found[s].startswith("mismatch") for s in own)
    assert sum(found[s] == NO_PATIENT for s in strangers) >= 18
    assert MATCH not in {found[s] for s in strangers}


def test_population_frequencies_by_site() -> None:
    sites = pd.MultiIndex.from_tuples([("chr1", 5, "A", "G"), ("chr1", 9, "C", "T")], names=SITE)
    table = pd.DataFrame([("chr1", 9, "C", "T", 0.4), ("chr1", 5, "A", "G", float("nan"))],
                         columns=[*SITE, POPULATION_AF])
    assert np.isnan(population_frequencies(table, sites)[0]) and population_frequencies(table, sites)[1] == 0.4
    assert population_frequencies(None, sites) is None


def test_a_thin_pool_at_a_common_snp_is_heterozygous_under_the_population_prior() -> None:
    """One alt read in a WBC pool: the flat prior says 1/1 twice as often as
    0/1; Hardy-Weinberg at the site's population frequency (0.3) says 0/1."""
    counts = pd.DataFrame([("P1_W1", "chr1", 5, "A", "G", 0, 1), ("P1_W1", "chr1", 9, "C", "T", 0, 1)],
                          columns=["sample", *SITE, "ref_reads", "alt_reads"])
    samples = pd.DataFrame([("P1", "P1_W1", "wbc")], columns=["patient", "sample", "type"])
    flat = genotype_posteriors(counts, samples)
    assert (flat["p_2"] > 1.9 * flat["p_1"]).all()
    frequencies = pd.Series([0.3], index=pd.MultiIndex.from_tuples([("chr1", 5, "A", "G")], names=SITE))
    prior = genotype_posteriors(counts, samples, frequencies=frequencies).set_index("pos")
    assert prior.loc[5, "p_1"] > prior.loc[5, "p_2"]
    assert prior.loc[9, "p_2"] == pytest.approx(flat.set_index("pos").loc[9, "p_2"])  # unknown: flat
