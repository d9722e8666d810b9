"""Copy-number clones of a patient's CTCs on synthetic profiles: a primary
with trunk events (chr2 loss, chr8 gain), clone A (trunk + ERBB2
amplification + chr5 gain, one of its cells whole-genome doubled) and clone B
(trunk only), every cell with short mis-segmented stretches."""

from __future__ import annotations

from collections import Counter
from math import comb

import numpy as np
import pandas as pd
import pytest

from ctc_profiler.copy_number.clones import (
    LIKE,
    NO_PRIMARY,
    SUBCLONE,
    UNRELATED,
    CloneSettings,
    patient_clones,
    profile_distance,
    profile_matrix,
    relative_states,
    trusted_bins,
)
from ctc_profiler.core.words import NOT_ASSESSABLE, POSITIVE

MB = 1_000_000
# chromosome lengths (Mb, GRCh38 rounded) at 1 Mb bins: 2,871 bins, 2,827 usable
LENGTHS = {"chr1": 248, "chr2": 242, "chr3": 198, "chr4": 190, "chr5": 181, "chr6": 171, "chr7": 159, "chr8": 145,
           "chr9": 138, "chr10": 134, "chr11": 135, "chr12": 133, "chr13": 114, "chr14": 107, "chr15": 102,
           "chr16": 90, "chr17": 83, "chr18": 80, "chr19": 59, "chr20": 64, "chr21": 47, "chr22": 51}
POSITIONS = pd.DataFrame([(c, i * MB, (i + 1) * MB) for c, n in LENGTHS.items() for i in range(n)],
                         columns=["chrom", "start", "end"])
CHROMS = POSITIONS["chrom"].to_numpy()
BIN = POSITIONS["start"].to_numpy() // MB
USE = ~((BIN >= 20) & (BIN < 22))  # a 2-bin unusable gap on every chromosome

TRUNK = [("chr2", 10, 110, 1), ("chr8", 0, 145, 3)]
ERBB2 = ("chr17", 39, 43, 10)
CLONE_A = TRUNK + [ERBB2, ("chr5", 0, 181, 3)]
CLONE_B = TRUNK
CLONE_U = [("chr3", 0, 90, 1), ("chr12", 0, 133, 3)]


def profile(changes: list[tuple[str, int, int, int]]) -> np.ndarray:
    """Diploid copy number with the given (chrom, first Mb, end Mb, copies)."""
    cn = np.full(len(POSITIONS), 2.0)
    for chrom, start, end, copies in changes:
        cn[(CHROMS == chrom) & (BIN >= start) & (BIN < end)] = copies
    return cn


def with_noise(cn: np.ndarray, rng: np.random.Generator, stretches: int = 8) -> np.ndarray:
    """Runs of 1-2 bins called one copy off, inside a run of at least 3 bins
    either side (so each stays a short run of its own)."""
    cn = cn.copy()
    placed = 0
    while placed < stretches:
        at, length = int(rng.integers(3, len(cn) - 6)), int(rng.integers(1, 3))
        around = slice(at - 3, at + length + 3)
        if len(set(CHROMS[around])) == 1 and USE[around].all() and len(set(cn[around])) == 1:
            cn[at:at + length] += 1 if rng.random() < 0.5 or cn[at] == 0 else -1
            placed += 1
    return cn


def cell_rows(sample: str, cn: np.ndarray) -> pd.DataFrame:
    rows = POSITIONS.assign(sample=sample, use=USE, cn=np.where(USE, cn, np.nan))
    return rows.assign(log2=np.log2(np.clip(rows["cn"], 0.1, None) / 2))


def cohort(cells: dict[str, tuple[list, int, str]], rng: np.random.Generator,
           primary: list | None = TRUNK) -> tuple[pd.DataFrame, pd.DataFrame]:
    """bins and status of a patient: cells maps name to (changes, genome
    copies (2, or 4 doubled), HER2 status); the primary without noise."""
    frames, status = [], []
    for name, (changes, genomes, her2) in cells.items():
        cn = with_noise(profile(changes) * genomes / 2, rng)
        frames.append(cell_rows(name, cn))
        status.append({"sample": name, "type": "ctc", "her2_status": her2,
                       "egfr_amplified": "false", "ploidy": 2.0 * genomes / 2})
    if primary is not None:
        frames.append(cell_rows("P1_primary", profile(primary)))
        status.append({"sample": "P1_primary", "type": "primary", "her2_status": "negative",
                       "egfr_amplified": "false", "ploidy": 2.1})
    return pd.concat(frames, ignore_index=True), pd.DataFrame(status)


