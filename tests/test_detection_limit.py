"""A cell's ERBB2 and EGFR detection limits: the smallest gain its own profile would call positive."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import BIN_BP
from ctc_profiler.copy_number.detection_limit import (
    DetectionLimit,
    Tiling,
    detectable_cn,
    egfr_detectable_cn,
    egfr_status_limit,
    limit_text,
    status_limit,
)

ERBB2 = ("chr17", 50 * BIN_BP + 20_000, 50 * BIN_BP + 60_000)


def at_gene(amplicon_bp: int = 1_000_000) -> DetectionLimit:
    """The trial gain at the gene alone (no other places)."""
    return DetectionLimit(amplicon_bp, positions=0)

EGFR = ("chr7", 50 * BIN_BP + 10_000, 50 * BIN_BP + 90_000)


def called_cell(noise: float, seed: int = 1, chroms=("chr1", "chr2", "chr17"), n_bins: int = 100) -> pd.DataFrame:
    """Called bins of a diploid cell (`n_bins` per chromosome) with log2 noise of this SD."""
    rng = np.random.default_rng(seed)
    rows = [(c, i * BIN_BP, (i + 1) * BIN_BP) for c in chroms for i in range(n_bins)]
    bins = pd.DataFrame(rows, columns=["chrom", "start", "end"])
    bins["log2"] = rng.normal(0, noise, len(bins))
    bins["ratio"] = 2 ** bins["log2"]
    bins["use"] = True
    bins["cn_bin"] = 2 * bins["ratio"]
    bins["cn_estimate"], bins["cn"] = 2.0, 2.0
    return bins


def limit(bins: pd.DataFrame, amplicon_bp: int = 1_000_000, chr17_ref: float = 2.0) -> float:
    return detectable_cn(bins, ERBB2, chr17_ref, at_gene(amplicon_bp), min_bins=3, penalty=3.0)


def test_a_quiet_cell_would_show_the_smallest_positive_gain() -> None:
    # positive needs ERBB2/chr17 >= 2 with >= 4 copies: 4 over a reference of 2
    assert limit(called_cell(0.05)) == 4
    assert limit(called_cell(0.05), chr17_ref=3.0) == 6


def test_bins_without_reads_do_not_hide_the_copy_number_scale() -> None:
    bins = called_cell(0.05)
    empty = bins.index[::40]
    bins.loc[empty, ["ratio", "cn_bin"]] = 0.0
    bins.loc[empty, "log2"] = np.log2(1e-3)
    assert limit(bins) == 4


def test_noise_and_short_amplicons_raise_the_limit() -> None:
    quiet = limit(called_cell(0.05))
    noisy = [limit(called_cell(0.9, seed)) for seed in range(1, 8)]
    assert all(value > quiet for value in noisy)
    # noise never takes the limit below a truly positive level
    assert min(limit(called_cell(0.9, seed), chr17_ref=3.0) for seed in range(1, 8)) >= 6
    # one bin: a segment needs 3, so the gain is averaged with 2 background bins
    one_bin = limit(called_cell(0.05), amplicon_bp=BIN_BP)
    assert 8 <= one_bin <= 16


def test_no_chr17_bins_or_reference_gives_no_limit() -> None:
    assert math.isnan(limit(called_cell(0.05, chroms=("chr1", "chr2"))))
    assert math.isnan(limit(called_cell(0.05), chr17_ref=0.0))
    unusable = called_cell(0.05)
    unusable.loc[unusable["chrom"] == "chr17", "use"] = False
    assert math.isnan(limit(unusable))


def test_a_cell_no_gain_would_turn_positive_reports_beyond_the_search() -> None:
    # a chr17 reference of 30 copies: no ERBB2 up to 40 copies reaches a ratio of 2
    assert math.isinf(limit(called_cell(0.05), chr17_ref=30.0))


@pytest.mark.parametrize(("value", "text"), [(math.nan, ""), (math.inf, ">40"), (7.0, "7")])
def test_limit_text(value: float, text: str) -> None:
    assert limit_text(value) == text


def test_only_cells_not_called_positive_get_a_limit() -> None:
    bins = called_cell(0.05)
    regions = pd.DataFrame({"name": ["ERBB2"], "chrom": [ERBB2[0]], "start": [ERBB2[1]], "end": [ERBB2[2]]})
    row = {"type": "ctc", "her2_status": "negative", "chr17_ref_cn": 2.0}
    assert status_limit(row, bins, regions, at_gene(), 3, 3.0) == 4
    for other in ({"type": "primary"}, {"her2_status": "positive"}, {"her2_status": "not_assessable"}):
        assert math.isnan(status_limit({**row, **other}, bins, regions, at_gene(), 3, 3.0))
    assert math.isnan(status_limit(row, bins, regions.assign(name="EGFR"), at_gene(), 3, 3.0))


def quiet_tiles(noise: float = 0.05, tile_bp: int = 25_000) -> Tiling:
    """ERBB2's tiles: 56 of 25 kb around the gene, diploid, log2 noise of this SD."""
    starts = np.arange(56) * tile_bp + (ERBB2[1] + ERBB2[2]) // 2 - 28 * tile_bp
    log2 = np.random.default_rng(5).normal(0, noise, len(starts))
    tiles = pd.DataFrame({"start": starts, "end": starts + tile_bp, "ratio": 2**log2, "log2": log2,
                          "cn_bin": 2 * 2**log2})
    return Tiling(tiles, noise, 5, 3.0, ploidy=2.0)


