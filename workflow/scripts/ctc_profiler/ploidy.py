"""Integer copy number from segment ratios: the ploidy (scale) that puts the
segments nearest to integers, Ginkgo-style for cells, purity-aware for bulk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PLOIDY_GRID = np.round(np.arange(1.5, 6.0001, 0.05), 2)


@dataclass(frozen=True)
class PloidyFit:
    ploidy: float
    error: float  # bin-weighted mean squared distance to the nearest integer


def tumour_copy_number(ratio: np.ndarray, ploidy: float, purity: float = 1.0) -> np.ndarray:
    """Tumour copy number behind a ratio to the sample's average.

    A bulk sample mixes tumour (copy number c, ploidy P) with normal diploid
    cells: ratio = (p*c + 2(1-p)) / (p*P + 2(1-p)). With purity 1 (a cell)
    this is ratio * P.
    """
    normal = 2.0 * (1.0 - purity)
    return (np.asarray(ratio, dtype=float) * (purity * ploidy + normal) - normal) / purity


def fit_ploidy(ratios: np.ndarray, weights: np.ndarray, purity: float = 1.0,
               grid: np.ndarray = PLOIDY_GRID, tolerance: float = 0.01) -> PloidyFit:
    """Scale minimising the weighted distance of segments to integer copy numbers.

    Multiples of the true ploidy fit integer profiles equally well, and a finer
    integer grid (a higher scale) fits small noise segments a little better by
    chance; the lowest scale within `tolerance` of the best is taken, as the
    simplest explanation (on the demo primary tumour the true scale 2 erred by
    0.013 against 0.009 at 5.05).
    """
    ratios = np.asarray(ratios, dtype=float)
    weights = np.asarray(weights, dtype=float)
    keep = np.isfinite(ratios) & (weights > 0)
    if not keep.any():
        return PloidyFit(ploidy=float("nan"), error=float("nan"))
    ratios, weights = ratios[keep], weights[keep]
    errors = np.array([
        np.average((cn - np.round(cn)) ** 2, weights=weights)
        for cn in (tumour_copy_number(ratios, p, purity) for p in grid)
    ])
    # candidates are the local minima (a neighbour of the best scale is no
    # alternative explanation, only a worse version of it)
    padded = np.r_[np.inf, errors, np.inf]
    minima = np.flatnonzero((errors <= padded[:-2]) & (errors <= padded[2:]))
    best = errors.min()
    choice = int(next(i for i in minima if errors[i] <= best + tolerance))
    return PloidyFit(ploidy=float(grid[choice]), error=float(errors[choice]))


def integer_copy_number(ratio: np.ndarray, ploidy: float, purity: float = 1.0) -> np.ndarray:
    cn = np.round(tumour_copy_number(ratio, ploidy, purity))
    return np.clip(cn, 0, None)
