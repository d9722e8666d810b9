"""A sample's copy-number profile from read counts per bin: GC correction,
normalisation to a reference, segmentation and integer copy number.

The ratio is the sample's read density over its reference samples' (the
patient's WBCs of the same kit, or bulk normals), which removes the bias the
kit shares between cells without fitting it on the sample itself, or over a
flat reference; only the sample's own remaining GC trend is then removed,
learnt within segments. Correcting a cell by its own lowess first took part
of every gain on high-GC bins for GC bias: on the PicoPLEX accuracy grid
ERBB2 at true 6 and 10 came out -0.75 and -1.08 copies short on average,
against -0.42 and -0.08 this way (docs/decisions/accuracy_history.md, "Normalisation by the
reference"). A reference of a few cells also brings their own noise: the
sample keeps whichever ratio, to its reference or flat, is the less noisy
(`normalised_ratio`; docs/decisions/accuracy_history.md, "Choosing the reference per cell")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ctc_profiler.copy_number.bins import is_sex_chromosome
from ctc_profiler.copy_number.gc import gc_correct, gc_trend_within_segments
from ctc_profiler.copy_number.ploidy import MIN_RATIO, fit_ploidy, integer_copy_number, tumour_copy_number
from ctc_profiler.copy_number.qc import ProfileQc, QcThresholds, assess
from ctc_profiler.copy_number.segmentation import noise_sd, segment, segment_values

MIN_REFERENCE = 0.1  # reference bins weaker than this carry no information


@dataclass(frozen=True)
class Normalisation:
    """Which ratio a sample kept, and the noise of each (robust SD of the
    bins' log2 ratios; NaN where there was no reference)."""

    to_reference: bool
    reference_noise: float
    self_noise: float


class CalledProfile(NamedTuple):
    bins: pd.DataFrame
    segments: pd.DataFrame
    ploidy: float
    normalisation: Normalisation


@dataclass(frozen=True)
class CallSettings:
    """From the config by `sample_call.SampleCallSettings.call`."""

    min_segment_bins: int = 3
    penalty: float = 3.0
    qc: QcThresholds = QcThresholds()


def finite_median(values: np.ndarray) -> float:
    """Median of the finite values; NaN (without a warning) when there are none."""
    values = values[np.isfinite(values)]
    return float(np.median(values)) if len(values) else float("nan")


def sex_chromosomes(chroms: pd.Series) -> pd.Series:
    """Whether each row's contig is X or Y (tested once per contig, not per bin)."""
    return chroms.isin([c for c in chroms.unique() if is_sex_chromosome(c)])


def fit_bins(profile: pd.DataFrame) -> np.ndarray:
    """Usable autosomal bins: what medians and trends are learnt from."""
    return (profile["use"] & ~sex_chromosomes(profile["chrom"])).to_numpy()


def median_scaled(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Values over their median in `mask`; all NaN when that median is not
    positive (a sample with reads in fewer than half its bins has no scale)."""
    median = finite_median(values[mask])
    return values / median if median > 0 else np.full(values.shape, np.nan)


def read_counts(path: Path | str) -> pd.DataFrame:
    """Reads per bin from rule bin_counts (chrom start end reads; the reads are
    the last column, as in `samtools bedcov -c` output, which older runs hold)."""
    counts = pd.read_csv(path, sep="\t", header=None, dtype={0: str})
    counts = counts.iloc[:, [0, 1, 2, -1]]
    counts.columns = ["chrom", "start", "end", "reads"]
    return counts


def read_density(profile: pd.DataFrame) -> np.ndarray:
    """Reads per base of each bin: capture targets and a contig's last bin differ in length."""
    return profile["reads"].to_numpy(dtype=float) / (profile["end"] - profile["start"]).to_numpy()


def with_windows(bins: pd.DataFrame, windows: pd.DataFrame | None,
                 window_counts: pd.DataFrame | None) -> pd.DataFrame:
    """Bins with the gene windows and their reads appended as unusable rows:
    normalised with the bins, never part of a median, fit or segment."""
    bins = bins.assign(window="")
    if windows is None or windows.empty:
        return bins
    if window_counts is None or len(window_counts) != len(windows) or not (
        window_counts[["chrom", "start", "end"]].to_numpy() == windows[["chrom", "start", "end"]].to_numpy()
    ).all():
        raise ValueError("window read counts and gene windows disagree; rerun the counts")
    rows = windows.assign(blacklisted=0.0, use=False, reads=window_counts["reads"].to_numpy())
    return pd.concat([bins, rows[list(bins.columns)]], ignore_index=True)


def corrected_profile(bins: pd.DataFrame, counts: pd.DataFrame, thresholds: QcThresholds,
                      windows: pd.DataFrame | None = None,
                      window_counts: pd.DataFrame | None = None) -> tuple[pd.DataFrame, ProfileQc]:
    """GC-corrected depth per bin (median 1 over usable autosomal bins) and its
    QC; gene windows, when given, follow the bins as unusable rows."""
    merged = bins.merge(counts, on=["chrom", "start", "end"], how="left", validate="one_to_one")
    if merged["reads"].isna().any():
        missing = merged.loc[merged["reads"].isna(), "chrom"].iloc[0]
        raise ValueError(f"read counts lack bins of {missing}; counts and bins disagree")
    merged = with_windows(merged, windows, window_counts)
    fit = fit_bins(merged)
    merged["corrected"] = gc_correct(read_density(merged), merged["gc"].to_numpy(), fit)
    usable = merged[fit]
    qc = assess(usable["reads"].to_numpy(), usable["corrected"].to_numpy(),
                usable["chrom"].to_numpy(), thresholds)
    return merged, qc


def read_sample_counts(windows: pd.DataFrame, counts: Path | str,
                       window_counts: Path | str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """One sample's `bin_counts` files: reads per bin, and per gene window
    (None without windows: that file is then empty)."""
    return read_counts(counts), read_counts(window_counts) if len(windows) else None


def profile_from_counts(bins: pd.DataFrame, windows: pd.DataFrame, counts: Path | str,
                        window_counts: Path | str,
                        thresholds: QcThresholds) -> tuple[pd.DataFrame, ProfileQc]:
    """`corrected_profile` of one sample from its `bin_counts` files."""
    reads, reads_in_windows = read_sample_counts(windows, counts, window_counts)
    return corrected_profile(bins, reads, thresholds, windows, reads_in_windows)


def relative_density(profile: pd.DataFrame) -> np.ndarray:
    """Reads per base of each bin over its median across the usable autosomal bins."""
    return median_scaled(read_density(profile), fit_bins(profile))


def reference_profile(profiles: list[pd.DataFrame]) -> np.ndarray:
    """Median relative read density per bin across reference samples (e.g. the patient's WBCs)."""
    return median_reference([relative_density(p) for p in profiles])


def median_reference(densities: list[np.ndarray]) -> np.ndarray:
    return np.nanmedian(np.vstack(densities), axis=0)


def ploidy_basis(segments: pd.DataFrame, autosomal: pd.Series, min_bins: int) -> pd.Series:
    """The segments the scale is learnt from: large autosomal ones (>= 1% of
    the genome), so focal events follow from the fit rather than steer it."""
    large = autosomal & (segments["bins"] >= max(min_bins, 0.01 * segments["bins"].sum()))
    return large if large.any() else autosomal


def set_ratio(bins: pd.DataFrame, ratio: np.ndarray) -> None:
    """Store ratio (median 1 over the usable autosomal bins) and log2; bins without one are unusable."""
    ratio = median_scaled(ratio, fit_bins(bins) & np.isfinite(ratio))
    bins["ratio"] = ratio
    bins["log2"] = np.log2(np.clip(ratio, MIN_RATIO, None))
    bins["use"] &= np.isfinite(ratio)


def remaining_gc_trend(bins: pd.DataFrame, ratio: np.ndarray, settings: CallSettings) -> np.ndarray:
    """The GC trend (log2) a ratio to reference samples (or to a flat one)
    still has: the sample's own GC bias beyond theirs, learnt from deviations
    within segments."""
    trial = bins.copy()
    set_ratio(trial, ratio)
    segments = segment(trial, "log2", settings.min_segment_bins, settings.penalty)
    segment_id = segment_values(trial, segments.assign(id=np.arange(len(segments))), "id")
    return gc_trend_within_segments(trial["log2"].to_numpy(), segment_id, trial["gc"].to_numpy(),
                                    fit_bins(trial))


def ratio_to(bins: pd.DataFrame, reference: np.ndarray, settings: CallSettings) -> np.ndarray:
    """The sample's relative read density over a reference's (NaN where the
    reference is too weak to carry information), less its remaining GC trend."""
    weak = ~(reference >= MIN_REFERENCE)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = relative_density(bins) / reference
    ratio[weak] = np.nan
    trial = bins.assign(use=bins["use"] & ~weak)
    return ratio / 2 ** remaining_gc_trend(trial, ratio, settings)


def ratio_noise(bins: pd.DataFrame, ratio: np.ndarray, mask: np.ndarray) -> float:
    """Robust SD of the log2 ratio over the bins of `mask`, as the segmentation measures it."""
    trial = bins.assign(use=bins["use"] & mask)
    set_ratio(trial, ratio)
    return noise_sd(trial.loc[fit_bins(trial), "log2"].to_numpy())


def normalised_ratio(bins: pd.DataFrame, reference: np.ndarray | None,
                     settings: CallSettings) -> tuple[np.ndarray, Normalisation]:
    """The sample's ratio to its reference or to a flat one, whichever is less
    noisy over the bins both cover (the reference on a tie).

    A reference removes the bias its members share with the sample, and adds
    their own noise: two WBCs whose amplification noise is their own add
    about half the cell's noise variance again. Where the shared part is the
    larger, the ratio to the reference is the steadier one."""
    flat = ratio_to(bins, np.ones(len(bins)), settings)
    if reference is None:
        return flat, Normalisation(False, float("nan"), ratio_noise(bins, flat, np.isfinite(flat)))
    to_reference = ratio_to(bins, reference, settings)
    both = np.isfinite(flat) & np.isfinite(to_reference)
    noise = ratio_noise(bins, to_reference, both), ratio_noise(bins, flat, both)
    keep = not noise[1] < noise[0]
    return (to_reference if keep else flat), Normalisation(keep, *noise)


def call_profile(profile: pd.DataFrame, reference: np.ndarray | None, purity: float | None,
                 settings: CallSettings) -> CalledProfile:
    """Ratios, segments and integer copy number of one sample.

    Returns the bins (with ratio, log2, the bin's own copy-number estimate
    cn_bin, and its segment's log2, cn_estimate and integer cn), the
    segments (with cn), the ploidy (mean copy number of autosomal bins) and
    which ratio was kept (`normalised_ratio`).
    """
    bins = profile.copy()
    ratio, normalisation = normalised_ratio(bins, reference, settings)
    set_ratio(bins, ratio)
    segments = segment(bins, "log2", settings.min_segment_bins, settings.penalty)
    purity = 1.0 if purity is None or not np.isfinite(purity) else float(purity)
    autosomal = ~sex_chromosomes(segments["chrom"]) if len(segments) else segments["chrom"]
    basis = ploidy_basis(segments, autosomal, settings.min_segment_bins)
    noise = noise_sd(bins.loc[fit_bins(bins), "log2"].to_numpy())
    fit = fit_ploidy(segments.loc[basis, "ratio"].to_numpy(),
                     segments.loc[basis, "bins"].to_numpy(), purity=purity, noise=noise)
    segments["cn_estimate"] = tumour_copy_number(segments["ratio"].to_numpy(), fit.ploidy, purity)
    segments["cn"] = integer_copy_number(segments["ratio"].to_numpy(), fit.ploidy, purity)
    bins["cn_bin"] = tumour_copy_number(bins["ratio"].to_numpy(), fit.ploidy, purity)
    bins["segment_log2"] = segment_values(bins, segments, "log2")
    bins["cn_estimate"] = segment_values(bins, segments, "cn_estimate")
    bins["cn"] = segment_values(bins, segments, "cn")
    weights = segments.loc[autosomal, "bins"]
    ploidy = float(np.average(segments.loc[autosomal, "cn"], weights=weights)) if weights.sum() else float("nan")
    return CalledProfile(bins, segments, ploidy, normalisation)
