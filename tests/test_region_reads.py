"""Reads per region (rule bin_counts): exact counts on a hand-made BAM, and
the same counts as `samtools bedcov -c`, which the rule replaced."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pysam
import pytest

from conftest import ROOT
from ctc_profiler.copy_number.region_reads import BamContigError, count_region_reads, write_counts
from ctc_profiler.core.bed import read_intervals

SCRIPT = ROOT / "workflow" / "scripts" / "bin_counts.py"
CONTIGS = {"chrA": 10_000, "chrB": 5_000}


def write_bam(path: Path, reads: list[tuple[str, int, str, int, int]]) -> Path:
    """reads: (contig, start, cigar, MAPQ, flag); sorted and indexed."""
    header = {"HD": {"VN": "1.6", "SO": "coordinate"},
              "SQ": [{"SN": name, "LN": length} for name, length in CONTIGS.items()]}
    names = list(CONTIGS)
    with pysam.AlignmentFile(str(path), "wb", header=header) as out:
        for index, (contig, start, cigar, mapq, flag) in enumerate(
                sorted(reads, key=lambda r: (names.index(r[0]), r[1]))):
            read = pysam.AlignedSegment(out.header)
            read.query_name, read.flag = f"r{index}", flag
            read.reference_id, read.reference_start = names.index(contig), start
            read.cigarstring, read.mapping_quality = cigar, mapq
            length = read.infer_query_length()
            read.query_sequence = "A" * length
            read.query_qualities = pysam.qualitystring_to_array("I" * length)
            out.write(read)
    pysam.index(str(path))
    return path


BINS = [("chrA", 0, 1000), ("chrA", 1000, 2000), ("chrA", 2000, 3000), ("chrA", 6000, 7000),
        ("chrB", 0, 1000)]


@pytest.fixture()
def bam(tmp_path: Path) -> Path:
    return write_bam(tmp_path / "cell.bam", [
        ("chrA", 100, "100M", 60, 0),          # bin 0
        ("chrA", 950, "100M", 60, 0),          # across bins 0 and 1: counted in both
        ("chrA", 900, "100M", 60, 0),          # ends at 1000: bin 0 only (half-open)
        ("chrA", 2000, "10S90M", 60, 0),       # starts at bin 2's start; the clip is not aligned
        ("chrA", 1500, "100M", 60, 0x400),     # duplicate
        ("chrA", 1500, "100M", 10, 0),         # MAPQ below 20
        ("chrA", 1500, "100M", 60, 0x100),     # secondary
        ("chrA", 1500, "100M", 60, 0x800),     # supplementary
        ("chrA", 1500, "100M", 60, 0x200),     # QC-failed
        ("chrA", 1500, "100M", 60, 0x4),       # unmapped, placed beside its mate
        ("chrA", 1500, "100M", 20, 0x1 | 0x40),  # MAPQ at the threshold: counted
        ("chrA", 5900, "50M1200D50M", 60, 0),  # bin 3 lies inside its deletion: counted, as bedcov does
    ])


def test_counts_each_read_in_every_region_it_overlaps(bam: Path) -> None:
    (counts,) = count_region_reads(bam, [BINS], min_mapq=20)
    assert counts.tolist() == [3, 2, 1, 1, 0]


def test_region_sets_are_counted_independently_and_may_overlap(bam: Path) -> None:
    windows = [("chrA", 900, 1100), ("chrA", 1000, 2100), ("chrA", 0, 10_000)]
    bins, overlapping = count_region_reads(bam, [BINS, windows], min_mapq=20)
    assert bins.tolist() == [3, 2, 1, 1, 0]
    assert overlapping.tolist() == [2, 3, 6]


def test_the_mapq_threshold_is_applied(bam: Path) -> None:
    (counts,) = count_region_reads(bam, [BINS], min_mapq=0)
    assert counts.tolist() == [3, 3, 1, 1, 0]  # the MAPQ-10 read joins bin 1


def test_a_contig_missing_from_the_bam_is_named(bam: Path) -> None:
    with pytest.raises(BamContigError, match=r"cell\.bam.*no contig 17\b.*align to the reference"):
        count_region_reads(bam, [[("17", 0, 1000)]], min_mapq=20)


def test_read_intervals_skips_headers_and_keeps_the_order(tmp_path: Path) -> None:
    bed = tmp_path / "bins.bed"
    bed.write_text("track name=bins\n# comment\nchrB\t0\t1000\textra\n\nchrA\t5\t10\n")
    assert read_intervals(bed) == [("chrB", 0, 1000), ("chrA", 5, 10)]


def test_write_counts_leaves_only_the_final_table(tmp_path: Path) -> None:
    out = tmp_path / "counts.tsv"
    write_counts(out, [("chrA", 0, 1000), ("chrB", 0, 500)], np.array([3, 0]))
    assert out.read_text() == "chrA\t0\t1000\t3\nchrB\t0\t500\t0\n"
    assert [p.name for p in tmp_path.iterdir()] == ["counts.tsv"]


def test_the_rule_script_writes_one_table_per_bed(bam: Path, tmp_path: Path) -> None:
    bins_bed, windows_bed = tmp_path / "bins.bed", tmp_path / "windows.bed"
    bins_bed.write_text("".join(f"{c}\t{s}\t{e}\n" for c, s, e in BINS))
    windows_bed.write_text("chrA\t900\t1100\n")
    counts, windows = tmp_path / "counts.tsv", tmp_path / "window_counts.tsv"
    # as the rule runs it, with a decompression thread
    subprocess.run([sys.executable, str(SCRIPT), "--threads", "2", str(bam), "20", str(bins_bed), str(counts),
                    str(windows_bed), str(windows)], check=True)
    assert [line.split("\t")[3] for line in counts.read_text().splitlines()] == ["3", "2", "1", "1", "0"]
    assert windows.read_text() == "chrA\t900\t1100\t2\n"


def test_the_rule_script_fails_on_a_missing_contig_without_a_table(bam: Path, tmp_path: Path) -> None:
    bed = tmp_path / "bins.bed"
    bed.write_text("chr17\t0\t1000\n")
    done = subprocess.run([sys.executable, str(SCRIPT), str(bam), "20", str(bed), str(tmp_path / "counts.tsv")],
                          capture_output=True, text=True)
    assert done.returncode != 0 and "no contig chr17" in done.stderr
    assert not list(tmp_path.glob("counts.tsv*"))


@pytest.mark.skipif(shutil.which("samtools") is None, reason="samtools is not installed")
def test_the_same_counts_as_samtools_bedcov_on_random_reads(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    cigars = ["100M", "60M2D40M", "30M3I67M", "20S80M", "70M30S", "40M500N60M", "10M"]
    reads = [(contig, int(rng.integers(0, CONTIGS[contig] - 700)), str(rng.choice(cigars)),
              int(rng.choice([0, 10, 20, 60])), int(rng.choice([0, 0, 0, 0x400, 0x800, 0x100, 0x10])))
             for contig in rng.choice(list(CONTIGS), 3000)]
    path = write_bam(tmp_path / "random.bam", reads)
    edges = {c: np.unique(np.r_[0, rng.integers(1, n, 15), n]) for c, n in CONTIGS.items()}
    regions = [(c, int(s), int(e)) for c, points in edges.items() for s, e in zip(points[:-1], points[1:])]
    regions += [("chrA", 4000, 4100), ("chrA", 0, 10_000), ("chrB", 4999, 5000)]
    bed = tmp_path / "regions.bed"
    bed.write_text("".join(f"{c}\t{s}\t{e}\n" for c, s, e in regions))
    bedcov = subprocess.run(["samtools", "bedcov", "-c", "-j", "-Q", "20", "-G", "0x800", str(bed), str(path)],
                            capture_output=True, text=True, check=True).stdout
    expected = [int(line.split("\t")[-1]) for line in bedcov.splitlines()]
    for threads in (1, 2):
        (counts,) = count_region_reads(path, [regions], min_mapq=20, threads=threads)
        assert counts.tolist() == expected
    assert sum(expected) > 1000  # the comparison covers real overlaps, not empty regions
