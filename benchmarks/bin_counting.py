"""Reads per bin: the workflow's counting (`ctc_profiler.copy_number.region_reads`, rule
bin_counts, as a process with the rule's 2 threads and with 1, and
in-process) against `samtools bedcov -c` (what
it replaced, and counts the same), a pysam loop over reads per bin, pysam
counting each read once at its start, and `mosdepth --by`, on the same BAM
and bins, in one run.

    python benchmarks/bin_counting.py BAM BINS_BED [--repeats 3]
    python benchmarks/bin_counting.py --human-cell 1000000 DIR [--repeats 3]

The second form first writes DIR/cell.bam, a cell of that many 100 bp reads
spread uniformly over GRCh38's chromosome lengths, and DIR/bins.bed, 500 kb
bins over them. A method whose cost grows with the genome's length (mosdepth
walks every base of each chromosome) shows it there; the simulator's scaled
genomes are 8-40 times shorter than a human one.

Prints seconds per method (best of the repeats) and the ratio to bedcov,
checks that the workflow and the pysam loop agree with bedcov on the
counts, and how far counting each read once at its start moves a bin's
count from bedcov's (which counts a read in every bin it overlaps).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pysam

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow" / "scripts"))
from ctc_profiler.copy_number.region_reads import count_region_reads, read_regions  # noqa: E402

EXCLUDED = 0xF04  # unmapped, secondary, QC-failed, duplicate, supplementary
MIN_MAPQ = 20

# GRCh38 primary assembly chromosome lengths
GRCH38 = {
    "chr1": 248956422, "chr2": 242193529, "chr3": 198295559, "chr4": 190214555, "chr5": 181538259,
    "chr6": 170805979, "chr7": 159345973, "chr8": 145138636, "chr9": 138394717, "chr10": 133797422,
    "chr11": 135086622, "chr12": 133275309, "chr13": 114364328, "chr14": 107043718,
    "chr15": 101991189, "chr16": 90338345, "chr17": 83257441, "chr18": 80373285, "chr19": 58617616,
    "chr20": 64444167, "chr21": 46709983, "chr22": 50818468, "chrX": 156040895, "chrY": 57227415,
}


def bedcov(bam: str, bed: str) -> np.ndarray:
    out = subprocess.run(["samtools", "bedcov", "-c", "-j", "-Q", str(MIN_MAPQ), "-G", "0x800", bed, bam],
                         check=True, capture_output=True, text=True).stdout
    return np.array([int(line.split("\t")[-1]) for line in out.splitlines()])


def pysam_loop(bam: str, bed: str) -> np.ndarray:
    """Reads overlapping each bin, with bedcov's filters, one Python step per read."""
    bins = read_regions(bed)
    counts = np.zeros(len(bins), dtype=int)
    with pysam.AlignmentFile(bam) as handle:
        for i, (chrom, start, end) in enumerate(bins):
            for read in handle.fetch(chrom, start, end):
                if read.flag & EXCLUDED or read.mapping_quality < MIN_MAPQ:
                    continue
                counts[i] += 1
    return counts


def pysam_starts(bam: str, bed: str) -> np.ndarray:
    """Each read counted once, in the bin its alignment starts in (bins
    sorted and adjacent within a chromosome, as the workflow's are)."""
    bins = read_regions(bed)
    counts = np.zeros(len(bins), dtype=int)
    by_chrom: dict[str, list[int]] = {}
    for index, (chrom, _, _) in enumerate(bins):
        by_chrom.setdefault(chrom, []).append(index)
    with pysam.AlignmentFile(bam) as handle:
        for chrom, indices in by_chrom.items():
            starts = np.array([bins[i][1] for i in indices])
            ends = np.array([bins[i][2] for i in indices])
            positions = np.fromiter((r.reference_start for r in handle.fetch(chrom, int(starts[0]), int(ends[-1]))
                                     if not r.flag & EXCLUDED and r.mapping_quality >= MIN_MAPQ), dtype=np.int64)
            slot = np.searchsorted(starts, positions, side="right") - 1
            inside = (slot >= 0) & (positions < ends[np.clip(slot, 0, None)])
            counts[indices] = np.bincount(slot[inside], minlength=len(indices))
    return counts


def workflow_counts(bam: str, bed: str) -> np.ndarray:
    """The workflow's counting (rule bin_counts), in this interpreter."""
    return count_region_reads(bam, [read_regions(bed)], MIN_MAPQ)[0]


