"""Copy-number clones of a patient's CTCs: which cells share a profile, each
clone's consensus, HER2 / EGFR and its relation to the primary tumour.

Relative state. Each bin's integer copy number is compared as a fraction of
the cell's baseline: the rounded median copy number of its usable autosomal
bins (`baseline`), not its fitted ploidy. A whole-genome doubling multiplies
both by 2, so a doubled cell keeps every state (1/2 stays 2/4) and joins its
clone; the fitted ploidy is the genome's mean and moves with every large gain
or loss, while the median is the level a chromosome without an event sits at.
States from `amplified_state` (2.5: 5 copies on a diploid genome) up count as
one state, `amplified`: the exact count of a high-level amplification varies
between cells of one clone and with the call's noise.

Distance (`level_distance`). Two cells' relative levels compared bin by
bin: each segment's copy number before rounding (`cn_estimate`) over the
cell's median, so 1 is the cell's baseline and 1.5 one copy gained on a
diploid one. The distance is the mean absolute difference over the bins
usable in both, every bin weighing the same, levels from `amplified_state`
up capped there. Not the integer states: a noisy cell's whole chromosomes
scatter around their level (real DOP-PCR cells by 20% and more), and each
cell rounds that scatter its own way, so the integer calls of two cells of
one clone can differ on half of the genome (docs/clones.md, "On real
cells") while their levels differ by the scatter alone. What noise the
segmentation leaves shows as runs of fewer than `min_segment_bins` integer
states (3, the segmentation's own minimum, so the caller never makes them
on purpose), and bins in such a run in either cell are not compared.

Clones (`clone_labels`). Average-linkage hierarchical clustering of that
distance, as Ginkgo clusters single-cell copy-number profiles (Garvin et al.
2015, Nat Methods 12:1058). Where to cut the tree is chosen by the mean
silhouette (Rousseeuw 1987, J Comput Appl Math 20:53): of the cuts into 2
to n - 1 clones, the one whose cells lie, on average, most clearly closer to
their own clone than to the next; a lone cell scores 0. A cut must reach
`min_silhouette` (0.25; below it Kaufman and Rousseeuw read "no substantial
structure"), else the cells are one clone. The criterion is scale-free, so
it holds for clean and noisy kits alike; `min_difference` (0.02, one copy
over 4% of a diploid genome) keeps it from parting clones whose levels
differ by less than that on average, however alike each clone is inside.
A focal amplification such as ERBB2's (<0.1% of the genome) would not set a
clone apart, so the cells' own HER2 and EGFR amplification calls count too:
two cells whose calls oppose (positive against negative) are `gene_weight`
(0.1) further apart (`cell_distances`), which parts a HER2-amplified
subclone from its parent. Two cells have no clone-mate to weigh their
difference against: they are one clone unless their calls oppose. A single
cell makes its own clone when it is about as far from the nearest clone as
the clones are from each other, and the summary says so (`note`). Fewer
than 2 CTCs passing QC cannot be clustered: the patient's clones are
`not_assessable` with the reason.

Consensus (`consensus_state`). Per bin, the median relative state of the
members, counting each member only where its bin is not in a short run
(unless no member has a trusted value there), written as integer copy number
at the clone's baseline (the lower median of its members' baselines); a bin
the members split on evenly keeps the baseline.

Relation to the primary. The clone's consensus is read at the primary's
baseline (or half or twice it, whichever is closest: `primary_scale`), not
its own median, which a subclone gaining over half of the genome moves.
Events are runs of at least `min_segment_bins` bins
of one kind relative to the baseline: `loss` (below it), `gain` (above it),
`amplification` (at or above `amplified_state`). A clone's event is `shared`
when the primary has the same kind of change over more than `most` (half) of
its bins (for a gain, any gain or amplification; for an amplification, an
amplification), else `private`; a primary event the clone carries over at
most half of its bins is `lost`. A clone is `like the primary` when its
consensus and the primary differ on less than `max_within` (0.05) of the
genome (their integer states, compared as the share of bins); else
a `subclone of the primary` when it carries more than `most` of the
primary's altered bins (it is a branch of the same tumour: its private and
lost events say how it differs); else `unrelated to the primary`. Without a
primary profile the relation is `no primary`; a primary without events gives
nothing to share: `not_assessable` unless the clone is like it. Only the
sample of type `primary` counts (the first by name if there are several);
metastases are not compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, leaves_list, linkage, optimal_leaf_ordering
from scipy.spatial.distance import squareform

from ctc_profiler.core.settings import FromConfig
from ctc_profiler.core.words import EQUIVOCAL, NEGATIVE, NOT_ASSESSABLE, POSITIVE, PRIMARY

MIN_CTCS = 2  # clustering needs two cells
AUTOSOME = re.compile(r"(chr)?\d+", re.IGNORECASE)
HER2_CALLS = (POSITIVE, NEGATIVE, EQUIVOCAL)
MIXED = "mixed"  # members' calls without a majority
LIKE = "like the primary"
SUBCLONE = "subclone of the primary"
UNRELATED = "unrelated to the primary"
NO_PRIMARY = "no primary"
LOSS, GAIN, AMPLIFICATION = "loss", "gain", "amplification"
EPS = 1e-9

CLONE_COLUMNS = ["patient", "sample", "clone", "reason"]
PROFILE_COLUMNS = ["patient", "clone", "chrom", "start", "end", "cn"]
TREE_COLUMNS = ["patient", "merge", "left", "right", "height", "cells", "cut"]
SUMMARY_COLUMNS = [
    "patient", "clone", "cells", "members", "ploidy", "her2_status", "her2_counts", "egfr_amplified", "egfr_counts",
    "relation", "distance_to_primary", "shared_events", "private_events", "lost_events", "note",
]


@dataclass(frozen=True)
class CloneSettings(FromConfig):
    """Thresholds of the clone call (module docstring says why each)."""

    max_within: float = 0.05  # a clone is like the primary: share of the genome on which they may differ
    min_silhouette: float = 0.25  # below this no cut of the tree is a partition into clones: one clone
    min_difference: float = 0.02  # mean level difference under which clones do not count as apart
    min_segment_bins: int = 3  # shorter runs of one copy number are noise
    amplified_state: float = 2.5  # relative state from which a bin is `amplified` (5 copies at baseline 2)
    most: float = 0.5  # share above which the primary "has the same event" / the clone carries "most" of its
    gene_weight: float = 0.1  # added to the distance of two cells whose HER2 (or EGFR amplification) calls oppose


class Profiles(NamedTuple):
    """A patient's samples on their shared bins: `positions` (chrom, start,
    end in genomic order), `cn` (integer copy number) and `level` (the
    segment's copy number before rounding, `cn_estimate`; the integer one
    where a table has none), bins x samples, NaN where a bin is not usable."""

    positions: pd.DataFrame
    cn: pd.DataFrame
    level: pd.DataFrame


@dataclass(frozen=True)
class Event:
    """A run of bins of one kind of change; `index` holds its bins' rows."""

    chrom: str
    start: int
    end: int
    kind: str
    index: np.ndarray = field(compare=False, repr=False)

    def text(self) -> str:
        return f"{self.chrom}:{self.start / 1e6:.1f}-{self.end / 1e6:.1f} Mb {self.kind}"


