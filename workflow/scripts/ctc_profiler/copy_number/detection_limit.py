"""The smallest ERBB2 (EGFR) gain a cell's own profile would have called
HER2-positive (EGFR-amplified).

A negative call rules out only gains the cell's noise lets through. To
say which, a gain to `c` copies over an amplicon of `amplicon_bp` centred on
the gene is added to the cell's own bin ratios (each bin by the share of it
the amplicon covers), the gene's chromosome is segmented again with the
cell's noise and segmentation settings, and the gene's copy number and
status are read as for the cell itself. The smallest `c` called positive is
the cell's detection limit. The gain goes onto the cell's background, not onto
what its bins at the gene hold: the bins (and tiles) the amplicon covers take
the values of as many neighbouring ones beside it first. Spiked onto the
gene's own bins, a gain adds to an amplicon the call missed, and such a cell
stated a limit of 4 while missing 6 and 10 copies there (3 of 11 amplified MDA
cells on the `limits_flat17` grid, seed 1). The gene's tiles (`window_copy_number`) take the
same gain and are segmented again too; where they split, the gene's copy
number comes from them, as in the call. The cell's own noise stays in, so
the answer is for this cell, not for its kit on average.

One place says little about a noisy cell: MDA's coverage swings over
stretches of a megabase, and a real amplicon on a low stretch reads short
while the trial beside it, on a high one, shows. So the same trial gain is
also tried at up to `positions` (20) other places of the gene's chromosome at
the gene's own integer copy number, each on its own bins. Those places have
no tiles, so they are set against the gene's own limit from its bins alone:
the stated limit is the gene's (tiles included) raised by how much the
`quantile` (default 1, the largest) of the bins-only limits, the gene's and
the places', exceeds the gene's bins-only limit (`place_excess`). A clean
cell, whose places agree, keeps its gene limit; a cell whose coverage swings
states the limit of its worst place. If the gene's own stretch is like any
other place, it is worse than all 21 about 1 time in 22, under 5%. From the
gene alone, MDA cells called negative missed 9 of 22 amplicons at or above
their stated limit (`limits_flat17`, two seeds; docs/copy_number.md); in
cells whose coverage swings over 1 Mb stretches, 12 of 40 against 0 of 40
(tests/test_detection_limit.py). Taking the largest place limit itself
(bins only) as the stated limit instead made 37 of 60 clean 17q-polysomy
CTCs `indeterminate` on `limits_17q`, the bins alone needing 7-9 copies
where the gene's tiles show 6.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ctc_profiler.copy_number.gene_copy_number import region_copy_number
from ctc_profiler.copy_number.gene_tiles import gene_tiles, run_copy_number, takes_tiles, tile_noise_sd, tile_segment
from ctc_profiler.copy_number.ploidy import MIN_RATIO, integer_copy_number
from ctc_profiler.copy_number.segmentation import change_points, noise_sd
from ctc_profiler.core.her2_egfr_rules import COPIES_POSITIVE, RATIO_CUTOFF, egfr_amplified, her2_call
from ctc_profiler.core.settings import FromConfig
from ctc_profiler.core.words import CELL_TYPES, EQUIVOCAL, NEGATIVE, POSITIVE

MAX_CN = 40  # beyond this a limit says nothing a user could act on


@dataclass(frozen=True)
class DetectionLimit(FromConfig):
    """Config `copy_number.detection_limit`."""

    amplicon_bp: int = 1_000_000
    positions: int = 20  # other places of the chromosome the trial gain is tried at
    quantile: float = 1.0  # of the places' limits, the gene's own included


@dataclass(frozen=True)
class Tiling:
    """A gene's tiles (rows of the called windows: start, end, ratio, log2, cn_bin),
    how they are segmented (`window_copy_number.window_evidence`) and the
    cell's ploidy, which decides between tiles and bins (`takes_tiles`)."""

    tiles: pd.DataFrame
    sd: float
    min_tiles: int
    penalty: float
    ploidy: float


def overlap_bp(starts: np.ndarray, ends: np.ndarray, start: int, end: int) -> np.ndarray:
    """Bases of [start, end) in each interval."""
    return np.clip(np.minimum(ends, end) - np.maximum(starts, start), 0, None)


