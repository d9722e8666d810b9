"""GC correction of binned read depth: divide out the lowess trend of depth
against bin GC (as Ginkgo does), fitted on the usable autosomal bins."""

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
    trend = lowess(np.log(depth[fit]), gc[fit], frac=frac, return_sorted=True)
    known = np.isfinite(gc)
    expected = np.exp(np.interp(gc[known], trend[:, 0], trend[:, 1]))
    corrected[known] = depth[known] / expected
    median = np.nanmedian(corrected[fit])
    return corrected / median if median > 0 else corrected