class CloneTables(NamedTuple):
    clones: pd.DataFrame
    clone_profiles: pd.DataFrame
    clone_summary: pd.DataFrame
    leaf_order: list[str]
    tree: pd.DataFrame  # the tree's merges (`tree_table`)


def _is_true(value: object) -> bool:
    """True for True and the tables' word 'true' (read_tsv keeps booleans as words)."""
    return str(value).strip().lower() in ("true", "1", "1.0")


def profile_matrix(bins: pd.DataFrame) -> Profiles:
    """The long bins table as one column of copy number (and of level) per
    sample, the bins ordered by chromosome (first appearance) and start."""
    keys = ["chrom", "start", "end"]
    usable = bins["use"].map(_is_true) & bins["cn"].notna()
    positions = bins[keys].drop_duplicates()
    chrom_order = {c: i for i, c in enumerate(pd.unique(positions["chrom"]))}
    positions = positions.assign(_order=positions["chrom"].map(chrom_order)).sort_values(["_order", "start"])
    positions = positions[keys].reset_index(drop=True)
    index = pd.MultiIndex.from_frame(positions)

    def matrix(column: str) -> pd.DataFrame:
        values = (bins.assign(value=bins[column].astype(float).where(usable)).set_index(keys + ["sample"])["value"]
                  .unstack("sample").reindex(index).reset_index(drop=True))
        values.columns.name = None
        return values

    cn = matrix("cn")
    return Profiles(positions, cn, matrix("cn_estimate") if "cn_estimate" in bins.columns else cn)