A_AND_B = {"CTC01": (CLONE_A, 2, POSITIVE), "CTC02": (CLONE_B, 2, "negative"), "CTC03": (CLONE_A, 4, POSITIVE),
           "CTC04": (CLONE_B, 2, "negative"), "CTC05": (CLONE_A, 2, POSITIVE)}
TRUTH = {"CTC01": "A", "CTC03": "A", "CTC05": "A", "CTC02": "B", "CTC04": "B"}


@pytest.fixture(scope="module")
def two_clones():
    bins, status = cohort(A_AND_B, np.random.default_rng(7))
    return patient_clones("P1", bins, status)


def adjusted_rand_index(a: list[str], b: list[str]) -> float:
    """Hubert & Arabie's ARI of two partitions of the same items."""
    pairs = sum(comb(n, 2) for n in Counter(zip(a, b)).values())
    rows, cols = (sum(comb(n, 2) for n in Counter(x).values()) for x in (a, b))
    expected = rows * cols / comb(len(a), 2)
    top = (rows + cols) / 2
    return 1.0 if top == expected else (pairs - expected) / (top - expected)


def test_a_doubled_genome_and_short_runs_are_no_difference() -> None:
    rng = np.random.default_rng(1)
    cn = profile(CLONE_A)
    noisy = with_noise(cn, rng)
    doubled = with_noise(cn * 2, rng)
    states = [np.where(USE, x, np.nan) / base for x, base in ((cn, 2), (noisy, 2), (doubled, 4))]
    trusted = [trusted_bins(s, CHROMS, 3) for s in states]
    assert profile_distance(states[0], states[2], trusted[0], trusted[2], 2.5) == 0
    assert profile_distance(states[1], states[2], trusted[1], trusted[2], 2.5) == 0
    # without leaving out the short runs the noise would count
    assert profile_distance(states[1], states[2], np.isfinite(states[1]), np.isfinite(states[2]), 2.5) > 0
    # the chr5 gain and ERBB2 are what set A apart from B: 179 + 4 of 2,827 usable bins
    b = np.where(USE, profile(CLONE_B), np.nan) / 2
    assert profile_distance(states[0], b, trusted[0], np.isfinite(b), 2.5) == pytest.approx(183 / 2827)


def test_two_clones_with_the_right_members(two_clones) -> None:
    clones = two_clones.clones
    assert sorted(clones["clone"].unique()) == ["C1", "C2"]
    samples = sorted(TRUTH)
    found = clones.set_index("sample")["clone"]
    assert adjusted_rand_index([TRUTH[s] for s in samples], [found[s] for s in samples]) == 1.0
    # the larger clone first: A (3 cells, one of them doubled) is C1
    assert sorted(clones.loc[clones["clone"] == "C1", "sample"]) == ["CTC01", "CTC03", "CTC05"]
    assert (clones["reason"] == "").all()


def test_the_consensus_shows_the_amplification_in_a_only(two_clones) -> None:
    profiles = two_clones.clone_profiles
    a = profiles[profiles["clone"] == "C1"]
    amplified = a[a["cn"] == 10]
    assert amplified[["chrom", "start", "end"]].values.tolist() == [["chr17", 39 * MB, 43 * MB]]
    b = profiles[profiles["clone"] == "C2"]
    assert b["cn"].max() == 3 and (b["cn"] == 10).sum() == 0
    # segments merged over runs of equal copy number: the noise is gone from A's consensus
    assert a[a["chrom"] == "chr5"][["start", "end", "cn"]].values.tolist() == [[0, 181 * MB, 3]]
    assert a[a["chrom"] == "chr1"][["start", "end", "cn"]].values.tolist() == [[0, 248 * MB, 2]]