def amplicon_fractions(bins: pd.DataFrame, start: int, end: int) -> np.ndarray:
    """Share of each bin (same chromosome) that [start, end) covers."""
    starts, ends = bins["start"].to_numpy(), bins["end"].to_numpy()
    return overlap_bp(starts, ends, start, end).astype(float) / (ends - starts)


def beside(values: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """`values` with the run `inside` covers replaced by as many values just
    before it (after it, where too few come before): the cell's own signal
    and noise from next door, without whatever the run itself holds. Values
    of 0 (bins without reads) are passed over, unless the run holds one."""
    where = np.flatnonzero(inside)
    if not len(where):
        return values
    first, last = int(where[0]), int(where[-1]) + 1
    width = last - first
    keep_empty = bool((values[first:last] == 0).any())
    eligible = values != 0 if not keep_empty else np.ones(len(values), bool)
    before = np.flatnonzero(eligible[:first])
    after = last + np.flatnonzero(eligible[last:])
    out = values.copy()
    if len(before) >= width:
        out[first:last] = values[before[-width:]]
    elif len(after) >= width:
        out[first:last] = values[after[:width]]
    return out


@dataclass(frozen=True)
class TrialBins:
    """One chromosome's usable bins as trial gains at one place need them,
    taken out of the table once: each trial is then numpy alone."""

    ratio: np.ndarray
    fractions: np.ndarray  # share of each bin the amplicon covers
    covered: np.ndarray  # bases of the gene (or the place) in each bin
    background: float  # copies the gain starts from

    @classmethod
    def at(cls, chrom_bins: pd.DataFrame, fractions: np.ndarray, background: float,
           gene: tuple[int, int]) -> TrialBins:
        covered = overlap_bp(chrom_bins["start"].to_numpy(), chrom_bins["end"].to_numpy(), *gene)
        return cls(chrom_bins["ratio"].to_numpy(dtype=float), fractions, covered, background)

    def called_cn(self, cn: float, scale: float, sd: float, min_bins: int, penalty: float) -> float:
        """The gene's integer copy number after a gain to `cn` copies over the
        amplicon, segmented as the cell was: the copy number covering most of
        its bases, the lower on a tie (`gene_copy_number.region_copy_number`)."""
        ratio = self.ratio * (1 + self.fractions * (cn - self.background) / self.background)
        log2 = np.log2(np.clip(ratio, MIN_RATIO, None))
        copies = np.empty(len(log2))
        start = 0
        for end in change_points(log2, sd, min_bins, penalty):
            copies[start:end] = integer_copy_number(2 ** np.mean(log2[start:end]), scale)
            start = end
        inside = self.covered > 0
        if not inside.any():
            return math.nan
        levels, which = np.unique(copies[inside], return_inverse=True)
        return float(levels[np.argmax(np.bincount(which, weights=self.covered[inside]))])


def gene_cn_with_gain(chrom_bins: pd.DataFrame, fractions: np.ndarray, background: float, cn: float,
                      scale: float, sd: float, min_bins: int, penalty: float,
                      gene: tuple[int, int]) -> float:
    """The gene's integer copy number after a gain from `background` to `cn`
    copies over the amplicon, segmented as the cell was (`TrialBins.called_cn`)."""
    return TrialBins.at(chrom_bins, fractions, background, gene).called_cn(cn, scale, sd, min_bins, penalty)


def tile_cn_with_gain(tiling: Tiling, fractions: np.ndarray, background: float, cn: float,
                      centre: int) -> tuple[float, int]:
    """The gene's copy number from its tiles after the same gain, and the
    number of segments the tiles make."""
    gain = 1 + fractions * (cn - background) / background
    ratio = tiling.tiles["ratio"].to_numpy(dtype=float) * gain
    spiked = tiling.tiles.assign(ratio=ratio, log2=np.log2(np.clip(ratio, MIN_RATIO, None)),
                                 cn_bin=tiling.tiles["cn_bin"].to_numpy(dtype=float) * gain)
    run, segments = tile_segment(spiked, centre, tiling.sd, tiling.min_tiles, tiling.penalty)
    return float(np.round(run_copy_number(spiked, run))), segments


def first_showing(shows: Callable[[int], bool], lowest: int) -> float:
    """Smallest copy number from `lowest` up to MAX_CN whose gain `shows`,
    inf when MAX_CN does not: tried at lowest, +2, +6, +14, ... then halved
    between the last that did not show and the first that did, so a clean
    cell needs one trial and a noisy one about ten, not up to 37. A larger
    gain is taken never to show less than a smaller one."""
    hidden, step = lowest - 1, 1
    while True:
        cn = min(hidden + step, MAX_CN)
        if shows(cn):
            break
        if cn == MAX_CN:
            return math.inf
        hidden, step = cn, step * 2
    while cn - hidden > 1:
        middle = (hidden + cn) // 2
        if shows(middle):
            cn = middle
        else:
            hidden = middle
    return float(cn)


def other_places(chrom_bins: pd.DataFrame, gene: tuple[int, int], amplicon_bp: int, count: int,
                 copies: float) -> list[tuple[int, int]]:
    """Up to `count` regions the gene's size, spread evenly along the
    chromosome, whose amplicon lies wholly on usable bins at `copies` (their
    segments' integer copy number) and clear of the gene's own amplicon."""
    if count <= 0 or chrom_bins.empty:
        return []
    gene_start, gene_end = gene
    half, size = amplicon_bp // 2, gene_end - gene_start
    middle = (gene_start + gene_end) // 2
    first, last = int(chrom_bins["start"].min()), int(chrom_bins["end"].max())
    starts, ends = chrom_bins["start"].to_numpy(), chrom_bins["end"].to_numpy()
    same = chrom_bins["cn"].to_numpy() == copies
    places = []
    for centre in range(first + half, last - half + 1, amplicon_bp):
        if abs(centre - middle) < amplicon_bp:
            continue
        lo, hi = centre - half, centre + half
        under = (starts < hi) & (ends > lo)
        covered = np.minimum(ends[under], hi) - np.maximum(starts[under], lo)
        if covered.sum() >= 0.9 * (hi - lo) and same[under].all():
            places.append((centre - size // 2, centre - size // 2 + size))
    if len(places) > count:
        places = [places[i] for i in np.unique(np.linspace(0, len(places) - 1, count).round().astype(int))]
    return places


def median_cn_estimate(chrom_bins: pd.DataFrame, start: int, end: int) -> float:
    """Median `cn_estimate` of the bins overlapping [start, end); NaN without any."""
    at = amplicon_fractions(chrom_bins, start, end) > 0
    return float(np.median(chrom_bins.loc[at, "cn_estimate"])) if at.any() else math.nan


def smallest_positive_gain(bins: pd.DataFrame, gene: tuple[str, int, int], threshold: float,
                           positive: Callable[[float], bool], limit: DetectionLimit, min_bins: int, penalty: float,
                           tiling: Tiling | None = None) -> float:
    """Smallest copy number, from `threshold` up, of a gain over an
    `limit.amplicon_bp` amplicon whose called copy number `positive` accepts,
    at the gene (chrom, start, end) and at `limit.positions` other places
    (`other_places`), the `limit.quantile` of them (rounded up to a place's
    own limit); inf when it is none up to MAX_CN, NaN when the cell has no
    usable bins at the gene.

    `bins`: a cell's called bins (`copy_number.call_profile`, without the
    gene windows), with ratio, log2, cn, cn_bin, cn_estimate and use;
    `tiling`: the gene's tiles, when it has them (tried at the gene only)."""
    usable = bins[bins["use"] & np.isfinite(bins["log2"])]
    chrom, gene_start, gene_end = gene
    chrom_bins = usable[usable["chrom"] == chrom].reset_index(drop=True)
    if chrom_bins.empty:
        return math.nan
    background = median_cn_estimate(chrom_bins, gene_start, gene_end)
    if not background > 0:
        return math.nan
    # a cell's copy number is its ratio times the fitted ploidy (purity 1);
    # bins without reads (ratio 0) say nothing about the factor
    counted = usable["ratio"] > 0
    if not counted.any():
        return math.nan
    scale = float(np.median(usable.loc[counted, "cn_bin"] / usable.loc[counted, "ratio"]))
    if not math.isfinite(scale):
        return math.nan
    sd = noise_sd(usable["log2"].to_numpy())
    # only truly positive levels are tried: a gain to 3 copies that noise
    # lifts to a call of 4 says nothing about the gains a negative call excludes
    lowest = max(math.floor(background) + 1, math.ceil(threshold))
    amplicon_bp = limit.amplicon_bp

    def amplicon(start: int, end: int) -> tuple[int, int]:
        centre = (start + end) // 2
        return centre - amplicon_bp // 2, centre + amplicon_bp // 2

    # at the gene, the gain goes onto what is beside its amplicon (module doc)
    fractions = amplicon_fractions(chrom_bins, *amplicon(gene_start, gene_end))
    beside_gene = chrom_bins.assign(ratio=beside(chrom_bins["ratio"].to_numpy(dtype=float), fractions > 0))
    tile_fractions = None
    if tiling is not None:
        tile_fractions = amplicon_fractions(tiling.tiles, *amplicon(gene_start, gene_end))
        tiles = tiling.tiles
        covered = tile_fractions > 0
        tiling = replace(tiling, tiles=tiles.assign(
            ratio=beside(tiles["ratio"].to_numpy(dtype=float), covered),
            cn_bin=beside(tiles["cn_bin"].to_numpy(dtype=float), covered)))

    at_gene = TrialBins.at(beside_gene, fractions, background, (gene_start, gene_end))

    @functools.cache  # the bins-only search below tries many of the same copy numbers
    def gene_bins_cn(cn: int) -> float:
        return at_gene.called_cn(cn, scale, sd, min_bins, penalty)

    def shows_at_gene(cn: int) -> bool:
        called = gene_bins_cn(cn)
        if tiling is not None:
            tiled, segments = tile_cn_with_gain(tiling, tile_fractions, background, cn, (gene_start + gene_end) // 2)
            if takes_tiles(segments, tiled, called, tiling.ploidy):
                called = tiled
        return positive(called)

    gene_limit = first_showing(shows_at_gene, lowest)
    # the places have bins only: they are weighed against the gene's own
    # bins-only limit, and only by how much worse they are is the gene's
    # limit (with its tiles) raised (`place_excess`)
    gene_bins = first_showing(lambda cn: positive(gene_bins_cn(cn)), lowest) if tiling is not None else gene_limit
    places = []
    copies = region_copy_number(chrom_bins, chrom, gene_start, gene_end)[1]
    for start, end in other_places(chrom_bins, (gene_start, gene_end), amplicon_bp, limit.positions, copies):
        place_background = median_cn_estimate(chrom_bins, start, end)
        if not place_background > 0:
            continue
        place = TrialBins.at(chrom_bins, amplicon_fractions(chrom_bins, *amplicon(start, end)), place_background,
                             (start, end))
        places.append(first_showing(lambda cn, place=place: positive(place.called_cn(cn, scale, sd, min_bins,
                                                                                     penalty)), lowest))
    return gene_limit + place_excess(gene_bins, places, limit.quantile)


def place_excess(gene_bins: float, places: list[float], quantile: float) -> float:
    """How much worse than the gene's own bins-only limit the `quantile` of
    it and the places' limits is (0 when none is worse); inf when a place
    shows nothing the gene's bins show, 0 when the gene's bins show nothing
    either (then the places say nothing the tiles did not)."""
    if math.isinf(gene_bins):
        return 0.0
    worst = float(np.quantile([gene_bins, *places], quantile, method="higher"))
    return max(0.0, worst - gene_bins)


def detectable_cn(bins: pd.DataFrame, gene: tuple[str, int, int], chr17_ref_cn: float,
                  limit: DetectionLimit, min_bins: int, penalty: float, tiling: Tiling | None = None) -> float:
    """Smallest HER2-positive ERBB2 copy number (at least 4 copies and twice
    `chr17_ref_cn`) that this cell's profile would call HER2-positive
    (`smallest_positive_gain`); NaN without a chr17 reference."""
    if not chr17_ref_cn > 0:
        return math.nan
    return smallest_positive_gain(bins, gene, max(COPIES_POSITIVE, RATIO_CUTOFF * chr17_ref_cn),
                                  lambda cn: her2_call(cn, chr17_ref_cn).status == POSITIVE,
                                  limit, min_bins, penalty, tiling)


def egfr_detectable_cn(bins: pd.DataFrame, gene: tuple[str, int, int], ploidy: float, min_fold: float,
                       limit: DetectionLimit, min_bins: int, penalty: float, tiling: Tiling | None = None) -> float:
    """Smallest EGFR copy number (at least `min_fold` times the ploidy) that
    this cell's profile would call amplified (`smallest_positive_gain`); NaN
    without a ploidy."""
    if not ploidy > 0:
        return math.nan
    return smallest_positive_gain(bins, gene, min_fold * ploidy, lambda cn: egfr_amplified(cn, ploidy, min_fold),
                                  limit, min_bins, penalty, tiling)


def gene_tiling(windows: pd.DataFrame | None, name: str, min_tiles: int, penalty: float,
                ploidy: float) -> Tiling | None:
    """A gene's `Tiling` from the called gene windows, None without its tiles."""
    tiles_of = gene_tiles(windows) if windows is not None else {}
    return Tiling(tiles_of[name], tile_noise_sd(tiles_of), min_tiles, penalty, ploidy) if name in tiles_of else None


def region_of(regions: pd.DataFrame, name: str) -> tuple[str, int, int] | None:
    """(chrom, start, end) of a named region, None when `regions` lacks it."""
    rows = regions[regions["name"] == name]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return str(row["chrom"]), int(row["start"]), int(row["end"])


def status_limit(status: dict, bins: pd.DataFrame, regions: pd.DataFrame, limit: DetectionLimit,
                 min_bins: int, penalty: float, windows: pd.DataFrame | None = None, min_tiles: int = 5) -> float:
    """`detectable_cn` for a sample's status row (`copy_number_status.status_row`):
    only single cells called negative or equivocal have one; NaN otherwise,
    and without ERBB2 among `regions` (name, chrom, start, end). `windows`:
    the called gene windows, whose ERBB2 tiles are tried too (segmented with
    `min_tiles` and the same `penalty`)."""
    gene = region_of(regions, "ERBB2")
    missable = status["type"] in CELL_TYPES and status["her2_status"] in (NEGATIVE, EQUIVOCAL)
    if not missable or gene is None:
        return math.nan
    tiling = gene_tiling(windows, "ERBB2", min_tiles, penalty, float(status.get("ploidy", math.nan)))
    return detectable_cn(bins, gene, float(status["chr17_ref_cn"]), limit, min_bins, penalty, tiling)


def egfr_status_limit(status: dict, bins: pd.DataFrame, regions: pd.DataFrame, min_fold: float, limit: DetectionLimit,
                      min_bins: int, penalty: float, windows: pd.DataFrame | None = None,
                      min_tiles: int = 5) -> float:
    """`egfr_detectable_cn` for a status row: only single cells called not
    amplified have one (`egfr_amplified` False; not `not_assessable`); NaN
    otherwise, and without EGFR among `regions`."""
    gene = region_of(regions, "EGFR")
    called = status["egfr_amplified"]
    missable = status["type"] in CELL_TYPES and isinstance(called, (bool, np.bool_)) and not called
    if not missable or gene is None:
        return math.nan
    ploidy = float(status["ploidy"])
    tiling = gene_tiling(windows, "EGFR", min_tiles, penalty, ploidy)
    return egfr_detectable_cn(bins, gene, ploidy, min_fold, limit, min_bins, penalty, tiling)


def limit_text(limit: float) -> str:
    """A detection limit as the tables show it: blank when there is none,
    `>N` when no gain up to N copies would have been called."""
    if math.isnan(limit):
        return ""
    return f">{MAX_CN}" if math.isinf(limit) else str(int(limit))