def _autosomal(chroms: pd.Series) -> np.ndarray:
    return chroms.map(lambda c: bool(AUTOSOME.fullmatch(str(c)))).to_numpy()


def baseline(cn: np.ndarray, chroms: pd.Series) -> int:
    """The cell's baseline copy number: the rounded median over its usable
    autosomal bins (all usable bins if none is autosomal), at least 1."""
    values = cn[np.isfinite(cn) & _autosomal(chroms)]
    if not len(values):
        values = cn[np.isfinite(cn)]
    return max(1, int(np.floor(np.median(values) + 0.5))) if len(values) else 1


def run_lengths(values: np.ndarray, chroms: np.ndarray) -> np.ndarray:
    """For each bin, the number of bins in its run of equal values on its
    chromosome, bridging bins without a value (0 there)."""
    lengths = np.zeros(len(values), dtype=int)
    index = np.flatnonzero(np.isfinite(values))
    if not len(index):
        return lengths
    v, c = values[index], chroms[index]
    new = np.r_[True, (v[1:] != v[:-1]) | (c[1:] != c[:-1])]
    run = np.cumsum(new) - 1
    lengths[index] = np.bincount(run)[run]
    return lengths


def trusted_bins(values: np.ndarray, chroms: np.ndarray, min_bins: int) -> np.ndarray:
    """Bins with a value that lie in a run of at least `min_bins` bins."""
    return run_lengths(values, chroms) >= min_bins


def relative_states(profiles: Profiles) -> tuple[pd.DataFrame, dict[str, int]]:
    """Each sample's copy number over its baseline, and the baselines."""
    chroms = profiles.positions["chrom"]
    baselines = {s: baseline(profiles.cn[s].to_numpy(), chroms) for s in profiles.cn.columns}
    return profiles.cn / pd.Series(baselines), baselines


def relative_levels(profiles: Profiles) -> pd.DataFrame:
    """Each sample's levels over their median on its usable autosomal bins
    (all usable bins if none is autosomal): 1 is the cell's baseline, 1.5 a
    gain of one copy on a diploid baseline. A ratio of the cell's own reads,
    so neither a whole-genome doubling nor a wrong ploidy fit moves it."""
    autosomal = _autosomal(profiles.positions["chrom"])
    levels = profiles.level
    medians = levels[autosomal].median() if autosomal.any() else levels.median()
    medians = medians.fillna(levels.median())
    return levels / medians.where(medians > 0)


def level_distance(a: np.ndarray, b: np.ndarray, trusted_a: np.ndarray, trusted_b: np.ndarray,
                   amplified_state: float) -> float:
    """Mean absolute difference of two cells' relative levels over the bins
    trusted in both, each capped at `amplified_state` (the height of an
    amplification varies between cells of one clone); `amplified_state` (the
    largest it can be) when no bin is comparable."""
    both = trusted_a & trusted_b & np.isfinite(a) & np.isfinite(b)
    if not both.any():
        return float(amplified_state)
    return float(np.mean(np.abs(np.minimum(a[both], amplified_state) - np.minimum(b[both], amplified_state))))


