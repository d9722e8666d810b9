"""GC correction of binned read depth: divide out the lowess trend of depth
against bin GC (as Ginkgo does), fitted on the usable autosomal bins; and the
GC trend a ratio to reference samples has left, fitted within segments."""

from __future__ import annotations

import numpy as np


def gc_correct(depth: np.ndarray, gc: np.ndarray, fit: np.ndarray, frac: float = 0.3) -> np.ndarray:
    """Depth divided by its expected value at the bin's GC, scaled to median 1.

    `fit` marks the bins the trend is learnt from (usable autosomes with depth);
    bins outside it are corrected by the same curve, NaN where GC is unknown.
    """
    depth = np.asarray(depth, dtype=float)
    gc = np.asarray(gc, dtype=float)
    fit = np.asarray(fit, dtype=bool) & (depth > 0) & np.isfinite(gc)
    corrected = np.full(depth.shape, np.nan)
    if fit.sum() < 10:
        return corrected  # too little signal to learn a trend: nothing is trustworthy
    # imported here: statsmodels costs a rule process ~0.9 s to import, which
    # the call step, importing this module without correcting, should not pay
    from statsmodels.nonparametric.smoothers_lowess import lowess

    # lowess of log depth, so one outlying amplicon does not bend the curve
    # delta: bins within 1% of the GC range of a fitted point are interpolated
    # (statsmodels' own advice): at 6,000 bins 0.009 s instead of 0.45 s per
    # fit, the curve within 1.5e-4 in log depth (benchmarks/call_cost.py)
    x = gc[fit]
    trend = lowess(np.log(depth[fit]), x, frac=frac, delta=0.01 * float(np.ptp(x)), return_sorted=True)
    known = np.isfinite(gc)
    expected = np.exp(np.interp(gc[known], trend[:, 0], trend[:, 1]))
    corrected[known] = depth[known] / expected
    median = np.nanmedian(corrected[fit])
    return corrected / median if median > 0 else corrected


def group_means(values: np.ndarray, group: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Per bin, the mean of the kept values of its group (groups numbered 0..n-1)."""
    sums = np.bincount(group[keep], weights=values[keep], minlength=group.max() + 1)
    sizes = np.bincount(group[keep], minlength=group.max() + 1)
    return (sums / np.maximum(sizes, 1))[group]


def gc_trend_within_segments(log2: np.ndarray, segment_id: np.ndarray, gc: np.ndarray,
                             fit: np.ndarray, degree: int = 2) -> np.ndarray:
    """A ratio's remaining GC trend (log2 per bin), a polynomial in GC fitted
    to each bin's deviation from its segment against its GC's deviation from
    the segment's (a fixed-effects fit): a gained GC-rich region shifts its
    segment, not the trend, so it is not taken for GC bias. A pooled lowess of
    deviations would also miss the part of a cell's own tilt that lies between
    segments. 0 where the trend cannot be learnt."""
    log2 = np.asarray(log2, dtype=float)
    gc = np.asarray(gc, dtype=float)
    segment_id = np.asarray(segment_id, dtype=float)
    ok = np.asarray(fit, dtype=bool) & np.isfinite(log2) & np.isfinite(gc) & np.isfinite(segment_id)
    trend = np.zeros(log2.shape)
    if ok.sum() < 10 * degree:
        return trend
    centre = float(np.median(gc[ok]))
    powers = np.column_stack([(gc - centre) ** k for k in range(1, degree + 1)])
    group = np.unique(segment_id[ok], return_inverse=True)[1]
    x, y = powers[ok], log2[ok]
    keep = np.ones(len(y), dtype=bool)
    for _ in range(3):  # refit without outlying bins (unsegmented focal events, empty bins)
        within = np.column_stack([c - group_means(c, group, keep) for c in x.T])
        coef = np.linalg.lstsq(within[keep], (y - group_means(y, group, keep))[keep], rcond=None)[0]
        residual = y - x @ coef
        residual -= group_means(residual, group, keep)
        spread = 1.4826 * np.median(np.abs(residual[keep]))
        if not spread > 1e-9:  # an exact fit: nothing is outlying
            break
        keep = np.abs(residual) <= 4 * spread
    known = np.isfinite(gc)
    trend[known] = powers[known] @ coef
    return trend
