"""How far a gene's gain stands above what the cell's own noise makes: a z.

The gene's window (the usable bins overlapping `copy_number.detection_limit.
amplicon_bp` centred on the gene, at least the bin it lies in; `n` bins) is
compared with its reference level: the median log2 ratio of the chr17
reference region for ERBB2, of all usable autosomal bins (the ploidy's level)
for EGFR. The noise it is set against is measured on the cell itself: the
spread (1.4826 x MAD) of the means of every run of `n` neighbouring bins about
their chromosome's median, over the usable autosomal bins. Noise shared
between neighbouring bins (MDA's long coverage swings) widens that spread
exactly as it widens the gains noise can fake, where a per-bin SD / sqrt(n)
would not; real arm-level changes widen it a little too, which errs towards
fewer positives. The window is fixed before looking at the data: the gene's
segment, whose ends the segmentation puts where the noise is most extreme,
read 4 or more of these units in 2 of 40 simulated noisy cells without any
gain (tests/test_gain_evidence.py).

A cell whose profile fails only on MAPD or Gini (`qc.ProfileQc.noisy`)
keeps a positive ERBB2 or EGFR call only at z >= `copy_number.noisy_cell_min_z`
(`assessability`). A gain narrower than the window is diluted in it, so its
z understates it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ctc_profiler.copy_number.profile import fit_bins

MAD_SD = 1.4826


def gene_window(bins: pd.DataFrame, gene: tuple[str, int, int], width_bp: int) -> pd.DataFrame:
    """The usable bins overlapping `width_bp` centred on the gene, or the bin
    nearest its middle when none does; empty when its chromosome has none."""
    chrom, start, end = gene
    usable = bins[(bins["chrom"] == chrom) & bins["use"] & np.isfinite(bins["log2"])]
    if usable.empty:
        return usable
    middle = (start + end) / 2
    inside = usable[(usable["start"] < middle + width_bp / 2) & (usable["end"] > middle - width_bp / 2)]
    if len(inside):
        return inside
    centres = (usable["start"] + usable["end"]).to_numpy() / 2
    return usable.iloc[[int(np.argmin(np.abs(centres - middle)))]]


def run_mean_spread(bins: pd.DataFrame, n: int) -> float:
    """Robust SD of the means of `n` neighbouring usable autosomal bins about
    their chromosome's median log2; NaN when no chromosome holds `n` bins."""
    fit = bins[fit_bins(bins) & np.isfinite(bins["log2"])]
    deviations = []
    kernel = np.ones(n) / n
    for _, chrom in fit.groupby("chrom", sort=False):
        log2 = chrom["log2"].to_numpy(dtype=float)
        if len(log2) >= n:
            deviations.append(np.convolve(log2, kernel, mode="valid") - np.median(log2))
    if not deviations:
        return math.nan
    pooled = np.concatenate(deviations)
    return float(MAD_SD * np.median(np.abs(pooled - np.median(pooled))))


def gain_z(bins: pd.DataFrame, gene: tuple[str, int, int], reference_log2: float, width_bp: int) -> float:
    """z of the gene's window over `reference_log2` against the cell's own
    run-mean noise; NaN where either cannot be measured.

    bins: a sample's called bins (`profile.call_profile`), with log2 and use."""
    window = gene_window(bins, gene, width_bp)
    if window.empty or not math.isfinite(reference_log2):
        return math.nan
    spread = run_mean_spread(bins, len(window))
    if not spread > 0:
        return math.nan
    return (float(window["log2"].mean()) - reference_log2) / spread


def region_log2(bins: pd.DataFrame, region: tuple[str, int, int]) -> float:
    """Median log2 ratio of the usable bins overlapping a region; NaN without any."""
    chrom, start, end = region
    inside = bins[(bins["chrom"] == chrom) & (bins["start"] < end) & (bins["end"] > start) & bins["use"]
                  & np.isfinite(bins["log2"])]
    return float(np.median(inside["log2"])) if len(inside) else math.nan


def genome_log2(bins: pd.DataFrame) -> float:
    """Median log2 ratio of the usable autosomal bins: the ploidy's level."""
    values = bins.loc[fit_bins(bins), "log2"].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    return float(np.median(values)) if len(values) else math.nan


def erbb2_z(bins: pd.DataFrame, erbb2: tuple[str, int, int] | None, chr17_ref: tuple[str, int, int] | None,
            width_bp: int) -> float:
    """ERBB2's window against the chr17 reference region."""
    if erbb2 is None or chr17_ref is None:
        return math.nan
    return gain_z(bins, erbb2, region_log2(bins, chr17_ref), width_bp)


def egfr_z(bins: pd.DataFrame, egfr: tuple[str, int, int] | None, width_bp: int) -> float:
    """EGFR's window against the genome's median level."""
    return math.nan if egfr is None else gain_z(bins, egfr, genome_log2(bins), width_bp)