def profile_distance(a: np.ndarray, b: np.ndarray, trusted_a: np.ndarray, trusted_b: np.ndarray,
                     amplified_state: float) -> float:
    """Share of the bins trusted in both where the relative states differ
    (states from `amplified_state` up being one); 1 when no bin is comparable,
    since nothing then shows the two alike."""
    both = trusted_a & trusted_b
    if not both.any():
        return 1.0
    differ = np.abs(np.minimum(a[both], amplified_state) - np.minimum(b[both], amplified_state)) > EPS
    return float(differ.mean())


def trusted_table(states: pd.DataFrame, chroms: np.ndarray, min_bins: int) -> pd.DataFrame:
    """`trusted_bins` of each sample (column) of `states`."""
    return states.apply(lambda column: pd.Series(trusted_bins(column.to_numpy(), chroms, min_bins),
                                                 index=states.index))


def opposed_calls(status: pd.DataFrame | None, cells: list[str]) -> np.ndarray:
    """Cells x cells: how many of HER2 (positive against negative) and EGFR
    amplification (true against false) two cells' own calls oppose on.
    Equivocal, indeterminate and not_assessable calls oppose nothing."""
    opposed = np.zeros((len(cells), len(cells)))
    if status is None:
        return opposed
    her2 = status.reindex(cells)["her2_status"].astype(str).to_numpy()
    egfr = status.reindex(cells)["egfr_amplified"].astype(str).str.lower().to_numpy()
    for values, sides in ((her2, (POSITIVE, NEGATIVE)), (egfr, ("true", "false"))):
        first, second = values == sides[0], values == sides[1]
        opposed += (first[:, None] & second[None, :]) | (second[:, None] & first[None, :])
    return opposed


def cell_distances(levels: pd.DataFrame, trusted: pd.DataFrame, settings: CloneSettings,
                   opposed: np.ndarray | None = None) -> pd.DataFrame:
    """Pairwise `level_distance` of the cells (columns of `levels`, with
    their `trusted` bins), plus `gene_weight` for each of HER2 and EGFR
    amplification on which the two cells' own calls oppose (`opposed`, from
    `opposed_calls`). An ERBB2 amplicon is under 0.1% of the genome, so the
    profiles alone keep a HER2-amplified subclone inside its parent; the gene
    call, made with the cell's own tiles and detection limit, is what a
    reader of the clones asks about, so it sets such cells apart."""
    cells = list(levels.columns)
    values, masks = levels.to_numpy(), trusted.to_numpy()
    matrix = settings.gene_weight * (np.zeros((len(cells), len(cells))) if opposed is None else opposed)
    for i in range(len(cells)):
        for j in range(i + 1, len(cells)):
            matrix[i, j] = matrix[j, i] = matrix[i, j] + level_distance(
                values[:, i], values[:, j], masks[:, i], masks[:, j], settings.amplified_state)
    return pd.DataFrame(matrix, index=cells, columns=cells)


def cell_tree(distances: pd.DataFrame) -> np.ndarray | None:
    """The average-linkage tree of the cells (scipy linkage matrix, leaves in
    optimal order); None for fewer than 2 cells."""
    if len(distances) < 2:
        return None
    condensed = squareform(distances.to_numpy(), checks=False)
    return optimal_leaf_ordering(linkage(condensed, method="average"), condensed)


def mean_silhouette(distances: np.ndarray, labels: np.ndarray, min_difference: float) -> float:
    """Rousseeuw's silhouette averaged over the cells: for each, (b - a) /
    max(a, b), a its mean distance to its own clone, b to the nearest other
    clone; 0 for a cell alone in its clone. `min_difference` is the least
    max(a, b) counted, so clones whose cells differ by less than that do not
    look well apart however alike each clone is inside."""
    scores = np.zeros(len(labels))
    for i, label in enumerate(labels):
        own = labels == label
        own[i] = False
        if not own.any():
            continue
        a = distances[i, own].mean()
        b = min(distances[i, labels == other].mean() for other in set(labels) if other != label)
        scores[i] = (b - a) / max(a, b, min_difference)
    return float(scores.mean())