def test_tiles_show_a_gain_the_bins_dilute() -> None:
    # 200 kb is two bins, one short of a segment: the bins alone see it only diluted
    bins_only = limit(called_cell(0.05), amplicon_bp=200_000)
    assert bins_only > 4
    tiled = detectable_cn(called_cell(0.05), ERBB2, 2.0, at_gene(200_000), min_bins=3, penalty=3.0,
                          tiling=quiet_tiles())
    assert tiled == 4
    # 50 kb is 2 tiles, 3 short of a tile segment: diluted in the tiles as well, less than in the bins
    short = detectable_cn(called_cell(0.05), ERBB2, 2.0, at_gene(50_000), min_bins=3, penalty=3.0,
                          tiling=quiet_tiles())
    assert 4 < short < limit(called_cell(0.05), amplicon_bp=50_000)


def test_status_limit_takes_erbb2s_tiles_from_the_called_windows() -> None:
    tiling = quiet_tiles()
    windows = tiling.tiles.assign(chrom="chr17", window="ERBB2")
    regions = pd.DataFrame({"name": ["ERBB2"], "chrom": [ERBB2[0]], "start": [ERBB2[1]], "end": [ERBB2[2]]})
    status = {"type": "ctc", "her2_status": "negative", "chr17_ref_cn": 2.0, "ploidy": 2.0}
    without = status_limit(status, called_cell(0.05), regions, at_gene(200_000), 3, 3.0)
    with_tiles = status_limit(status, called_cell(0.05), regions, at_gene(200_000), 3, 3.0, windows, 5)
    assert with_tiles == 4 < without


def egfr_limit(bins: pd.DataFrame, ploidy: float = 2.0, min_fold: float = 1.6) -> float:
    return egfr_detectable_cn(bins, EGFR, ploidy, min_fold, at_gene(), min_bins=3, penalty=3.0)


def test_egfr_limit_is_the_smallest_amplified_copy_number() -> None:
    cell = called_cell(0.05, chroms=("chr1", "chr7", "chr17"))
    # amplified from 1.6 times the ploidy: 3.2 copies at ploidy 2, i.e. 4; 4.8 at 3, i.e. 5
    assert egfr_limit(cell) == 4
    assert egfr_limit(cell, ploidy=3.0) == 5
    assert egfr_limit(cell, min_fold=3.0) == 6
    noisy = [egfr_limit(called_cell(0.9, seed, chroms=("chr1", "chr7", "chr17"))) for seed in range(1, 6)]
    assert all(value > 4 for value in noisy)
    assert math.isnan(egfr_limit(called_cell(0.05)))  # no chr7 bins
    assert math.isnan(egfr_limit(cell, ploidy=math.nan))


