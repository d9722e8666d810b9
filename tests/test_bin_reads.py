"""Reads per bin and gene window from one mosdepth pass (rule bin_counts)."""

from __future__ import annotations

from pathlib import Path

import pysam
import pytest

from ctc_profiler.bin_reads import Region, count_reads, mean_read_span, read_regions, region_reads

CONTIGS = {"chr1": 10_000, "chr2": 5_000, "chr3": 1_000_000}


def write_bam(path: Path, reads: list[tuple[str, int, str, int, int]]) -> Path:
    """A sorted, indexed BAM of (contig, 0-based start, CIGAR, MAPQ, flag) reads."""
    header = {"HD": {"VN": "1.6", "SO": "coordinate"},
              "SQ": [{"SN": name, "LN": length} for name, length in CONTIGS.items()]}
    contigs = list(CONTIGS)
    records = []
    with pysam.AlignmentFile(str(path), "wb", header=header) as out:
        for index, (contig, start, cigar, mapq, flag) in enumerate(reads):
            read = pysam.AlignedSegment(out.header)
            read.query_name = f"r{index}"
            read.reference_id, read.reference_start = contigs.index(contig), start
            read.cigarstring, read.mapping_quality, read.flag = cigar, mapq, flag
            read.query_sequence = "A" * read.query_length
            read.query_qualities = pysam.qualitystring_to_array("I" * read.query_length)
            records.append(read)
        for read in sorted(records, key=lambda r: (r.reference_id, r.reference_start)):
            out.write(read)
    pysam.index(str(path))
    return path


def write_bed(path: Path, rows: list[tuple[str, int, int]]) -> Path:
    path.write_text("".join(f"{c}\t{s}\t{e}\n" for c, s, e in rows))
    return path


def counted(path: Path) -> list[float]:
    lines = path.read_text().splitlines()
    assert lines[0] == "chrom\tstart\tend\treads"
    return [float(line.split("\t")[3]) for line in lines[1:]]


@pytest.fixture
def beds(tmp_path: Path) -> dict[str, Path]:
    bins = [("chr1", i * 1000, (i + 1) * 1000) for i in range(10)] + [("chr2", 0, 5000), ("chr3", 0, 1_000_000)]
    return {"bins": write_bed(tmp_path / "bins.bed", bins),
            "windows": write_bed(tmp_path / "windows.bed", [("chr1", 50, 1050)])}


def run_counts(tmp_path: Path, bam: Path, beds: dict[str, Path]) -> tuple[float, list[float], list[float]]:
    outputs = {"bins": tmp_path / "counts.tsv", "windows": tmp_path / "window_counts.tsv"}
    span = count_reads(bam, beds, outputs, 20, tmp_path / "work")
    assert not (tmp_path / "work").exists() and not list(tmp_path.glob("*.part"))
    return span, counted(outputs["bins"]), counted(outputs["windows"])


def test_reads_are_split_between_the_bins_they_straddle_and_filtered(tmp_path: Path, beds) -> None:
    good = [("chr1", 100, "100M", 60, 0)] * 3 + [("chr1", 950, "100M", 60, 0), ("chr3", 500_000, "100M", 60, 0)]
    excluded = [("chr1", 300, "100M", 60, flag) for flag in (0x400, 0x100, 0x200, 0x800)]
    bam = write_bam(tmp_path / "cell.bam", good + excluded + [("chr1", 300, "100M", 10, 0)])
    span, bins, windows = run_counts(tmp_path, bam, beds)
    assert span == 100
    assert bins[:2] == pytest.approx([3.5, 0.5])
    assert bins[2:11] == [0.0] * 9
    # one read in a 1 Mb bin: a depth of 1e-4, which two decimals would round to 0
    assert bins[11] == pytest.approx(1.0)
    # the window overlaps both bins and counts the straddling read whole
    assert windows == pytest.approx([4.0])


def test_deletions_lengthen_the_span_soft_clips_do_not(tmp_path: Path) -> None:
    bam = write_bam(tmp_path / "cell.bam", [("chr1", 0, "50M10D50M", 60, 0), ("chr1", 500, "20S80M", 60, 0),
                                            ("chr1", 900, "100M", 5, 0)])
    assert mean_read_span(bam, 20) == pytest.approx((110 + 80) / 2)
    assert mean_read_span(bam, 20, sample=1) == 110


def test_a_cell_without_reads_counts_zero_everywhere(tmp_path: Path, beds) -> None:
    span, bins, windows = run_counts(tmp_path, write_bam(tmp_path / "empty.bam", []), beds)
    assert span == 0.0
    assert bins == [0.0] * 12 and windows == [0.0]


def test_region_reads_scale_depth_by_length_over_span() -> None:
    regions = [Region("chr1", 0, 1000), Region("chr1", 1000, 1500)]
    assert region_reads(regions, [0.5, 2.0], 100.0) == pytest.approx([5.0, 10.0])
    assert region_reads(regions, [0.5, 2.0], 0.0) == [0.0, 0.0]


def test_read_regions_skips_headers(tmp_path: Path) -> None:
    path = tmp_path / "x.bed"
    path.write_text("track name=x\n#comment\nchr1\t0\t10\tname\n\nchr2\t5\t9\n")
    assert read_regions(path) == [Region("chr1", 0, 10), Region("chr2", 5, 9)]