def test_her2_of_each_clone_with_its_counts(two_clones) -> None:
    summary = two_clones.clone_summary.set_index("clone")
    assert summary.at["C1", "her2_status"] == POSITIVE
    assert summary.at["C1", "her2_counts"] == "3 positive, 0 negative"
    assert summary.at["C2", "her2_status"] == "negative"
    assert summary.at["C1", "egfr_amplified"] == "false"
    assert summary.at["C1", "cells"] == 3 and summary.at["C1", "members"] == "CTC01, CTC03, CTC05"


def test_relations_to_the_primary(two_clones) -> None:
    summary = two_clones.clone_summary.set_index("clone")
    assert summary.at["C1", "relation"] == SUBCLONE
    assert summary.at["C1", "private_events"] == "chr5:0.0-181.0 Mb gain; chr17:39.0-43.0 Mb amplification"
    assert summary.at["C1", "shared_events"] == "chr2:10.0-110.0 Mb loss; chr8:0.0-145.0 Mb gain"
    assert summary.at["C1", "lost_events"] == ""
    assert summary.at["C2", "relation"] == LIKE
    assert summary.at["C2", "private_events"] == ""
    assert summary.at["C2", "shared_events"] == "chr2:10.0-110.0 Mb loss; chr8:0.0-145.0 Mb gain"


def test_leaf_order_keeps_clone_members_together(two_clones) -> None:
    order = two_clones.leaf_order
    assert sorted(order) == sorted(TRUTH)
    clone_of = two_clones.clones.set_index("sample")["clone"]
    runs = [clone_of[s] for s in order]
    assert sum(a != b for a, b in zip(runs, runs[1:])) == 1


def test_identical_cells_make_one_clone() -> None:
    cells = {f"CTC0{i}": (CLONE_B, 4 if i == 3 else 2, "negative") for i in range(1, 5)}
    bins, status = cohort(cells, np.random.default_rng(11))
    tables = patient_clones("P2", bins, status)
    assert set(tables.clones["clone"]) == {"C1"}
    assert tables.clone_summary["relation"].tolist() == [LIKE]


def test_one_passing_ctc_is_not_assessable() -> None:
    bins, status = cohort({"CTC01": (CLONE_A, 2, POSITIVE)}, np.random.default_rng(3))
    # a second CTC failed QC: in the status table, not in the bins
    status = pd.concat([status, pd.DataFrame([{"sample": "CTC02", "type": "ctc", "her2_status": NOT_ASSESSABLE,
                                               "egfr_amplified": NOT_ASSESSABLE, "ploidy": np.nan}])])
    tables = patient_clones("P3", bins, status)
    assert tables.clones.to_dict("records") == [
        {"patient": "P3", "sample": "CTC01", "clone": NOT_ASSESSABLE, "reason": "1 CTC passing QC: needs 2"}]
    assert tables.clone_summary["note"].tolist() == ["1 CTC passing QC: needs 2"]
    assert tables.clone_profiles.empty


def test_a_clone_without_the_trunk_is_unrelated_and_a_single_odd_cell_is_its_own_clone() -> None:
    cells = {"CTC01": (CLONE_U, 2, "negative"), "CTC02": (CLONE_U, 2, "negative"), "CTC03": (CLONE_U, 2, "negative"),
             "CTC04": (CLONE_B, 2, "negative")}
    bins, status = cohort(cells, np.random.default_rng(5))
    summary = patient_clones("P4", bins, status).clone_summary.set_index("clone")
    assert summary.at["C1", "members"] == "CTC01, CTC02, CTC03"
    assert summary.at["C1", "relation"] == UNRELATED
    assert summary.at["C1", "shared_events"] == ""
    assert summary.at["C1", "lost_events"] == "chr2:10.0-110.0 Mb loss; chr8:0.0-145.0 Mb gain"
    assert summary.at["C2", "members"] == "CTC04" and summary.at["C2", "relation"] == LIKE
    assert "single cell" in summary.at["C2", "note"]