def test_only_cells_called_not_amplified_get_an_egfr_limit() -> None:
    bins = called_cell(0.05, chroms=("chr1", "chr7", "chr17"))
    regions = pd.DataFrame({"name": ["EGFR"], "chrom": [EGFR[0]], "start": [EGFR[1]], "end": [EGFR[2]]})
    row = {"type": "wbc", "egfr_amplified": False, "ploidy": 2.0}
    assert egfr_status_limit(row, bins, regions, 1.6, at_gene(), 3, 3.0) == 4
    assert egfr_status_limit({**row, "egfr_amplified": np.False_}, bins, regions, 1.6, at_gene(), 3, 3.0) == 4
    for other in ({"type": "primary"}, {"egfr_amplified": True}, {"egfr_amplified": "not_assessable"}):
        assert math.isnan(egfr_status_limit({**row, **other}, bins, regions, 1.6, at_gene(), 3, 3.0))
    assert math.isnan(egfr_status_limit(row, bins, regions.assign(name="ERBB2"), 1.6, at_gene(), 3, 3.0))


@pytest.mark.parametrize("noise", [0.3, 0.9])
def test_an_amplicon_the_call_missed_does_not_lower_the_limit(noise: float) -> None:
    # the limit is the gain the cell's background would show: a 10-copy
    # amplicon already in the gene's bins (missed by the call, so the bins'
    # segment stays at 2) must not make a gain of 4 look detectable
    for seed in range(1, 5):
        plain = called_cell(noise, seed)
        carrier = plain.copy()
        window = (carrier["chrom"] == "chr17") & carrier["start"].between(45 * BIN_BP, 54 * BIN_BP)
        carrier.loc[window, "ratio"] *= 5
        carrier.loc[window, "log2"] = np.log2(carrier.loc[window, "ratio"])
        carrier.loc[window, "cn_bin"] *= 5
        assert limit(carrier) == limit(plain)


def test_the_background_beside_a_run_comes_from_before_it_or_after_it() -> None:
    from ctc_profiler.copy_number.detection_limit import beside

    values = np.arange(10.0)
    inside = np.zeros(10, bool)
    inside[4:6] = True
    assert list(beside(values, inside)) == [0, 1, 2, 3, 2, 3, 6, 7, 8, 9]
    inside = np.zeros(10, bool)
    inside[0:2] = True
    assert list(beside(values, inside)) == [2, 3, 2, 3, 4, 5, 6, 7, 8, 9]
    assert list(beside(values, np.zeros(10, bool))) == list(values)
    # a bin without reads is passed over, unless the run holds one itself
    gappy = np.array([1.0, 2.0, 0.0, 3.0, 9.0, 9.0, 4.0])
    run = np.array([False, False, False, False, True, True, False])
    assert list(beside(gappy, run)) == [1, 2, 0, 3, 2, 3, 4]
    gappy[4] = 0.0
    assert list(beside(gappy, run)) == [1, 2, 0, 3, 0, 3, 4]


def test_the_search_finds_the_first_gain_that_shows_in_few_trials() -> None:
    from ctc_profiler.copy_number.detection_limit import MAX_CN, first_showing

    for first in (4, 5, 9, 23, MAX_CN):
        tried: list[int] = []
        assert first_showing(lambda cn: tried.append(cn) or cn >= first, 4) == first
        assert len(tried) <= 10
    tried = []
    assert first_showing(lambda cn: tried.append(cn) or cn >= 4, 4) == 4 and tried == [4]
    assert math.isinf(first_showing(lambda cn: False, 4))


