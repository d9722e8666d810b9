"""The regions variants are called in: capture targets, genes of interest and
a window around every hotspot, merged into one sorted BED (overlapping
regions would make bcftools report a site twice)."""

from __future__ import annotations

from pathlib import Path

from ctc_profiler.core.bed import Interval, read_intervals
from ctc_profiler.inputs.hotspot_table import Hotspot, hotspot_windows


def merge_intervals(intervals: list[Interval], contig_order: list[str]) -> list[Interval]:
    """Sorted (reference contig order, then start) and merged; contigs the
    reference lacks are dropped (the start-up check reports them)."""
    rank = {name: i for i, name in enumerate(contig_order)}
    ordered = sorted((i for i in intervals if i[0] in rank), key=lambda i: (rank[i[0]], i[1], i[2]))
    merged: list[Interval] = []
    for chrom, start, end in ordered:
        if merged and merged[-1][0] == chrom and start <= merged[-1][2]:
            merged[-1] = (chrom, merged[-1][1], max(merged[-1][2], end))
        else:
            merged.append((chrom, start, end))
    return merged


def calling_regions(
    beds: list[Path | str], hotspots: list[Hotspot], flank: int, contig_order: list[str],
    contig_lengths: dict[str, int] | None = None,
) -> list[Interval]:
    intervals = [i for bed in beds for i in read_intervals(bed)]
    intervals += hotspot_windows(hotspots, flank)
    merged = merge_intervals(intervals, contig_order)
    if contig_lengths:
        merged = [(c, s, min(e, contig_lengths.get(c, e))) for c, s, e in merged]
    return merged


def split_regions(regions: list[Interval], chunks: int) -> list[list[Interval]]:
    """The (sorted) regions cut into `chunks` runs, in order, of equal length
    in bases to within one, a region cut where a run fills up: the chunks
    partition every position, so calling them apart and concatenating gives
    one call per site. Every run holds at least one base."""
    total = sum(end - start for _, start, end in regions)
    if chunks < 1 or total < chunks:
        raise ValueError(f"cannot cut {total} bases of calling regions into {chunks} non-empty chunks")
    # run k holds the bases [k * total // chunks, (k + 1) * total // chunks)
    runs: list[list[Interval]] = [[] for _ in range(chunks)]
    done = k = 0
    for chrom, start, end in regions:
        while start < end:
            while (k + 1) * total // chunks == done:  # run k is full
                k += 1
            take = min(end - start, (k + 1) * total // chunks - done)
            runs[k].append((chrom, start, start + take))
            start += take
            done += take
    return runs