def workflow_process(bam: str, bed: str, threads: int = 2) -> None:
    """As the rule runs it (2 threads, one decompressing the BAM): its own
    process, start-up and imports included."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(REPO / "workflow" / "scripts" / "count_region_reads.py"),
                        "--threads", str(threads), bam, str(MIN_MAPQ), bed, f"{tmp}/counts.tsv"], check=True)


def workflow_process_one_thread(bam: str, bed: str) -> None:
    workflow_process(bam, bed, threads=1)


def mosdepth(bam: str, bed: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["mosdepth", "--no-per-base", "--fast-mode", "--mapq", str(MIN_MAPQ), "--flag",
                        str(EXCLUDED), "--by", bed, f"{tmp}/m", bam], check=True, capture_output=True,
                       env=dict(os.environ, MOSDEPTH_PRECISION="7"))


def human_cell(directory: Path, reads: int, bin_bp: int = 500_000, read_bp: int = 100) -> tuple[str, str]:
    """A coordinate-sorted BAM of `reads` uniform reads over GRCh38 and its bins."""
    directory.mkdir(parents=True, exist_ok=True)
    bam, bed = directory / "cell.bam", directory / "bins.bed"
    header = {"HD": {"VN": "1.6", "SO": "coordinate"},
              "SQ": [{"SN": name, "LN": length} for name, length in GRCH38.items()]}
    rng = np.random.default_rng(1)
    lengths = np.array(list(GRCH38.values()), dtype=float)
    per_chrom = rng.multinomial(reads, lengths / lengths.sum())
    with pysam.AlignmentFile(str(bam), "wb", header=header) as out:
        template = pysam.AlignedSegment(out.header)
        template.cigarstring, template.mapping_quality = f"{read_bp}M", 60
        template.query_sequence = "A" * read_bp
        template.query_qualities = pysam.qualitystring_to_array("I" * read_bp)
        for chrom_id, (length, n) in enumerate(zip(GRCH38.values(), per_chrom)):
            for index, start in enumerate(np.sort(rng.integers(0, length - read_bp, n))):
                template.query_name = f"r{chrom_id}_{index}"
                template.reference_id, template.reference_start = chrom_id, int(start)
                out.write(template)
    pysam.index(str(bam))
    with open(bed, "w") as handle:
        for name, length in GRCH38.items():
            for start in range(0, length, bin_bp):
                handle.write(f"{name}\t{start}\t{min(start + bin_bp, length)}\n")
    return str(bam), str(bed)


def best_time(function, *args, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bam", help="a BAM (with BINS_BED), or the directory for --human-cell")
    parser.add_argument("bed", nargs="?")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--human-cell", type=int, metavar="READS",
                        help="write and count a uniform cell of READS reads over GRCh38's lengths")
    args = parser.parse_args()
    if args.human_cell:
        args.bam, args.bed = human_cell(Path(args.bam), args.human_cell)
    elif not args.bed:
        parser.error("BAM and BINS_BED are needed without --human-cell")
    exact = bedcov(args.bam, args.bed)
    agree = np.array_equal(exact, pysam_loop(args.bam, args.bed))
    workflow_agrees = np.array_equal(exact, workflow_counts(args.bam, args.bed))
    once = pysam_starts(args.bam, args.bed)
    ratio = once[exact > 0] / exact[exact > 0]
    reads = int(pysam.view("-c", args.bam).strip())
    times = {name: best_time(f, args.bam, args.bed, repeats=args.repeats)
             for name, f in [("samtools bedcov -c", bedcov), ("workflow (process)", workflow_process),
                             ("workflow (1 thread)", workflow_process_one_thread),
                             ("workflow (in-process)", workflow_counts), ("pysam loop", pysam_loop),
                             ("pysam read starts", pysam_starts), ("mosdepth --by", mosdepth)]}
    print(f"BAM {args.bam}: {reads} records, {len(exact)} bins; "
          f"counts identical to bedcov's: pysam loop {agree}, workflow {workflow_agrees}")
    print(f"read starts / bedcov per bin: median {np.median(ratio):.3f}, IQR {np.quantile(ratio, 0.25):.3f}-"
          f"{np.quantile(ratio, 0.75):.3f}; totals {once.sum()} / {exact.sum()}")
    base = times["samtools bedcov -c"]
    for name, seconds in times.items():
        print(f"{name:20s} {seconds:8.3f} s   {seconds / base:6.2f} x bedcov")


if __name__ == "__main__":
    main()