def clone_labels(distances: pd.DataFrame, tree: np.ndarray | None, settings: CloneSettings,
                 opposed: np.ndarray | None = None) -> pd.Series:
    """Flat clusters (1, 2, ...) of the cells' tree (`cell_tree`): of the
    tree's cuts into 2 to n - 1 clones, the one with the highest mean
    silhouette, if that reaches `min_silhouette`; else one clone. Two cells
    have no clone-mate to weigh their difference against: they are two clones
    only when their HER2 or EGFR calls oppose (`opposed`, as for
    `cell_distances`; not with a `gene_weight` of 0)."""
    cells = distances.index
    one = pd.Series(np.ones(len(cells), dtype=int), index=cells)
    if tree is None:
        return one
    matrix = distances.to_numpy()
    if len(cells) == 2:
        apart = settings.gene_weight > 0 and opposed is not None and opposed[0, 1] > 0
        return pd.Series([1, 2], index=cells) if apart else one
    best, labels = -1.0, one
    for k in range(2, len(cells)):
        cut = fcluster(tree, t=k, criterion="maxclust")
        if len(set(cut)) < 2:  # tied heights: no cut into k clones
            continue
        score = mean_silhouette(matrix, cut, settings.min_difference)
        if score > best + EPS:
            best, labels = score, pd.Series(cut, index=cells)
    return labels if best >= settings.min_silhouette else one


def cut_height(tree: np.ndarray | None, clones: int) -> float | None:
    """A height at which the tree (`cell_tree`) cut gives `clones` clones,
    for drawing the cut: halfway between the last merge inside a clone and
    the first between clones; above the root for one clone."""
    if tree is None:
        return None
    merges = len(tree)
    if clones <= 1:
        return float(tree[-1, 2]) * 1.05
    inside = float(tree[merges - clones, 2]) if merges >= clones else 0.0
    return (inside + float(tree[merges - clones + 1, 2])) / 2


def leaf_order(distances: pd.DataFrame, tree: np.ndarray | None) -> list[str]:
    """The cells in the order of the tree's leaves (optimal leaf ordering),
    for a heatmap: each clone is a subtree of it, so its members sit
    together."""
    if tree is None:
        return list(distances.index)
    return [distances.index[i] for i in leaves_list(tree)]


def tree_table(distances: pd.DataFrame, tree: np.ndarray | None, patient: str, clones: int = 1) -> pd.DataFrame:
    """The same tree as its merges, in order: each joins two cells, or
    earlier merges (`merge<k>`), at a height (their cells' average distance);
    empty for fewer than 2 cells. With the left child first, its leaves come
    in `leaf_order`. `cut`: the height at which the tree gives its `clones`
    clones (`cut_height`), the same on every row."""
    if tree is None:
        return pd.DataFrame(columns=TREE_COLUMNS)
    names = list(distances.index)

    def node(i: float) -> str:
        return names[int(i)] if i < len(names) else f"merge{int(i) - len(names) + 1}"

    cut = round(float(cut_height(tree, clones)), 4)
    return pd.DataFrame([{"patient": patient, "merge": f"merge{k}", "left": node(left), "right": node(right),
                          "height": round(float(height), 4), "cells": int(cells), "cut": cut}
                         for k, (left, right, height, cells) in enumerate(tree, start=1)],
                        columns=TREE_COLUMNS)


def _row_median(matrix: np.ndarray) -> np.ndarray:
    out = np.full(len(matrix), np.nan)
    has = np.isfinite(matrix).any(axis=1)
    if has.any():
        out[has] = np.nanmedian(matrix[has], axis=1)
    return out


def consensus_state(states: np.ndarray, trusted: np.ndarray) -> np.ndarray:
    """Per bin, the median of the members' relative states where they are
    trusted (all members' where none is)."""
    voted = _row_median(np.where(trusted, states, np.nan))
    return np.where(np.isfinite(voted), voted, _row_median(states))


def to_copies(state: np.ndarray, base: int) -> np.ndarray:
    """Relative states as integer copies at `base`, a half-way value rounded
    towards the baseline (members split evenly: no event)."""
    offset = state * base - base
    copies = base + np.sign(offset) * np.ceil(np.abs(offset) - 0.5 - EPS)
    return np.clip(copies, 0, None)


