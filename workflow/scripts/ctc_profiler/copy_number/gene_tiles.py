"""A gene's copy number from its own neighbourhood, segmented at a finer
resolution than the bins.

Bins of 500 kb dilute a 1 Mb amplicon that lies across three of them, and a
segment needs several bins, so a focal ERBB2 gain comes out short or merged
into its neighbours. Each gene therefore also gets its own counting window,
flanked by tiles of the same length (`bins.gene_windows`: 50 kb out to
1.5 Mb on each side by default), normalised exactly as the bins are (same
reference, same GC trend, same scale). The tiles are segmented with the
bins' method, a gene at a time, with the noise of all the genes' tiles.
Where that finds a change point, a gain or loss finer than the bins resolve,
the gene takes the copy number of its tile segment, unless that lies closer
to the cell's ploidy than its bin segment's (dilution pulls bins towards the
ploidy, so tiles there have split on noise); otherwise its bin segment's
steadier value stays. Figures: docs/decisions/accuracy_history.md, "Gene tiles".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ctc_profiler.copy_number.gene_copy_number import genes_copy_number
from ctc_profiler.copy_number.segmentation import change_points, lag_sd

EVIDENCE_COLUMNS = ["gene", "window_cn", "window_tiles", "window_segments"]
# WGA coverage swings span hundreds of kb: a tile segment must stand out from
# tiles that far apart, not only from its neighbours (lags in tiles: 50 kb,
# 250 kb and 500 kb at the default 50 kb tiles)
NOISE_LAGS = (1, 5, 10)


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


def gene_tiles(windows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each gene's tiles with a finite log2 ratio, in genome order."""
    if windows.empty or "window" not in windows:
        return {}
    finite = windows[np.isfinite(windows["log2"].to_numpy(dtype=float))]
    return {gene: tiles.sort_values("start") for gene, tiles in finite.groupby("window", sort=False)}


def tile_noise_sd(tiles_of: dict[str, pd.DataFrame]) -> float:
    """One noise level for all genes' tiles (each gene alone has too few):
    the largest robust SD of their differences `NOISE_LAGS` tiles apart."""
    values = np.concatenate([tiles["log2"].to_numpy(dtype=float) for tiles in tiles_of.values()])
    spreads = [spread for lag in NOISE_LAGS if (spread := lag_sd(values, lag)) is not None]
    return max(spreads, default=0.0)


def tile_segment(tiles: pd.DataFrame, centre: int, sd: float, min_tiles: int, penalty: float) -> tuple[slice, int]:
    """The run of tiles in the segment that holds `centre`, and how many
    segments the tiles make."""
    ends = change_points(tiles["log2"].to_numpy(dtype=float), sd, min_tiles, penalty)
    # the tile holding the centre, or where it would be when that tile is masked
    at = min(int(np.searchsorted(tiles["end"].to_numpy(), centre, side="right")), len(tiles) - 1)
    start = 0
    for end in ends:
        if at < end:
            return slice(start, end), len(ends)
        start = end
    return slice(start, len(tiles)), len(ends)


def level_copy_number(tiles: pd.DataFrame, level: float) -> float:
    """Copy number of a ratio `level`, read through the tiles' own
    ratio-to-copy-number line (the cell's ploidy and, for bulk, purity: it is
    affine, so exact)."""
    ratio = tiles["ratio"].to_numpy(dtype=float)
    order = np.argsort(ratio)
    return float(np.interp(level, ratio[order], tiles["cn_bin"].to_numpy(dtype=float)[order]))


def run_copy_number(tiles: pd.DataFrame, run: slice) -> float:
    """Copy number of a run of tiles: their mean log2 ratio, as a bin
    segment's (the mean of their ratios was measured and not kept:
    docs/decisions/accuracy_history.md, "The level of a tile segment")."""
    return level_copy_number(tiles, 2 ** float(np.mean(tiles["log2"].to_numpy(dtype=float)[run])))


def window_evidence(windows: pd.DataFrame, genes: pd.DataFrame, min_tiles: int, penalty: float) -> pd.DataFrame:
    """Per gene: the copy number of the tile segment holding its centre
    (`window_cn`), the tiles in that segment and the number of segments its
    tiles make.

    `windows` are the window rows of `copy_number.call_profile`'s output
    (ratio, log2, cn_bin); `genes`: chrom, start, end, name."""
    tiles_of = gene_tiles(windows)
    if not tiles_of:
        return pd.DataFrame({column: pd.Series(dtype=str if column == "gene" else float)
                             for column in EVIDENCE_COLUMNS})
    sd = tile_noise_sd(tiles_of)
    rows = []
    for gene in genes.itertuples():
        tiles = tiles_of.get(gene.name)
        if tiles is None:
            continue
        run, segments = tile_segment(tiles, (gene.start + gene.end) // 2, sd, min_tiles, penalty)
        rows.append((gene.name, run_copy_number(tiles, run), run.stop - run.start, segments))
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def takes_tiles(segments: np.ndarray | int, tile_cn: np.ndarray | float, segment_cn: np.ndarray | float,
                ploidy: float) -> np.ndarray | bool:
    """Whether a gene takes its tile segment's copy number over its bin
    segment's: only where its tiles split (an event finer than the bins),
    and not towards the ploidy: the tiles undo dilution, which pulls a focal
    event's bins towards the ploidy, so a tile value closer to it than the
    bins' is noise the tiles split on (and NaN takes nothing)."""
    with np.errstate(invalid="ignore"):
        return ((np.asarray(segments) > 1) & np.isfinite(tile_cn)
                & (np.abs(np.round(tile_cn) - ploidy) >= np.abs(segment_cn - ploidy)))


def apply_windows(genes: pd.DataFrame, evidence: pd.DataFrame, ploidy: float) -> pd.DataFrame:
    """The gene table with the window evidence, `source` and the segment's
    own values (segment_cn, segment_cn_estimate): the tile segment's copy
    number (cn rounded, cn_estimate as it is) where `takes_tiles`."""
    genes = genes.merge(evidence.drop_duplicates("gene"), on="gene", how="left")
    genes["segment_cn"], genes["segment_cn_estimate"] = genes["cn"], genes["cn_estimate"]
    window_cn = np.clip(genes["window_cn"].to_numpy(dtype=float), 0, None)
    switch = takes_tiles(genes["window_segments"].to_numpy(dtype=float), window_cn,
                         genes["cn"].to_numpy(dtype=float), ploidy)
    genes["source"] = np.where(switch, "window", "segment")
    genes.loc[switch, "cn_estimate"] = window_cn[switch]
    genes.loc[switch, "cn"] = np.round(window_cn[switch])
    return genes


def called_genes(bins: pd.DataFrame, windows: pd.DataFrame, regions: pd.DataFrame, ploidy: float,
                 min_tiles: int, penalty: float) -> pd.DataFrame:
    """The gene table of a called profile (`split_windows` of `call_profile`'s
    bins): each region's bin segment, and its tile segment `apply_windows` takes."""
    evidence = window_evidence(windows, regions, min_tiles, penalty)
    return apply_windows(genes_copy_number(bins, regions), evidence, ploidy)
