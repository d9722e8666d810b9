"""A gene's gain against the cell's own noise (z), and what a noisy cell may
still call with it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import BIN_BP as BIN
from conftest import genome_bins
from ctc_profiler.copy_number.gain_evidence import gene_window, run_mean_spread
from ctc_profiler.copy_number.sample_call import SampleCallSettings, sample_call

CHROMS = {"chr1": 240, "chr2": 220, "chr7": 150, "chr17": 80}
REGIONS = pd.DataFrame({"chrom": ["chr17", "chr17", "chr7", "chr7"],
                        "start": [50 * BIN + 5000, 10 * BIN, 60 * BIN + 10_000, 100 * BIN],
                        "end": [50 * BIN + 47_000, 25 * BIN, 60 * BIN + 90_000, 120 * BIN],
                        "name": ["ERBB2", "chr17_ref", "EGFR", "chr7_ref"]})
CELL = {"patient": "P", "sample": "C", "type": "ctc", "wga": "MDA", "purity": float("nan")}


def swings(n: int, rng: np.random.Generator, sd: float, reach: int) -> np.ndarray:
    """log2 coverage swings shared by neighbouring bins over about `reach`
    bins, as MDA makes (AR(1) with that correlation length)."""
    phi = math.exp(-1 / reach)
    noise = np.empty(n)
    noise[0] = rng.normal(0, sd)
    for i in range(1, n):
        noise[i] = phi * noise[i - 1] + rng.normal(0, sd * math.sqrt(1 - phi**2))
    return noise


def cell_counts(bins: pd.DataFrame, rng: np.random.Generator, sd: float, reach: int = 3,
                amplicon: tuple[str, int, int, float] | None = None) -> pd.DataFrame:
    copies = np.full(len(bins), 2.0)
    if amplicon is not None:
        chrom, first, last, cn = amplicon
        copies[((bins["chrom"] == chrom) & bins["start"].between(first * BIN, last * BIN)).to_numpy()] = cn
    depth = copies / 2 * 400 * 2 ** swings(len(bins), rng, sd, reach)
    return bins[["chrom", "start", "end"]].assign(reads=rng.poisson(depth))


def test_the_gene_window_is_fixed_by_position_not_by_the_data() -> None:
    bins = pd.DataFrame({"chrom": ["chr17"] * 6 + ["chr7"], "start": [0, 100, 200, 300, 400, 500, 0],
                         "end": [100, 200, 300, 400, 500, 600, 100], "use": [True] * 6 + [True],
                         "log2": [0.0, 2.0, 2.0, 0.0, 2.0, 2.0, 2.0]})
    assert list(gene_window(bins, ("chr17", 240, 260), 200)["start"]) == [100, 200, 300]
    assert list(gene_window(bins, ("chr17", 240, 260), 10)["start"]) == [200]  # at least its own bin
    unusable = bins.assign(use=[True, True, False, True, True, True, True])
    assert list(gene_window(unusable, ("chr17", 240, 260), 10)["start"]) in ([100], [300])  # nearest usable
    assert gene_window(bins, ("chr3", 0, 10), 100).empty


def test_noise_shared_by_neighbouring_bins_widens_the_spread_of_their_means() -> None:
    rng = np.random.default_rng(1)
    bins = genome_bins(CHROMS, rng).assign(use=True)
    independent = bins.assign(log2=rng.normal(0, 0.3, len(bins)))
    shared = bins.assign(log2=swings(len(bins), rng, 0.3, 10))
    # same per-bin SD; means of 4 bins: 0.15 when independent, nearly 0.3 when shared
    assert run_mean_spread(independent, 4) == pytest.approx(0.15, rel=0.2)
    assert run_mean_spread(shared, 4) > 1.6 * run_mean_spread(independent, 4)
    assert math.isnan(run_mean_spread(bins.assign(log2=0.0).head(3), 4))


def test_a_clean_cells_amplicon_has_a_large_z_and_its_calls_are_unchanged() -> None:
    rng = np.random.default_rng(2)
    bins = genome_bins(CHROMS, rng)
    counts = cell_counts(bins, rng, 0.1, amplicon=("chr17", 48, 53, 10.0))
    call = sample_call(CELL, bins, counts, None, None, REGIONS, SampleCallSettings())
    assert call.status["cn_qc"] == "pass" and call.status["her2_status"] == "positive"
    assert call.status["erbb2_z"] > 10
    assert abs(call.status["egfr_z"]) < 3


def test_a_noisy_cell_keeps_a_large_amplicon_and_is_no_negative_beyond_its_limit() -> None:
    rng = np.random.default_rng(3)
    bins = genome_bins(CHROMS, rng)
    settings = SampleCallSettings()
    amplified = sample_call(CELL, bins, cell_counts(bins, rng, 1.0, amplicon=("chr17", 46, 55, 20.0)), None, None,
                            REGIONS, settings)
    status = amplified.status
    assert not status["qc_pass"] and status["cn_qc"] == "noisy" and "Gini" in status["qc_reason"]
    assert status["erbb2_z"] >= settings.noisy_cell_min_z and status["her2_status"] == "positive"
    # the same cell's noise without the amplicon: never positive, and negative only within its limit
    plain = sample_call(CELL, bins, cell_counts(bins, rng, 1.2), None, None, REGIONS, settings).status
    assert plain["cn_qc"] == "noisy" and plain["her2_status"] != "positive"
    if plain["her2_status"] == "negative":
        assert float(plain["erbb2_detectable_cn"]) <= settings.max_detectable_cn


def test_noise_alone_makes_no_gain_that_a_noisy_cell_keeps() -> None:
    # 40 noisy cells without any amplicon: none keeps a HER2-positive or
    # EGFR-amplified call (each cell's z is measured against its own swings)
    rng = np.random.default_rng(4)
    bins = genome_bins(CHROMS, rng)
    statuses = [sample_call(CELL, bins, cell_counts(bins, rng, 1.2), None, None, REGIONS,
                            SampleCallSettings(), limits=False).status for _ in range(40)]
    assert all(s["cn_qc"] == "noisy" for s in statuses)
    assert not [s for s in statuses if s["her2_status"] in ("positive", "equivocal")]
    assert not [s for s in statuses if s["egfr_amplified"] is True]
    # without limits, a noisy cell's negative cannot be vouched for
    assert {s["her2_status"] for s in statuses} <= {"indeterminate"}


def test_a_bulk_sample_failing_on_noise_fails() -> None:
    rng = np.random.default_rng(5)
    bins = genome_bins(CHROMS, rng)
    bulk = {**CELL, "type": "primary", "wga": "none"}
    status = sample_call(bulk, bins, cell_counts(bins, rng, 1.2), None, None, REGIONS, SampleCallSettings(),
                         limits=False).status
    assert status["cn_qc"] == "fail" and status["her2_status"] == "not_assessable"
