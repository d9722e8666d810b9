"""Quality of a copy-number profile: depth, MAPD, Gini, and a pass/fail with
the reason, so cells whose amplification failed are not called."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ctc_profiler.core.settings import FromConfig


@dataclass(frozen=True)
class QcThresholds(FromConfig):
    """Config `copy_number.qc`."""

    # 500,000 sequenced reads over GRCh38's ~6,000 usable 500 kb bins, of which
    # ~80% survive duplicate removal and the MAPQ filter, give ~67
    min_median_reads_per_bin: float = 60.0
    max_mapd: float = 0.7
    max_gini: float = 0.35


@dataclass(frozen=True)
class ProfileQc:
    reads: int
    median_reads_per_bin: float
    mapd: float
    gini: float
    qc_pass: bool
    qc_reason: str
    # failed on MAPD or Gini alone, with enough reads: its genome-wide profile
    # is not trusted, its gene calls are kept where they beat its own noise
    noisy: bool = False


def mapd(ratios: np.ndarray, chroms: np.ndarray) -> float:
    """Median absolute difference of log2 ratios of neighbouring bins (same chromosome)."""
    ratios = np.asarray(ratios, dtype=float)
    chroms = np.asarray(chroms)
    with np.errstate(divide="ignore", invalid="ignore"):  # empty bins: -inf, dropped below
        diffs = np.diff(np.log2(ratios))
    same = (chroms[1:] == chroms[:-1]) & np.isfinite(diffs)
    return float(np.median(np.abs(diffs[same]))) if same.any() else float("nan")


def gini(counts: np.ndarray) -> float:
    """Gini coefficient of read counts over bins: 0 perfectly even, 1 all in one bin."""
    values = np.sort(np.asarray(counts, dtype=float))
    values = values[np.isfinite(values)]
    n = len(values)
    if n == 0 or values.sum() <= 0:
        return float("nan")
    ranks = np.arange(1, n + 1)
    return float(np.sum((2 * ranks - n - 1) * values) / (n * values.sum()))


def assess(counts: np.ndarray, ratios: np.ndarray, chroms: np.ndarray,
           thresholds: QcThresholds) -> ProfileQc:
    """QC metrics over the usable bins and the verdict; every failed test is named."""
    counts = np.asarray(counts, dtype=float)
    median_reads = float(np.median(counts)) if len(counts) else 0.0
    profile_mapd = mapd(ratios, chroms)
    profile_gini = gini(counts)
    if counts.sum() == 0:
        return ProfileQc(reads=0, median_reads_per_bin=0.0, mapd=profile_mapd, gini=profile_gini,
                         qc_pass=False, qc_reason="no reads in usable bins")
    reasons = []
    shallow = not median_reads >= thresholds.min_median_reads_per_bin
    if shallow:
        reasons.append(f"median reads per bin {median_reads:.0f} < {thresholds.min_median_reads_per_bin:g}")
    if not profile_mapd <= thresholds.max_mapd:
        reasons.append(f"MAPD {profile_mapd:.2f} > {thresholds.max_mapd:g}")
    if not profile_gini <= thresholds.max_gini:
        reasons.append(f"Gini {profile_gini:.2f} > {thresholds.max_gini:g}")
    return ProfileQc(
        reads=int(counts.sum()), median_reads_per_bin=median_reads, mapd=profile_mapd,
        gini=profile_gini, qc_pass=not reasons, qc_reason="; ".join(reasons), noisy=bool(reasons) and not shallow,
    )