def test_without_a_primary_and_with_a_silhouette_no_cut_reaches() -> None:
    bins, status = cohort(A_AND_B, np.random.default_rng(9), primary=None)
    tables = patient_clones("P5", bins, status)
    assert set(tables.clone_summary["relation"]) == {NO_PRIMARY}
    assert len(tables.clone_summary) == 2
    # a silhouette no cut can reach (it is at most 1): one clone, its HER2 by majority
    strict = patient_clones("P5", bins, status, CloneSettings.from_config({"min_silhouette": 1.01, "other": 1}))
    assert set(strict.clones["clone"]) == {"C1"}
    assert strict.clone_summary.at[0, "her2_counts"] == "3 positive, 2 negative"
    assert strict.clone_summary.at[0, "her2_status"] == POSITIVE


def test_opposed_her2_calls_part_a_subclone_the_profiles_alone_would_not() -> None:
    # A' is B plus the ERBB2 amplicon alone: 4 of 2,827 bins, a mean level
    # difference far under min_difference, so only the HER2 calls set it apart
    cells = {"CTC01": (CLONE_B + [ERBB2], 2, POSITIVE), "CTC02": (CLONE_B, 2, "negative"),
             "CTC03": (CLONE_B + [ERBB2], 2, POSITIVE), "CTC04": (CLONE_B, 2, "negative")}
    bins, status = cohort(cells, np.random.default_rng(9), primary=None)
    apart = patient_clones("P6", bins, status)
    assert len(apart.clone_summary) == 2
    assert set(apart.clone_summary["her2_status"]) == {POSITIVE, "negative"}
    together = patient_clones("P6", bins, status, CloneSettings.from_config({"gene_weight": 0.0}))
    assert len(together.clone_summary) == 1


def noisy_levels(cn: np.ndarray, rng: np.random.Generator, sd: float) -> np.ndarray:
    """Segment levels scattered around the integer profile, whole chromosome
    arms at a time, as a noisy WGA kit's cells are: each chromosome's level
    moved by its own draw."""
    shift = {c: rng.normal(0, sd) for c in LENGTHS}
    return cn * (1 + np.array([shift[c] for c in CHROMS]))


def test_noisy_cells_whose_integer_calls_disagree_still_make_their_clones() -> None:
    # two clones of 6 cells each; every cell's chromosome levels scatter by
    # 12% (real DOP-PCR cells scatter so), and each cell's integer call
    # rounds that scatter its own way: the calls of two cells of one clone
    # differ on whole chromosomes
    rng = np.random.default_rng(12)
    frames, status, truth = [], [], {}
    for clone, changes in (("A", CLONE_A), ("B", CLONE_U)):
        for i in range(6):
            name = f"{clone}{i}"
            level = noisy_levels(profile(changes), rng, 0.12)
            rows = cell_rows(name, np.round(level)).assign(cn_estimate=np.where(USE, level, np.nan))
            frames.append(rows)
            status.append({"sample": name, "type": "ctc", "her2_status": "negative", "egfr_amplified": "false",
                           "ploidy": 2.0})
            truth[name] = clone
    bins, status = pd.concat(frames, ignore_index=True), pd.DataFrame(status)
    found = patient_clones("P8", bins, status).clones.set_index("sample")["clone"]
    names = sorted(truth)
    assert adjusted_rand_index([truth[n] for n in names], [found[n] for n in names]) == 1.0
    # the integer states alone, as the distance once was, part the cells of one clone
    states, _ = relative_states(profile_matrix(bins))
    a0, a1 = states["A0"].to_numpy(), states["A1"].to_numpy()
    usable = np.isfinite(a0) & np.isfinite(a1)
    assert profile_distance(a0, a1, usable, usable, 2.5) > CloneSettings().max_within


def test_a_cell_unlike_every_other_is_its_own_clone_beside_two_clones() -> None:
    # it stands alone when it is about as far from the nearest clone as the
    # clones are from each other (a lone cell scores 0 in the silhouette)
    odd = [("chr1", 0, 248, 3), ("chr4", 0, 190, 1), ("chr6", 0, 171, 3), ("chr9", 0, 138, 1)]
    cells = {**{f"CTC0{i}": (CLONE_A, 2, POSITIVE) for i in range(1, 4)},
             **{f"CTC1{i}": (CLONE_U, 2, "negative") for i in range(1, 4)},
             "CTC21": (odd, 2, "negative")}
    bins, status = cohort(cells, np.random.default_rng(13))
    summary = patient_clones("P9", bins, status).clone_summary.set_index("members")
    assert set(summary.index) == {"CTC01, CTC02, CTC03", "CTC11, CTC12, CTC13", "CTC21"}
    assert "single cell" in summary.at["CTC21", "note"]


