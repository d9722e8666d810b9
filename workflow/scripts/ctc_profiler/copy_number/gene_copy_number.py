"""Copy number of genes and of reference regions from a binned profile."""

from __future__ import annotations

import numpy as np
import pandas as pd

GENE_COLUMNS = ["gene", "chrom", "start", "end", "bins", "cn", "cn_estimate"]


def region_copy_number(bins: pd.DataFrame, chrom: str, start: int, end: int) -> tuple[int, float, float]:
    """(usable bins, integer CN, median CN estimate) of the bins overlapping a region.

    The integer copy number is the one covering most of the region's bases, so
    it stays an integer where a median of an even number of bins would not
    (a gene across a breakpoint takes its larger part). A region smaller than
    a bin takes the bin it lies in.
    """
    overlap = (
        (bins["chrom"] == chrom) & (bins["start"] < end) & (bins["end"] > start)
        & bins["use"] & np.isfinite(bins["cn"])
    )
    selected = bins[overlap]
    if selected.empty:
        return 0, float("nan"), float("nan")
    covered = np.minimum(selected["end"], end) - np.maximum(selected["start"], start)
    per_cn = covered.groupby(selected["cn"].to_numpy()).sum()
    majority = float(per_cn.index[np.argmax(per_cn.to_numpy())])  # ties: the lower CN
    return len(selected), majority, float(np.median(selected["cn_estimate"]))


def genes_copy_number(bins: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """One row per region (gene or reference region) of a BED-like table with a name."""
    rows = []
    for region in regions.itertuples():
        n, cn, estimate = region_copy_number(bins, region.chrom, region.start, region.end)
        rows.append((region.name, region.chrom, region.start, region.end, n, cn, estimate))
    return pd.DataFrame(rows, columns=GENE_COLUMNS)