def test_other_places_lie_spread_along_the_chromosome_at_the_genes_copy_number() -> None:
    from ctc_profiler.copy_number.detection_limit import other_places

    chr17 = called_cell(0.05).query("chrom == 'chr17'").reset_index(drop=True)
    gene = ERBB2[1:]
    places = other_places(chr17, gene, 1_000_000, 4, 2.0)
    assert len(places) == 4
    assert all(end - start == gene[1] - gene[0] for start, end in places)
    centres = [(start + end) // 2 for start, end in places]
    assert all(abs(c - sum(gene) // 2) >= 1_000_000 for c in centres)
    assert min(centres) < 2_000_000 and max(centres) > 8_000_000  # both ends of a 10 Mb chromosome
    # a stretch at another copy number is passed over
    gained = chr17.assign(cn=np.where(chr17["start"] < 3_000_000, 3.0, 2.0))
    assert all(start >= 3_000_000 for start, _ in other_places(gained, gene, 1_000_000, 20, 2.0))
    assert other_places(chr17, gene, 1_000_000, 0, 2.0) == []


def swinging_cell(sd: float, seed: int) -> pd.DataFrame:
    """A diploid cell whose coverage swings over stretches of about 1 Mb (as
    MDA's does) besides its bin-to-bin noise."""
    bins = called_cell(0.2, seed, n_bins=300)
    rng = np.random.default_rng(seed + 100)
    swing = np.convolve(rng.normal(0, sd, len(bins) + 9), np.ones(10) / np.sqrt(10), mode="valid")
    bins["log2"] += swing
    bins["ratio"] = 2 ** bins["log2"]
    bins["cn_bin"] = 2 * bins["ratio"]
    return bins


def test_a_gain_at_the_stated_limit_shows_in_a_cell_whose_coverage_swings() -> None:
    # the real amplicon sits on the gene's own bins, whose swing the bins beside
    # them need not share: a limit from the gene's neighbours alone misses more
    # amplicons at that limit than one taken over other places of the chromosome
    from ctc_profiler.copy_number.detection_limit import amplicon_fractions, gene_cn_with_gain
    from ctc_profiler.copy_number.segmentation import noise_sd

    def shows(bins: pd.DataFrame, cn: float) -> bool:
        chr17 = bins[bins["chrom"] == "chr17"].reset_index(drop=True)
        fractions = amplicon_fractions(chr17, 50 * BIN_BP - 460_000, 50 * BIN_BP + 540_000)
        sd = noise_sd(bins["log2"].to_numpy())
        called = gene_cn_with_gain(chr17, fractions, 2.0, cn, 2.0, sd, 3, 3.0, ERBB2[1:])
        return called >= 4

    missed = {"gene alone": 0, "places": 0}
    stated_at = {"gene alone": [], "places": []}
    for seed in range(1, 41):
        bins = swinging_cell(0.35, seed)
        for name, setting in (("gene alone", at_gene()), ("places", DetectionLimit())):
            stated = detectable_cn(bins, ERBB2, 2.0, setting, min_bins=3, penalty=3.0)
            missed[name] += math.isfinite(stated) and not shows(bins, stated)
            stated_at[name].append(stated)
    # measured: 0 and 12 of 40, the limits 5.9 and 4.3 copies on average
    assert missed["places"] <= 2 < missed["gene alone"]
    assert np.mean(stated_at["places"]) < 7
    # a quiet cell's limit stays at the first positive level
    assert detectable_cn(called_cell(0.05, n_bins=300), ERBB2, 2.0, DetectionLimit(), 3, 3.0) == 4


def test_places_raise_the_limit_by_how_much_worse_than_the_genes_own_bins_they_are() -> None:
    from ctc_profiler.copy_number.detection_limit import place_excess

    assert place_excess(6, [6, 7, 6], 1.0) == 1
    assert place_excess(6, [5, 6], 1.0) == 0
    assert math.isinf(place_excess(6, [6, math.inf], 1.0))
    assert place_excess(math.inf, [math.inf], 1.0) == 0  # the bins see nothing: the tiles' limit stands
    # a quiet cell keeps what its tiles show, though its bins alone need more at every place
    cell = called_cell(0.05, n_bins=300)
    tiled = detectable_cn(cell, ERBB2, 2.0, DetectionLimit(200_000), min_bins=3, penalty=3.0, tiling=quiet_tiles())
    bins_only = detectable_cn(cell, ERBB2, 2.0, DetectionLimit(200_000), min_bins=3, penalty=3.0)
    assert tiled == 4 < bins_only