def test_two_ctcs_are_one_clone_unless_their_calls_oppose() -> None:
    alike = {"CTC01": (CLONE_B, 2, "negative"), "CTC02": (CLONE_A, 2, "negative")}
    bins, status = cohort(alike, np.random.default_rng(14))
    assert set(patient_clones("P10", bins, status).clones["clone"]) == {"C1"}
    # however far apart their profiles (U shares no event with A)
    unlike = {"CTC01": (CLONE_U, 2, "negative"), "CTC02": (CLONE_A, 2, "negative")}
    bins, status = cohort(unlike, np.random.default_rng(14))
    assert set(patient_clones("P10", bins, status).clones["clone"]) == {"C1"}
    opposed = {"CTC01": (CLONE_B, 2, "negative"), "CTC02": (CLONE_A, 2, POSITIVE)}
    bins, status = cohort(opposed, np.random.default_rng(14))
    assert set(patient_clones("P10", bins, status).clones["clone"]) == {"C1", "C2"}


def test_a_subclone_gaining_over_half_of_the_genome_is_still_the_primarys_subclone() -> None:
    # the clone's median copy number is its gained level; read at its own
    # median, every trunk event would look lost and the clone unrelated
    rng = np.random.default_rng(4)
    positions = pd.DataFrame([(c, i * 1_000_000, (i + 1) * 1_000_000) for c, n in (("chr1", 60), ("chr2", 40))
                              for i in range(n)], columns=["chrom", "start", "end"])
    trunk = np.full(len(positions), 2.0)
    trunk[:10] = 1  # chr1 0-10 Mb loss
    gained = trunk.copy()
    gained[20:80] = 3  # 60% of the genome gained
    rows = []
    for sample, cn in [("prim", trunk)] + [(f"CTC{i}", gained) for i in range(1, 4)]:
        noisy = cn.copy()
        noisy[rng.integers(20, 95)] += 1  # one mis-segmented bin
        rows.append(positions.assign(sample=sample, use=True, cn=noisy))
    bins = pd.concat(rows, ignore_index=True)
    status = pd.DataFrame({"sample": ["prim", "CTC1", "CTC2", "CTC3"], "type": ["primary"] + ["ctc"] * 3,
                           "her2_status": "negative", "egfr_amplified": "false", "ploidy": [1.9, 2.5, 2.5, 2.5]})
    summary = patient_clones("P7", bins, status).clone_summary
    assert len(summary) == 1
    assert summary.at[0, "relation"] == "subclone of the primary"
    assert summary.at[0, "shared_events"] == "chr1:0.0-10.0 Mb loss"
    assert summary.at[0, "lost_events"] == ""


def test_the_tree_table_is_the_tree_its_leaf_order_and_clones_come_from(two_clones) -> None:
    from scipy.cluster.hierarchy import dendrogram, fcluster

    from ctc_profiler.copy_number.plots import tree_linkage

    tree = two_clones.tree
    assert len(tree) == len(TRUTH) - 1 and tree["cells"].iloc[-1] == len(TRUTH)
    assert tree["height"].is_monotonic_increasing
    matrix, leaves = tree_linkage(tree)
    # drawn from the table, the leaves come in the heatmap's order
    assert dendrogram(matrix, no_plot=True, labels=leaves)["ivl"] == two_clones.leaf_order
    # and cut where the clones were, it gives the same clones
    cut = dict(zip(leaves, fcluster(matrix, t=float(tree["cut"].iloc[0]), criterion="distance")))
    clone_of = two_clones.clones.set_index("sample")["clone"]
    assert len({(cut[s], clone_of[s]) for s in leaves}) == clone_of.nunique() == len(set(cut.values()))


def test_no_tree_without_two_ctcs() -> None:
    bins, status = cohort({"CTC01": (CLONE_A, 2, POSITIVE)}, np.random.default_rng(3))
    assert patient_clones("P3", bins, status).tree.empty
