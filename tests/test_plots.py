"""Copy-number figures at a human genome's scale: a focal amplicon of one or
two 500 kb bins among 6,000 shows in the drawn heatmap wherever it sits, and
copy numbers above the scale are marked, not silently clipped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ctc_profiler.copy_number.plots import (
    MAX_COLUMNS,
    columns_by_deviation,
    plot_heatmap,
    plot_no_profile,
    plot_profile,
    row_order,
)

BINS = 6000


@pytest.mark.parametrize("position", [0, 17, 811, 2999, 3001, 4444, 5998])
@pytest.mark.parametrize("width", [1, 2])
def test_a_focal_amplicon_shows_at_every_position(position: int, width: int) -> None:
    matrix = np.full((3, BINS), 2.0)
    matrix[1, position:position + width] = 25.0
    matrix[2, position] = 0.0  # a one-bin loss beside it, in another cell
    drawn, starts = columns_by_deviation(matrix)
    assert drawn.shape == (3, MAX_COLUMNS) and len(starts) == MAX_COLUMNS
    assert (drawn[1] == 25.0).sum() >= 1 and (drawn[2] == 0.0).sum() == 1
    assert (drawn[0] == 2.0).all()


def test_masked_bins_stay_missing_only_where_a_column_has_nothing_else() -> None:
    matrix = np.full((1, BINS), np.nan)
    matrix[0, 7] = 3.0
    drawn, _ = columns_by_deviation(matrix)
    assert drawn[0, 1] == 3.0 and np.isnan(drawn[0, 0]) and np.isnan(drawn[0, 2:]).all()


def test_a_small_genome_is_drawn_bin_by_bin() -> None:
    matrix = np.arange(12, dtype=float).reshape(2, 6)
    drawn, starts = columns_by_deviation(matrix)
    assert np.array_equal(drawn, matrix) and list(starts) == list(range(6))


def profile(cn: float) -> pd.DataFrame:
    starts = np.arange(0, 500_000 * 400, 500_000)
    bins = pd.DataFrame({"chrom": ["chr17"] * 200 + ["chr7"] * 200, "start": np.r_[starts[:200], starts[:200]]})
    bins["end"] = bins["start"] + 500_000
    bins["use"] = True
    bins["cn"] = 2.0
    bins["cn_bin"] = 2.0
    bins.loc[78:79, ["cn", "cn_bin"]] = cn
    return bins


def test_figures_are_written_with_copy_numbers_above_the_scale(tmp_path: Path) -> None:
    genes = pd.DataFrame({"chrom": ["chr17", "chr17", "chr7"], "start": [39_687_913, 40_388_524, 55_019_016],
                          "end": [39_730_426, 40_417_896, 55_211_628], "name": ["ERBB2", "TOP2A", "EGFR"]})
    regions = pd.DataFrame({"chrom": ["chr17", "chr7"], "start": [27_000_000, 66_000_000],
                            "end": [33_000_000, 72_000_000], "name": ["chr17_ref", "chr7_ref"]})
    plot_profile(profile(25.0), genes, "CTC01", tmp_path / "profile.png", regions)
    plot_profile(profile(25.0).query("chrom == 'chr17'"), genes, "chr17 only", tmp_path / "chr17.png")
    plot_heatmap([("CTC01", profile(25.0)), ("WBC01", profile(2.0))], genes, "P1", tmp_path / "heatmap.png")
    tree = pd.DataFrame({"patient": "P1", "merge": ["merge1", "merge2"], "left": ["CTC02", "CTC01"],
                         "right": ["CTC03", "merge1"], "height": [0.02, 0.3], "cells": [2, 3]})
    plot_heatmap([("WBC01", profile(2.0)), ("CTC01", profile(25.0)), ("CTC02", profile(2.0)),
                  ("CTC03", profile(2.0))], genes, "P1", tmp_path / "tree.png", tree=tree,
                 names=["WBC01", "CTC01", "CTC02", "CTC03"], cut=0.05)
    plot_no_profile("CTC04", "the copy-number call failed", tmp_path / "none.png")
    for name in ("profile.png", "chr17.png", "heatmap.png", "tree.png", "none.png"):
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"


def test_heatmap_rows_put_controls_first_and_alike_ctcs_together() -> None:
    plain, amplified = profile(2.0), profile(12.0)
    types = ["ctc", "wbc", "ctc", "primary", "ctc", "ctc"]
    rows = [amplified, plain, plain, plain, amplified, plain]
    order = row_order(types, rows)
    assert order[:2] == [3, 1]  # the primary, then the WBC
    ctcs = order[2:]
    assert sorted(ctcs) == [0, 2, 4, 5]
    # the two amplified CTCs (0, 4) side by side, the plain ones (2, 5) too
    assert abs(ctcs.index(0) - ctcs.index(4)) == 1 and abs(ctcs.index(2) - ctcs.index(5)) == 1
    assert row_order(["ctc", "ctc"], [plain, amplified]) == [0, 1]


def test_heatmap_rows_follow_the_clone_tree() -> None:
    from ctc_profiler.copy_number.plots import rows_by_clone

    types = ["ctc", "primary", "ctc", "wbc", "ctc", "ctc"]
    names = ["A", "P", "B", "W", "C", "D"]
    # clones.tsv order: C then A (one clone), B; D (failed) is not in it
    assert rows_by_clone(types, names, ["C", "A", "B"]) == [1, 3, 4, 0, 2, 5]
