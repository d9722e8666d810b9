"""Calling regions: targets, genes and hotspot windows merged without overlaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctc_profiler.inputs.hotspot_table import Hotspot
from ctc_profiler.variants.regions import calling_regions, merge_intervals, split_regions


def test_overlapping_regions_merge_in_reference_order() -> None:
    merged = merge_intervals(
        [("chr7", 100, 200), ("chr1", 50, 60), ("chr7", 150, 300), ("chr7", 300, 310), ("chrUn", 1, 2)],
        ["chr1", "chr7"],
    )
    assert merged == [("chr1", 50, 60), ("chr7", 100, 310)]


def test_hotspot_windows_join_targets_and_genes(tmp_path: Path) -> None:
    targets = tmp_path / "targets.bed"
    targets.write_text("chr7\t1000\t1100\tEGFR_exon\n")
    genes = tmp_path / "genes.bed"
    genes.write_text("chr17\t500\t900\tERBB2\t0\t+\n")
    hotspots = [
        Hotspot("EGFR", "NM", "L858R", "c", "chr7", 1150, "T", "G", "snv"),
        Hotspot("EGFR", "NM", "ex19del", "c", "chr7", 5000, "ACGT", "<DEL>", "region"),
    ]
    regions = calling_regions([targets, genes], hotspots, 100, ["chr7", "chr17"], {"chr7": 5050, "chr17": 2000})
    assert regions == [("chr7", 1000, 1250), ("chr7", 4899, 5050), ("chr17", 500, 900)]


def test_regions_split_into_ordered_chunks_of_about_equal_length() -> None:
    regions = [("chr1", 0, 100), ("chr1", 200, 250), ("chr7", 0, 150)]
    chunks = split_regions(regions, 3)
    assert chunks == [
        [("chr1", 0, 100)],
        [("chr1", 200, 250), ("chr7", 0, 50)],
        [("chr7", 50, 150)],
    ]
    # every base once, in order
    assert [i for chunk in chunks for i in chunk] == [
        ("chr1", 0, 100), ("chr1", 200, 250), ("chr7", 0, 50), ("chr7", 50, 150)]
    assert split_regions(regions, 1) == [regions]
    assert split_regions([("chr1", 0, 9)], 4) == [  # 9 bases: 2, 2, 2, 3
        [("chr1", 0, 2)], [("chr1", 2, 4)], [("chr1", 4, 6)], [("chr1", 6, 9)]]
    with pytest.raises(ValueError, match="3 bases .* into 4 non-empty chunks"):
        split_regions([("chr1", 0, 3)], 4)
