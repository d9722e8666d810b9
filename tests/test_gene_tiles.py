"""A gene's copy number from its tiles, segmented finer than the bins, where a
focal amplicon is diluted in its bins and merged into its neighbours' segment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import BIN_BP as BIN
from conftest import genome_bins
from ctc_profiler.copy_number.gene_tiles import (
    apply_windows,
    called_genes,
    split_windows,
    takes_tiles,
    tile_segment,
)
from ctc_profiler.copy_number.profile import CallSettings, call_profile, corrected_profile, reference_profile
from ctc_profiler.copy_number.qc import QcThresholds

AMPLICON = (965_000, 1_165_000)  # 200 kb: 35%, 100% and 65% of three bins
ERBB2 = (992_000, 1_035_000)
TILE = 25_000  # ERBB2 (43 kb) is its own window, flanked by 25 kb tiles out to 700 kb
REGIONS = pd.DataFrame({"chrom": ["chr17", "chr17"], "start": [ERBB2[0], 700_000], "end": [ERBB2[1], 900_000],
                        "name": ["ERBB2", "chr17_ref"]})


def bins_and_windows() -> tuple[pd.DataFrame, pd.DataFrame]:
    bins = genome_bins({"chr1": 150, "chr7": 60, "chr17": 30}, np.random.default_rng(2), gc=(0.38, 0.55))
    starts = [*range(ERBB2[0] - 28 * TILE, ERBB2[0], TILE), ERBB2[0], *range(ERBB2[1], ERBB2[1] + 28 * TILE, TILE)]
    ends = [*starts[1:28], ERBB2[0], ERBB2[1], *[start + TILE for start in starts[29:]]]
    windows = pd.DataFrame({"chrom": "chr17", "start": starts, "end": ends,
                            "gc": np.random.default_rng(3).uniform(0.38, 0.55, len(starts)),
                            "n_fraction": 0.0, "window": "ERBB2"})
    return bins, windows


def copies(frame: pd.DataFrame, amplified: int | None) -> np.ndarray:
    """Mean copy number over each interval: 3 on chr17 from 600 kb (an arm
    gain), `amplified` over the amplicon, 2 elsewhere; 2 everywhere for None."""
    start, end = frame["start"].to_numpy(), frame["end"].to_numpy()
    if amplified is None:
        return np.full(len(frame), 2.0)
    on17 = (frame["chrom"] == "chr17").to_numpy()
    base = np.where(on17 & (start >= 600_000), 3.0, 2.0)
    inside = np.clip(np.minimum(end, AMPLICON[1]) - np.maximum(start, AMPLICON[0]), 0, None) / (end - start)
    return np.where(on17, base + inside * (amplified - base), base)


def sample(amplified: int | None, seed: int, reads_per_copy_bin: float = 150.0) -> pd.DataFrame:
    """Profile of one cell (Poisson reads) with its gene window; None: a WBC."""
    bins, windows = bins_and_windows()
    rng = np.random.default_rng(seed)
    scale = reads_per_copy_bin / BIN
    counts = bins[["chrom", "start", "end"]].assign(
        reads=rng.poisson(copies(bins, amplified) * scale * (bins["end"] - bins["start"])))
    window_counts = windows[["chrom", "start", "end"]].assign(
        reads=rng.poisson(copies(windows, amplified) * scale * (windows["end"] - windows["start"])))
    return corrected_profile(bins, counts, QcThresholds(), windows, window_counts)[0]


def gene_table(profile: pd.DataFrame, references: list[pd.DataFrame], tiles: bool = True) -> pd.DataFrame:
    called, _, ploidy, _ = call_profile(profile, reference_profile(references), None, CallSettings())
    bins, windows = split_windows(called)
    return called_genes(bins, windows if tiles else windows.iloc[:0], REGIONS, ploidy, min_tiles=5,
                        penalty=3.0).set_index("gene")


def wbc(seed: int) -> pd.DataFrame:
    return sample(None, seed)


def test_windows_tile_the_gene_and_its_flanks() -> None:
    _, windows = bins_and_windows()
    assert len(windows) == 57 and (windows["start"].to_numpy()[1:] == windows["end"].to_numpy()[:-1]).all()


def test_focal_amplicon_across_bins_is_found_by_its_tiles() -> None:
    references = [wbc(10), wbc(11)]
    segments_only = gene_table(sample(10, seed=1), references, tiles=False)
    assert segments_only.loc["ERBB2", "cn_estimate"] < 8  # diluted across bins, merged with neighbours
    assert segments_only.loc["ERBB2", "source"] == "segment"
    genes = gene_table(sample(10, seed=1), references)
    erbb2 = genes.loc["ERBB2"]
    # the tiles from 292 kb: 2 copies, the arm gain's 3 from 600 kb, the amplicon, 3 again
    assert erbb2["source"] == "window" and erbb2["window_segments"] == 4
    assert erbb2["cn"] == pytest.approx(10, abs=1)
    assert erbb2["window_tiles"] == pytest.approx(8, abs=1)  # 200 kb of 25 kb tiles
    assert erbb2["segment_cn"] == segments_only.loc["ERBB2", "cn"]
    assert genes.loc["chr17_ref", "cn"] == 3 and genes.loc["chr17_ref", "source"] == "segment"


def test_tiles_without_a_change_point_leave_the_segment_value() -> None:
    references = [wbc(10), wbc(11)]
    erbb2 = gene_table(wbc(12), references).loc["ERBB2"]
    assert erbb2["source"] == "segment" and erbb2["cn"] == 2
    assert erbb2["window_segments"] == 1 and erbb2["window_tiles"] == 57
    assert erbb2["window_cn"] == pytest.approx(2, abs=0.3)


def test_tile_segment_holds_the_centre_even_in_a_masked_tile() -> None:
    log2 = np.r_[np.zeros(10), np.full(6, 2.0), np.zeros(10)]
    tiles = pd.DataFrame({"start": np.arange(26) * 10, "end": np.arange(26) * 10 + 10, "log2": log2})
    assert tile_segment(tiles, 125, sd=0.1, min_tiles=3, penalty=3.0) == (slice(10, 16), 3)
    assert tile_segment(tiles, 5, sd=0.1, min_tiles=3, penalty=3.0) == (slice(0, 10), 3)
    gap = tiles.drop(index=12).reset_index(drop=True)  # the centre's tile was masked: its neighbours' segment
    assert tile_segment(gap, 125, sd=0.1, min_tiles=3, penalty=3.0) == (slice(10, 15), 3)
    assert tile_segment(tiles, 125, sd=10.0, min_tiles=3, penalty=3.0) == (slice(0, 26), 1)


def test_without_windows_the_gene_table_keeps_its_segment_values() -> None:
    profile = sample(10, seed=1)
    plain = profile[profile["window"] == ""].drop(columns="window")
    called, _, _, _ = call_profile(plain, None, None, CallSettings())
    bins, windows = split_windows(called)
    assert windows.empty
    genes = called_genes(bins, windows, REGIONS, 2.0, 5, 3.0)
    assert genes["source"].tolist() == ["segment", "segment"] and np.isnan(genes["window_cn"]).all()


def test_status_row_says_where_erbb2_came_from() -> None:
    from ctc_profiler.copy_number.qc import ProfileQc
    from ctc_profiler.copy_number.sample_summary import status_row

    references = [wbc(10), wbc(11)]
    genes = gene_table(sample(10, seed=1), references).reset_index()
    qc = ProfileQc(reads=100_000, median_reads_per_bin=300, mapd=0.2, gini=0.1, qc_pass=True, qc_reason="")
    row = status_row({"patient": "P", "sample": "C", "type": "ctc", "wga": "PicoPLEX"}, "W1,W2", qc,
                     2.3, genes, 1.6)
    assert row["erbb2_source"] == "window" and row["her2_status"] == "positive"
    plain = status_row({"patient": "P", "sample": "C", "type": "ctc", "wga": "PicoPLEX"}, "W1,W2", qc,
                       2.0, gene_table(wbc(12), references).reset_index(), 1.6)
    assert plain["erbb2_source"] == "segment" and plain["her2_status"] == "negative"


def test_tiles_that_pull_a_gene_back_towards_the_ploidy_are_not_taken() -> None:
    # the bins read a gain of 8; the tiles split, but the gene's tile segment reads 3
    genes = pd.DataFrame({"gene": ["ERBB2", "EGFR"], "cn": [8.0, 2.0], "cn_estimate": [7.8, 2.1]})
    evidence = pd.DataFrame({"gene": ["ERBB2", "EGFR"], "window_cn": [3.2, 0.9], "window_tiles": [6, 9],
                             "window_segments": [3, 3]})
    table = apply_windows(genes, evidence, ploidy=2.2).set_index("gene")
    assert table.loc["ERBB2", "source"] == "segment" and table.loc["ERBB2", "cn"] == 8
    assert table.loc["EGFR", "source"] == "window" and table.loc["EGFR", "cn"] == 1  # a loss the bins diluted
    assert takes_tiles(np.array([3, 3]), np.array([10.0, 2.0]), np.array([7.0, 2.0]), 2.0).tolist() == [True, True]
    assert not takes_tiles(np.array([3]), np.array([np.nan]), np.array([3.0]), 2.0)[0]
