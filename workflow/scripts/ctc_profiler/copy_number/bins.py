"""Fixed-size genome bins with GC and N content, and the mask of bins too
unreliable for copy number (extreme GC, mostly N, blacklisted)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pysam

BIN_COLUMNS = ["chrom", "start", "end", "gc", "n_fraction", "blacklisted", "use"]


@dataclass(frozen=True)
class BinMask:
    min_gc: float = 0.2  # SCOPE drops bins outside 20-80% GC
    max_gc: float = 0.8
    max_n_fraction: float = 0.1
    max_blacklisted: float = 0.5


def is_sex_chromosome(chrom: str) -> bool:
    return re.sub(r"^chr", "", chrom, flags=re.IGNORECASE).upper() in {"X", "Y"}


def _with_composition(reference: pysam.FastaFile, intervals: list[tuple[str, int, int]],
                      fasta: Path | str, contigs: str) -> pd.DataFrame:
    """GC fraction (of non-N bases) and N fraction of each interval."""
    if not intervals:
        raise ValueError(
            f"{fasta}: no bins; either no contig matches copy_number.contigs '{contigs}' "
            "(adjust the regular expression to the reference's contig names) or those "
            "contigs are shorter than half of copy_number.bin_size"
        )
    rows = []
    for chrom, start, end in intervals:
        seq = reference.fetch(chrom, start, end).upper().encode()
        n = seq.count(b"N")
        acgt = len(seq) - n
        gc = (seq.count(b"G") + seq.count(b"C")) / acgt if acgt else np.nan
        rows.append((chrom, start, end, gc, n / len(seq)))
    bins = pd.DataFrame(rows, columns=["chrom", "start", "end", "gc", "n_fraction"])
    bins["blacklisted"] = 0.0
    return bins


def make_bins(fasta: Path | str, size: int, contigs: str) -> pd.DataFrame:
    """Bins of `size` bp over the contigs whose names match the regex `contigs`.

    The last bin of a contig is kept only when at least half a bin long.
    """
    pattern = re.compile(contigs)
    with pysam.FastaFile(str(fasta)) as reference:
        intervals = [
            (chrom, start, min(start + size, length))
            for chrom, length in zip(reference.references, reference.lengths)
            if pattern.fullmatch(chrom)
            for start in range(0, length, size)
            if min(start + size, length) - start >= size // 2
        ]
        return _with_composition(reference, intervals, fasta, contigs)


def target_bins(fasta: Path | str, targets: pd.DataFrame, contigs: str) -> pd.DataFrame:
    """Capture targets as bins: merged where they overlap, in reference order."""
    pattern = re.compile(contigs)
    with pysam.FastaFile(str(fasta)) as reference:
        order = {name: i for i, name in enumerate(reference.references)}
        kept = targets[targets["chrom"].isin(order) & targets["chrom"].map(lambda c: bool(pattern.fullmatch(c)))]
        intervals: list[tuple[str, int, int]] = []
        for row in sorted(kept.itertuples(), key=lambda r: (order[r.chrom], r.start)):
            if intervals and intervals[-1][0] == row.chrom and row.start <= intervals[-1][2]:
                chrom, start, end = intervals[-1]
                intervals[-1] = (chrom, start, max(end, row.end))
            else:
                intervals.append((row.chrom, int(row.start), int(row.end)))
        return _with_composition(reference, intervals, fasta, contigs)


class Tile(NamedTuple):
    chrom: str
    start: int
    end: int
    gene: str
    probe: bool  # the gene's own window rather than a flank tile


def window_tiles(genes: pd.DataFrame, lengths: dict[str, int], min_bp: int, flank_bp: int = 0) -> list[Tile]:
    """Each gene's own counting window and its flank tiles, in genome order
    per gene (see `gene_windows`); genes on contigs not in `lengths` get none."""
    tiles: list[Tile] = []
    for gene in genes[genes["chrom"].isin(lengths)].itertuples():
        length = lengths[gene.chrom]
        centre, half = (gene.start + gene.end) // 2, max(gene.end - gene.start, min_bp) // 2
        start, end = max(0, centre - half), min(length, centre + half)
        if end <= start:
            continue
        left = range(start - min_bp, max(0, start - flank_bp) - min_bp // 2, -min_bp)
        right = range(end, min(length, end + flank_bp) - min_bp // 2, min_bp)
        spans = ([(max(0, s), s + min_bp) for s in reversed(left)] + [(start, end)]
                 + [(s, min(s + min_bp, length)) for s in right])
        tiles += [Tile(gene.chrom, s, e, gene.name, (s, e) == (start, end)) for s, e in spans]
    return tiles


def gene_windows(fasta: Path | str, genes: pd.DataFrame, min_bp: int, flank_bp: int = 0,
                 mask: BinMask | None = None, blacklist: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each gene's own counting window (an ISH-like probe) and its flanks, with
    GC and N fraction; `window` names the gene on every row.

    The probe is the gene, widened around its centre to `min_bp` when shorter
    and clipped to its contig. Tiles of `min_bp` continue on both sides out to
    `flank_bp`, so the gene's neighbourhood can be segmented at a finer
    resolution than the bins (`window_copy_number`); flank tiles the bin mask
    rejects, or shorter than half a tile at a contig's end, are left out.
    Genes on contigs the reference lacks get no window."""
    mask = mask or BinMask()
    with pysam.FastaFile(str(fasta)) as reference:
        tiles = window_tiles(genes, dict(zip(reference.references, reference.lengths)), min_bp, flank_bp)
        if not tiles:
            return pd.DataFrame(columns=["chrom", "start", "end", "gc", "n_fraction", "window"])
        windows = _with_composition(reference, [(t.chrom, t.start, t.end) for t in tiles], fasta, "")
    if blacklist is not None:
        windows["blacklisted"] = blacklist_fraction(windows, blacklist)
    kept_rows = mask_bins(windows, mask)["use"].to_numpy() | np.array([t.probe for t in tiles])
    windows = windows.drop(columns="blacklisted").assign(window=[t.gene for t in tiles])
    return windows[kept_rows].reset_index(drop=True)