def _kinds(state: np.ndarray, amplified_state: float) -> np.ndarray:
    """0 no change or no value, -1 loss, 1 gain, 2 amplification."""
    kinds = np.zeros(len(state), dtype=int)
    finite = np.isfinite(state)
    kinds[finite & (state < 1 - EPS)] = -1
    kinds[finite & (state > 1 + EPS)] = 1
    kinds[finite & (state >= amplified_state - EPS)] = 2
    return kinds


KIND_WORDS = {-1: LOSS, 1: GAIN, 2: AMPLIFICATION}


def events(state: np.ndarray, positions: pd.DataFrame, settings: CloneSettings) -> list[Event]:
    """Runs of at least `min_segment_bins` bins of one kind of change
    (bridging bins without a value) in a profile of relative states."""
    kinds = _kinds(state, settings.amplified_state).astype(float)
    kinds[~np.isfinite(state)] = np.nan
    chroms = positions["chrom"].to_numpy()
    lengths = run_lengths(kinds, chroms)
    found, index = [], np.flatnonzero(np.isfinite(kinds))
    if not len(index):
        return found
    k, c = kinds[index], chroms[index]
    new = np.r_[True, (k[1:] != k[:-1]) | (c[1:] != c[:-1])]
    for run in np.split(index, np.flatnonzero(new)[1:]):
        kind = int(kinds[run[0]])
        if kind and lengths[run[0]] >= settings.min_segment_bins:
            found.append(Event(str(chroms[run[0]]), int(positions["start"].iat[run[0]]),
                               int(positions["end"].iat[run[-1]]), KIND_WORDS[kind], run))
    return found


def carries(event: Event, state: np.ndarray, settings: CloneSettings) -> bool:
    """Whether a profile has the event's kind of change over more than `most`
    of the event's bins it has a value for."""
    values = state[event.index]
    values = values[np.isfinite(values)]
    if not len(values):
        return False
    if event.kind == LOSS:
        same = values < 1 - EPS
    elif event.kind == GAIN:
        same = values > 1 + EPS
    else:
        same = values >= settings.amplified_state - EPS
    return bool(same.mean() > settings.most)


class Relation(NamedTuple):
    relation: str
    distance: float
    shared: list[Event]
    private: list[Event]
    lost: list[Event]


def primary_scale(copies: np.ndarray, primary: np.ndarray, primary_base: int, chroms: np.ndarray,
                  settings: CloneSettings) -> float:
    """The baseline a clone's consensus (copies) is read at against the
    primary: the primary's own, or half or twice it (a whole-genome doubling
    either way), whichever brings the two closest. The clone's own median is
    no baseline here: gains over half of the genome (a hyperdiploid subclone)
    make its median the gained level, and every shared event would read as
    its opposite."""
    candidates = [primary_base * f for f in (1.0, 2.0, 0.5) if primary_base * f >= 1]
    trusted_primary = trusted_bins(primary, chroms, settings.min_segment_bins)

    def distance(scale: float) -> float:
        state = copies / scale
        return profile_distance(state, primary, trusted_bins(state, chroms, settings.min_segment_bins),
                                trusted_primary, settings.amplified_state)

    return min(candidates, key=distance)


def relation_to_primary(clone: np.ndarray, primary: np.ndarray | None, positions: pd.DataFrame,
                        settings: CloneSettings, opposed: int = 0) -> Relation:
    """How a clone's consensus (relative states) stands to the primary's
    (module docstring: the events' classes and the relation's thresholds);
    `opposed`: how many of HER2 and EGFR amplification the clone's call and
    the primary's oppose on, each `gene_weight` added to the distance, as
    between cells (a HER2-positive clone of a HER2-negative primary is not
    "like" it, however small the amplicon)."""
    own = events(clone, positions, settings)
    if primary is None:
        return Relation(NO_PRIMARY, float("nan"), [], own, [])
    chroms = positions["chrom"].to_numpy()
    distance = profile_distance(clone, primary, trusted_bins(clone, chroms, settings.min_segment_bins),
                                trusted_bins(primary, chroms, settings.min_segment_bins), settings.amplified_state)
    distance += settings.gene_weight * opposed
    shared = [e for e in own if carries(e, primary, settings)]
    private = [e for e in own if e not in shared]
    theirs = events(primary, positions, settings)
    lost = [e for e in theirs if not carries(e, clone, settings)]
    if distance < settings.max_within:
        relation = LIKE
    elif not theirs:
        relation = NOT_ASSESSABLE
    else:
        kept = sum(len(e.index) for e in theirs if e not in lost) / sum(len(e.index) for e in theirs)
        relation = SUBCLONE if kept > settings.most else UNRELATED
    return Relation(relation, distance, shared, private, lost)


