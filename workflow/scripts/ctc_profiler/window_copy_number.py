"""A gene's copy number from the reads over its own window, like an ISH probe.

Bins of 500 kb dilute a 1 Mb amplicon that lies across three of them, and a
segment needs several bins, so a focal ERBB2 gain comes out short or merged
into its neighbours. Each gene therefore also gets its own counting window
(`bins.gene_windows`), normalised exactly as the bins are (same reference,
same GC trend, same scale). The window replaces the segment's copy number
only where the two disagree by more than `min_z` standard deviations of the
window's own noise: Poisson counting in the sample and its reference, plus the
extra (amplification) variance the bins show beyond counting, scaled up when
the window is shorter than a bin. A window of a few dozen reads is noisy, so
where it agrees with the segment the segment's steadier value is kept.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ctc_profiler.segmentation import noise_sd

LOG2_PER_LN = 1 / math.log(2)


def is_window(profile: pd.DataFrame) -> np.ndarray:
    """Rows of a profile that are gene windows rather than bins."""
    if "window" not in profile:
        return np.zeros(len(profile), dtype=bool)
    names = profile["window"]
    return (names.notna() & (names.astype(str) != "")).to_numpy()


def split_windows(profile: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(bins, gene windows) of a profile; the bins without the `window` column."""
    windows = is_window(profile)
    bins = profile[~windows].drop(columns="window", errors="ignore").reset_index(drop=True)
    return bins, profile[windows].reset_index(drop=True)


def reference_reads(profiles: list[pd.DataFrame]) -> tuple[np.ndarray | None, float | None]:
    """Reference samples' mean reads in each window and median reads per usable bin."""
    if not profiles or not is_window(profiles[0]).any():
        return None, None
    windows = np.mean([p.loc[is_window(p), "reads"].to_numpy(dtype=float) for p in profiles], axis=0)
    bins = float(np.median([p.loc[~is_window(p) & p["use"], "reads"].median() for p in profiles]))
    return windows, bins


def counting_variance(reads: np.ndarray, reference_reads: np.ndarray | None,
                      references: int) -> np.ndarray:
    """Poisson variance of a log2 ratio: the sample's reads and, when it has
    reference samples, their mean reads (the reference is a median of them)."""
    variance = LOG2_PER_LN**2 / np.maximum(reads, 1)
    if reference_reads is not None and references > 0:
        variance = variance + LOG2_PER_LN**2 / np.maximum(references * reference_reads, 1)
    return variance


def window_evidence(bins: pd.DataFrame, windows: pd.DataFrame, reference_reads: np.ndarray | None,
                    reference_bin_reads: float | None, references: int) -> pd.DataFrame:
    """Per window: its copy number (`window_cn`) and how many SDs its log2
    ratio lies from its segment's (`window_z`).

    `bins` and `windows` are rows of `copy_number.call_profile`'s output;
    `reference_reads`: the reference samples' mean reads in each window,
    `reference_bin_reads`: their median reads per usable bin."""
    if windows.empty:
        return pd.DataFrame({"gene": pd.Series(dtype=str), "window_cn": pd.Series(dtype=float),
                             "window_z": pd.Series(dtype=float)})
    usable = bins["use"].to_numpy(dtype=bool) & np.isfinite(bins["log2"].to_numpy())
    bin_variance = noise_sd(bins.loc[usable, "log2"].to_numpy()) ** 2
    bin_reads = float(np.median(bins.loc[usable, "reads"])) if usable.any() else 0.0
    counting = counting_variance(np.array([bin_reads]), None if reference_bin_reads is None
                                 else np.array([reference_bin_reads]), references)[0]
    bin_length = float(np.median((bins["end"] - bins["start"])[usable])) if usable.any() else 1.0
    length = (windows["end"] - windows["start"]).to_numpy(dtype=float)
    extra = max(bin_variance - counting, 0.0) * np.maximum(1.0, bin_length / length)
    variance = counting_variance(windows["reads"].to_numpy(dtype=float), reference_reads, references) + extra
    with np.errstate(invalid="ignore"):
        z = (windows["log2"].to_numpy() - windows["segment_log2"].to_numpy()) / np.sqrt(variance)
    return pd.DataFrame({"gene": windows["window"].to_numpy(), "window_cn": windows["cn_bin"].to_numpy(),
                         "window_z": z})


def apply_windows(genes: pd.DataFrame, evidence: pd.DataFrame, min_z: float) -> pd.DataFrame:
    """The gene table with window_cn, window_z, `source` and the segment's own
    values (segment_cn, segment_cn_estimate): the window's copy number (cn
    rounded, cn_estimate as it is) where it lies beyond `min_z` SDs of the
    segment's."""
    genes = genes.merge(evidence.drop_duplicates("gene"), on="gene", how="left")
    genes["segment_cn"], genes["segment_cn_estimate"] = genes["cn"], genes["cn_estimate"]
    switch = (np.abs(genes["window_z"]) > min_z).to_numpy() & np.isfinite(genes["window_cn"]).to_numpy()
    window_cn = np.clip(genes["window_cn"].to_numpy(dtype=float), 0, None)
    genes["source"] = np.where(switch, "window", "segment")
    genes.loc[switch, "cn_estimate"] = window_cn[switch]
    genes.loc[switch, "cn"] = np.round(window_cn[switch])
    return genes