def blacklist_fraction(bins: pd.DataFrame, blacklist: pd.DataFrame) -> np.ndarray:
    """Fraction of each bin covered by blacklist intervals (chrom, start, end)."""
    fraction = np.zeros(len(bins))
    for chrom, regions in blacklist.groupby("chrom"):
        index = np.flatnonzero(bins["chrom"].to_numpy() == chrom)
        starts = bins["start"].to_numpy()[index]
        ends = bins["end"].to_numpy()[index]
        for region in regions.itertuples():
            overlap = np.minimum(ends, region.end) - np.maximum(starts, region.start)
            fraction[index] += np.clip(overlap, 0, None) / (ends - starts)
    return np.clip(fraction, 0.0, 1.0)


def mask_bins(bins: pd.DataFrame, mask: BinMask) -> pd.DataFrame:
    bins = bins.copy()
    bins["use"] = (
        bins["gc"].between(mask.min_gc, mask.max_gc)
        & (bins["n_fraction"] <= mask.max_n_fraction)
        & (bins["blacklisted"] <= mask.max_blacklisted)
    )
    return bins[BIN_COLUMNS]


def read_bed(path: Path | str) -> pd.DataFrame:
    """First columns of a BED file as chrom/start/end(/name), '#' and track lines skipped.
    A table for the bin arithmetic, read by pandas (a '#' anywhere starts a
    comment, the name column's type is inferred), so not `core.bed`'s line reader."""
    frame = pd.read_csv(path, sep="\t", header=None, comment="#", dtype={0: str})
    frame = frame[~frame[0].str.startswith(("track", "browser"))]
    names = ["chrom", "start", "end", "name"][: min(4, frame.shape[1])]
    frame = frame.iloc[:, : len(names)]
    frame.columns = names
    return frame.astype({"start": int, "end": int}).reset_index(drop=True)