def majority(calls: list[str], words: tuple[str, ...], most: float) -> str:
    """The call more than `most` of the members with a call make; `mixed`
    when none does; not_assessable without calls."""
    made = [c for c in calls if c in words]
    if not made:
        return NOT_ASSESSABLE
    top = max(words, key=made.count)
    return top if made.count(top) > most * len(made) else MIXED


def her2_summary(calls: list[str], most: float) -> tuple[str, str]:
    """Clone HER2 status and its counts ('3 positive, 0 negative')."""
    text = f"{calls.count(POSITIVE)} positive, {calls.count(NEGATIVE)} negative"
    if calls.count(EQUIVOCAL):
        text += f", {calls.count(EQUIVOCAL)} equivocal"
    others = sum(c not in HER2_CALLS for c in calls)
    if others:
        text += f", {others} without a call"
    return majority(calls, HER2_CALLS, most), text


def egfr_summary(values: list[object], most: float) -> tuple[str, str]:
    """Clone EGFR amplification ('true'/'false'/mixed) and its counts."""
    calls = [str(v).strip().lower() for v in values]
    text = f"{calls.count('true')} amplified, {calls.count('false')} not amplified"
    others = sum(c not in ("true", "false") for c in calls)
    if others:
        text += f", {others} without a call"
    return majority(calls, ("true", "false"), most), text


def _segments(copies: np.ndarray, positions: pd.DataFrame) -> pd.DataFrame:
    """Runs of equal copy number per chromosome, bridging bins without a value."""
    chroms = positions["chrom"].to_numpy()
    index = np.flatnonzero(np.isfinite(copies))
    rows = []
    if len(index):
        v, c = copies[index], chroms[index]
        new = np.r_[True, (v[1:] != v[:-1]) | (c[1:] != c[:-1])]
        for run in np.split(index, np.flatnonzero(new)[1:]):
            rows.append((chroms[run[0]], int(positions["start"].iat[run[0]]), int(positions["end"].iat[run[-1]]),
                         int(copies[run[0]])))
    return pd.DataFrame(rows, columns=["chrom", "start", "end", "cn"])


def _texts(found: list[Event]) -> str:
    return "; ".join(e.text() for e in found)


def _not_assessable(patient: str, ctcs: list[str], reason: str) -> CloneTables:
    clones = pd.DataFrame([{"patient": patient, "sample": s, "clone": NOT_ASSESSABLE, "reason": reason}
                           for s in ctcs or [""]], columns=CLONE_COLUMNS)
    summary = pd.DataFrame([{
        "patient": patient, "clone": NOT_ASSESSABLE, "cells": len(ctcs), "members": ", ".join(ctcs),
        "ploidy": float("nan"), "her2_status": NOT_ASSESSABLE, "her2_counts": "", "egfr_amplified": NOT_ASSESSABLE,
        "egfr_counts": "", "relation": NOT_ASSESSABLE, "distance_to_primary": float("nan"), "shared_events": "",
        "private_events": "", "lost_events": "", "note": reason}], columns=SUMMARY_COLUMNS)
    return CloneTables(clones, pd.DataFrame(columns=PROFILE_COLUMNS), summary, list(ctcs),
                       pd.DataFrame(columns=TREE_COLUMNS))


