"""Integer copy number from segment ratios: the scale (copy number of ratio 1)
under which the segments are best explained as integer copy-number states,
judged against the profile's own noise; purity-aware for bulk samples."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PLOIDY_GRID = np.round(np.arange(1.5, 6.0001, 0.05), 2)
MIN_RATIO = 0.01  # floor before log2, so a homozygous loss stays finite
# log2 error of a segment's level that does not average out over its bins:
# not known in advance, so the evidence is averaged over a log-uniform grid.
# 0.05 suits the simulated kits; whole chromosomes of real diploid DOP-PCR
# cells scatter by 0.27 (benchmarks/real_cells.py), which a fixed 0.05 read
# as states of a doubled or tripled scale. Stopping the grid at 0.2 fits
# simulated polyploid profiles better (docs/decisions/ploidy.md) but leaves more
# real diploid cells at a higher ploidy, and so HER2 `equivocal`
LEVEL_SDS = tuple(0.05 * 2 ** (k / 2) for k in range(7))  # 0.05 to 0.4
OUTLIERS = 0.1  # prior fraction of segments at no integer state (subclonal, artefacts)
MARGIN = 2.0  # log evidence a higher scale must gain to be preferred (in segments' worth)


@dataclass(frozen=True)
class PloidyFit:
    ploidy: float
    log_evidence: float


def tumour_copy_number(ratio: np.ndarray, ploidy: float, purity: float = 1.0) -> np.ndarray:
    """Tumour copy number behind a ratio to the sample's average.

    A bulk sample mixes tumour (copy number c, ploidy P) with normal diploid
    cells: ratio = (p*c + 2(1-p)) / (p*P + 2(1-p)). With purity 1 (a cell)
    this is ratio * P.
    """
    normal = 2.0 * (1.0 - purity)
    return (np.asarray(ratio, dtype=float) * (purity * ploidy + normal) - normal) / purity


def log_evidence(ratios: np.ndarray, weights: np.ndarray, purity: float, noise: float, grid: np.ndarray,
                 level_sd: float, outliers: float = OUTLIERS, bin_weighted: bool = True) -> np.ndarray:
    """Log evidence of each scale of `grid` for the segments' log2 ratios.

    A segment's log2 ratio is drawn, with probability 1 - `outliers`, from one
    of the scale's integer states (each with the prior spacing / range, so a
    finer grid of states pays for its reach) with SD^2 = noise^2 / bins +
    level_sd^2; else from anywhere in the ratio range. The range cancels
    between scales. Segments count in proportion to their bins (the total
    weight stays the number of segments): a few short segments at an
    in-between level, common where the reference leaves GC or mappability
    bias, then do not outvote the long ones.
    """
    log2 = np.log2(np.clip(ratios, MIN_RATIO, None))
    sd = np.sqrt(noise**2 / weights + level_sd**2)
    votes = weights / weights.mean() if bin_weighted else np.ones_like(weights)
    # uniform over the ratio range, as a density of log2 ratio
    background = np.log(outliers * np.log(2) * np.clip(ratios, MIN_RATIO, None))
    normal = 2.0 * (1.0 - purity)
    scores = np.empty(len(grid))
    for k, scale in enumerate(grid):
        denominator = purity * scale + normal
        spacing = purity / denominator
        states = np.arange(int(np.ceil(tumour_copy_number(ratios.max(), scale, purity))) + 2)
        levels = np.log2(np.clip((purity * states + normal) / denominator, MIN_RATIO, None))
        z = (log2[:, None] - levels[None, :]) / sd[:, None]
        terms = np.c_[np.log((1 - outliers) * spacing) - 0.5 * z**2 - np.log(sd[:, None] * np.sqrt(2 * np.pi)),
                      background]
        top = terms.max(axis=1)
        scores[k] = np.sum(votes * (top + np.log(np.exp(terms - top[:, None]).sum(axis=1))))
    return scores


def marginal_log_evidence(ratios: np.ndarray, weights: np.ndarray, purity: float, noise: float,
                          grid: np.ndarray, level_sds: tuple[float, ...] = LEVEL_SDS,
                          **model: float | bool) -> np.ndarray:
    """`log_evidence` of each scale averaged over the level errors (equal
    prior weight): a finer scale no longer wins by reading a scatter of
    levels as states when a larger level error explains it as well."""
    scores = np.array([log_evidence(ratios, weights, purity, noise, grid, level_sd, **model)
                       for level_sd in level_sds])
    top = scores.max(axis=0)
    return top + np.log(np.exp(scores - top).mean(axis=0))


def fit_ploidy(ratios: np.ndarray, weights: np.ndarray, purity: float = 1.0, noise: float = 0.0,
               grid: np.ndarray = PLOIDY_GRID, margin: float = MARGIN, **model: float | bool) -> PloidyFit:
    """Scale whose integer states best explain the segments (`marginal_log_evidence`).

    Multiples of the true scale explain integer profiles as well, and noise
    can let a finer grid look better; the lowest local maximum within
    `margin` of the best is taken, as the simplest explanation. `noise` is
    the SD of the bins' log2 ratios; `model` passes level_sds, outliers or
    bin_weighted on.
    """
    ratios = np.asarray(ratios, dtype=float)
    weights = np.asarray(weights, dtype=float)
    keep = np.isfinite(ratios) & (weights > 0)
    if not keep.any():
        return PloidyFit(ploidy=float("nan"), log_evidence=float("nan"))
    scores = marginal_log_evidence(ratios[keep], weights[keep], purity, noise, grid, **model)
    # candidates are the local maxima (a neighbour of the best scale is no
    # alternative explanation, only a worse version of it)
    padded = np.r_[-np.inf, scores, -np.inf]
    maxima = np.flatnonzero((scores >= padded[:-2]) & (scores >= padded[2:]))
    choice = int(next(i for i in maxima if scores[i] >= scores.max() - margin))
    return PloidyFit(ploidy=float(grid[choice]), log_evidence=float(scores[choice]))


def integer_copy_number(ratio: np.ndarray, ploidy: float, purity: float = 1.0) -> np.ndarray:
    cn = np.round(tumour_copy_number(ratio, ploidy, purity))
    return np.clip(cn, 0, None)
