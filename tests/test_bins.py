"""Genome and target bins with their GC and N content, and the mask."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ctc_profiler.copy_number.bins import (
    BinMask,
    blacklist_fraction,
    gene_windows,
    make_bins,
    mask_bins,
    target_bins,
)


@pytest.fixture
def fasta(tmp_path: Path) -> Path:
    path = tmp_path / "ref.fa"
    # chr1: 100 bp GC-only, 100 bp AT-only, 40 bp N; chrUn: not binned
    path.write_text(">chr1\n" + "GC" * 50 + "AT" * 50 + "N" * 40 + "\n>chrUn_x\n" + "ACGT" * 30 + "\n")
    return path


def test_genome_bins_gc_n_and_short_last_bin(fasta: Path) -> None:
    bins = make_bins(fasta, 100, r"(chr)?([0-9]+|X|Y)")
    assert list(zip(bins["chrom"], bins["start"], bins["end"])) == [("chr1", 0, 100), ("chr1", 100, 200)]
    assert list(bins["gc"]) == [1.0, 0.0]  # the 40 bp tail is under half a bin: dropped
    sixty = make_bins(fasta, 60, r"chr1")
    assert list(sixty["end"]) == [60, 120, 180, 240]
    assert list(sixty["gc"]) == pytest.approx([1.0, 40 / 60, 0.0, 0.0])
    assert sixty["n_fraction"].iloc[-1] == pytest.approx(40 / 60)


def test_no_matching_contig_names_the_key(fasta: Path) -> None:
    with pytest.raises(ValueError, match="copy_number.contigs"):
        make_bins(fasta, 100, "scaffold.*")


def test_target_bins_are_merged_and_in_reference_order(fasta: Path) -> None:
    targets = pd.DataFrame({"chrom": ["chr1", "chr1", "chr1", "chr9"], "start": [150, 10, 40, 0],
                            "end": [190, 50, 60, 10], "name": ["c", "a", "b", "absent"]})
    bins = target_bins(fasta, targets, r"chr1")
    assert list(zip(bins["start"], bins["end"])) == [(10, 60), (150, 190)]
    assert list(bins["gc"]) == [1.0, 0.0]


def test_mask_and_blacklist(fasta: Path) -> None:
    bins = make_bins(fasta, 60, r"chr1")
    bins["blacklisted"] = blacklist_fraction(bins, pd.DataFrame({"chrom": ["chr1"], "start": [0], "end": [30]}))
    assert list(bins["blacklisted"]) == [0.5, 0.0, 0.0, 0.0]
    masked = mask_bins(bins, BinMask(max_blacklisted=0.4))
    # bin 1 blacklisted, bin 2 (GC 0.67) usable, bin 3 GC 0, bin 4 mostly N
    assert list(masked["use"]) == [False, True, False, False]


def test_gene_windows_are_widened_clipped_and_skip_missing_contigs(fasta: Path) -> None:
    genes = pd.DataFrame({"chrom": ["chr1", "chr1", "17"], "start": [40, 0, 10], "end": [60, 30, 20],
                          "name": ["MID", "EDGE", "ERBB2"]})
    windows = gene_windows(fasta, genes, min_bp=100)
    assert list(windows["window"]) == ["MID", "EDGE"]  # '17' is not a contig of the reference
    assert list(zip(windows["start"], windows["end"])) == [(0, 100), (0, 65)]
    assert list(windows["gc"]) == pytest.approx([1.0, 1.0])
    wide = gene_windows(fasta, genes.iloc[:1].assign(start=50, end=190), min_bp=100)
    assert list(zip(wide["start"], wide["end"])) == [(50, 190)]  # longer than min_bp: the gene itself
    assert wide["n_fraction"].iloc[0] == pytest.approx(0.0)


def test_gene_windows_are_flanked_by_tiles_out_to_flank_bp(fasta: Path) -> None:
    genes = pd.DataFrame({"chrom": ["chr1", "chr1"], "start": [40, 0], "end": [60, 30], "name": ["MID", "EDGE"]})
    everything = BinMask(min_gc=0.0, max_gc=1.0)
    tiles = gene_windows(fasta, genes, min_bp=20, flank_bp=100, mask=everything)
    mid = tiles[tiles["window"] == "MID"]
    assert list(zip(mid["start"], mid["end"])) == [
        (0, 20), (20, 40), (40, 60), (60, 80), (80, 100), (100, 120), (120, 140), (140, 160)]
    edge = tiles[tiles["window"] == "EDGE"]  # the gene itself is its window; nothing left of position 0
    assert list(zip(edge["start"], edge["end"])) == [(0, 30), (30, 50), (50, 70), (70, 90), (90, 110), (110, 130)]
    assert gene_windows(fasta, genes, min_bp=20, flank_bp=0, mask=everything)["start"].tolist() == [40, 0]


def test_flank_tiles_the_bin_mask_rejects_are_left_out_but_the_gene_window_stays(fasta: Path) -> None:
    # around 185-205: AT-only flanks (GC 0) on the left, N on the right; the window itself is half N
    gene = pd.DataFrame({"chrom": ["chr1"], "start": [190], "end": [200], "name": ["END"]})
    kept = gene_windows(fasta, gene, min_bp=20, flank_bp=60)
    assert list(zip(kept["start"], kept["end"])) == [(185, 205)]
    open_mask = gene_windows(fasta, gene, min_bp=20, flank_bp=60, mask=BinMask(min_gc=0.0, max_n_fraction=1.0))
    # the all-N tiles right of it have no GC to pass any mask
    assert list(zip(open_mask["start"], open_mask["end"])) == [(125, 145), (145, 165), (165, 185), (185, 205)]
    blacklisted = gene_windows(fasta, gene, min_bp=20, flank_bp=60, mask=BinMask(min_gc=0.0, max_n_fraction=1.0),
                               blacklist=pd.DataFrame({"chrom": ["chr1"], "start": [120], "end": [170]}))
    assert list(blacklisted["start"]) == [165, 185]  # 125-145 and 145-165 are blacklisted