def patient_clones(patient: str, bins: pd.DataFrame, status: pd.DataFrame,
                   settings: CloneSettings = CloneSettings()) -> CloneTables:
    """A patient's clones from the bins of its QC-passing CTCs and primary
    (`bins`: sample, chrom, start, end, use, cn) and their status rows
    (sample, type, her2_status, egfr_amplified, ploidy)."""
    status = status.drop_duplicates("sample").set_index("sample")
    present = set(bins["sample"])
    types = status["type"].astype(str)
    ctcs = sorted(s for s in present if types.get(s) == "ctc")
    primaries = sorted(s for s in present if types.get(s) == PRIMARY)
    if len(ctcs) < MIN_CTCS:
        reason = f"{len(ctcs)} CTC{'' if len(ctcs) == 1 else 's'} passing QC: needs {MIN_CTCS}"
        return _not_assessable(patient, ctcs, reason)

    profiles = profile_matrix(bins[bins["sample"].isin(ctcs + primaries[:1])])
    positions, chroms = profiles.positions, profiles.positions["chrom"].to_numpy()
    states, baselines = relative_states(profiles)
    cells = states[ctcs]
    trusted = trusted_table(cells, chroms, settings.min_segment_bins)
    opposed = opposed_calls(status, ctcs)
    distances = cell_distances(relative_levels(profiles)[ctcs], trusted, settings, opposed)
    tree = cell_tree(distances)
    labels = clone_labels(distances, tree, settings, opposed)
    groups = [sorted(labels.index[labels == label]) for label in labels.unique()]
    groups.sort(key=lambda members: (-len(members), members[0]))
    primary = states[primaries[0]].to_numpy() if primaries else None

    clone_rows, profile_rows, summary_rows = [], [], []
    for number, members in enumerate(groups, start=1):
        clone = f"C{number}"
        clone_rows += [{"patient": patient, "sample": s, "clone": clone, "reason": ""} for s in members]
        base = int(np.sort([baselines[s] for s in members])[(len(members) - 1) // 2])  # lower median
        copies = to_copies(consensus_state(cells[members].to_numpy(), trusted[members].to_numpy()), base)
        segments = _segments(copies, positions)
        profile_rows.append(segments.assign(patient=patient, clone=clone)[PROFILE_COLUMNS])
        her2, her2_counts = her2_summary([str(status.at[s, "her2_status"]) for s in members], settings.most)
        egfr, egfr_counts = egfr_summary([status.at[s, "egfr_amplified"] for s in members], settings.most)
        opposed = 0
        if primaries:
            calls = pd.DataFrame({"her2_status": [her2, status.at[primaries[0], "her2_status"]],
                                  "egfr_amplified": [egfr, status.at[primaries[0], "egfr_amplified"]]},
                                 index=["clone", "primary"])
            opposed = int(opposed_calls(calls, ["clone", "primary"])[0, 1])
        scale = base if primary is None else primary_scale(copies, primary, baselines[primaries[0]], chroms, settings)
        relation = relation_to_primary(copies / scale, primary, positions, settings, opposed)
        ploidy = pd.to_numeric(status.loc[members, "ploidy"], errors="coerce").median()
        summary_rows.append({
            "patient": patient, "clone": clone, "cells": len(members), "members": ", ".join(members),
            "ploidy": round(float(ploidy), 2), "her2_status": her2, "her2_counts": her2_counts,
            "egfr_amplified": egfr, "egfr_counts": egfr_counts, "relation": relation.relation,
            "distance_to_primary": round(relation.distance, 4), "shared_events": _texts(relation.shared),
            "private_events": _texts(relation.private), "lost_events": _texts(relation.lost),
            "note": "a single cell: its own clone, or one cell's calling error" if len(members) == 1 else "",
        })
    return CloneTables(pd.DataFrame(clone_rows, columns=CLONE_COLUMNS),
                       pd.concat(profile_rows, ignore_index=True),
                       pd.DataFrame(summary_rows, columns=SUMMARY_COLUMNS),
                       leaf_order(distances, tree), tree_table(distances, tree, patient, len(groups)))
