"""Memory and time of the per-cell steps on a human-size cell, and of bwa on a
human-length genome, as the rules run them (the figures behind the rules'
`mem_mb`; docs/hpc.md, "Memory on a human-size cell").

    python benchmarks/human_size.py [--workdir DIR] [--reads 1000000] [--genomes-mb 100 200]

Cell: a BAM over GRCh38's primary contig lengths (chr1-22, X, Y: 3.09 Gb)
holding `--reads` uniformly placed 100 bp reads, MAPQ 60, sorted and indexed;
bins of 500 kb (6,188 bins). Each rule's command
runs on it alone, and its peak resident memory and seconds (GNU time,
Debian package `time`) are printed: samtools markdup, samtools stats and
flagstat, mosdepth, bin_counts.

bwa: its memory grows with the genome, not the cell. It cannot be measured
on GRCh38 here (no human sequence on this machine), so `bwa index` and
`bwa mem` (10,000 reads) run on random genomes of `--genomes-mb` (over
50 Mb, where bwa index uses the bwtsw algorithm it uses for GRCh38) and the
line through them is extended to 3,100 Mb. That is an extrapolation, and
printed as one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pysam

ROOT = Path(__file__).resolve().parents[1]
# GRCh38 primary assembly lengths (UCSC hg38 chrom.sizes)
GRCH38 = {
    "chr1": 248956422, "chr2": 242193529, "chr3": 198295559, "chr4": 190214555,
    "chr5": 181538259, "chr6": 170805979, "chr7": 159345973, "chr8": 145138636,
    "chr9": 138394717, "chr10": 133797422, "chr11": 135086622, "chr12": 133275309,
    "chr13": 114364328, "chr14": 107043718, "chr15": 101991189, "chr16": 90338345,
    "chr17": 83257441, "chr18": 80373285, "chr19": 58617616, "chr20": 64444167,
    "chr21": 46709983, "chr22": 50818468, "chrX": 156040895, "chrY": 57227415,
}
BIN = 500_000
READ_LENGTH = 100
HUMAN_MB = 3_100


def measured(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run a command under GNU time; its wall and CPU seconds and peak resident memory
    in MB (of the process itself: commands here are single processes; GNU
    time, unlike wait4 from here, does not count the memory of the Python
    process the command was forked from)."""
    with tempfile.NamedTemporaryFile("r") as figures, open(os.devnull, "w") as out:
        process = subprocess.run(["/usr/bin/time", "-o", figures.name, "-f", "%e %U %S %M", *cmd], cwd=cwd,
                                 stdout=out, stderr=subprocess.PIPE, text=True)
        if process.returncode != 0:
            raise SystemExit(f"failed: {cmd}\n{process.stderr[-2000:]}")
        seconds, user, system, kilobytes = figures.read().split()[-4:]
    return float(seconds), float(user) + float(system), int(kilobytes) / 1024


def write_cell(path: Path, reads: int, rng: np.random.Generator) -> None:
    """A sorted, indexed BAM of `reads` reads spread over GRCh38's lengths in
    proportion to them."""
    header = {"HD": {"VN": "1.6", "SO": "coordinate"},
              "SQ": [{"SN": name, "LN": length} for name, length in GRCH38.items()],
              "RG": [{"ID": "cell", "SM": "cell"}]}
    lengths = np.array(list(GRCH38.values()), dtype=float)
    per_contig = rng.multinomial(reads, lengths / lengths.sum())
    bases = np.frombuffer(b"ACGT", dtype=np.uint8)
    qualities = pysam.qualitystring_to_array("I" * READ_LENGTH)
    number = 0
    with pysam.AlignmentFile(str(path), "wb", header=header) as bam:
        for tid, (length, count) in enumerate(zip(GRCH38.values(), per_contig)):
            for start in np.sort(rng.integers(0, length - READ_LENGTH, count)):
                read = pysam.AlignedSegment(bam.header)
                read.query_name = f"r{number}"
                read.query_sequence = bases[rng.integers(0, 4, READ_LENGTH)].tobytes().decode()
                read.flag = 0
                read.reference_id = tid
                read.reference_start = int(start)
                read.mapping_quality = 60
                read.cigarstring = f"{READ_LENGTH}M"
                read.query_qualities = qualities
                read.set_tag("RG", "cell")
                bam.write(read)
                number += 1
    pysam.index(str(path))


def write_bins(path: Path) -> int:
    rows = [f"{name}\t{start}\t{min(start + BIN, length)}\n"
            for name, length in GRCH38.items() for start in range(0, length, BIN)]
    path.write_text("".join(rows))
    return len(rows)


def cell_steps(workdir: Path, reads: int, rng: np.random.Generator) -> None:
    bam = workdir / "cell.bam"
    write_cell(bam, reads, rng)
    bins = write_bins(workdir / "bins.bed")
    (workdir / "windows.bed").write_text("chr17\t39688093\t39728658\nchr7\t55019016\t55211628\n")
    print(f"# cell: {reads:,} reads over GRCh38's lengths, {bins:,} bins of {BIN // 1000} kb")
    steps = {
        # rule merge_markdup (its markdup step; the merge before it streams)
        "merge_markdup (samtools markdup)": ["samtools", "markdup", "-@", "1", "-s", "-T", "md",
                                             "cell.bam", "markdup.bam"],
        "samtools_stats": ["samtools", "stats", "cell.bam"],
        "samtools_flagstat": ["samtools", "flagstat", "cell.bam"],
        "mosdepth": ["mosdepth", "--threads", "1", "--no-per-base", "--fast-mode", "--mapq", "20",
                     "--by", str(BIN), "md", "cell.bam"],
        # not a rule: reading every record once with htslib, the floor of any counter
        "samtools view -c (reading the BAM once)": ["samtools", "view", "-c", "cell.bam"],
        "bin_counts": [sys.executable, str(ROOT / "workflow/scripts/bin_counts.py"), "cell.bam", "30",
                       "bins.bed", "counts.tsv", "windows.bed", "window_counts.tsv"],
    }
    print("step\tseconds\tcpu_s\tpeak_rss_mb")
    for name, cmd in steps.items():
        seconds, cpu, rss = measured(cmd, workdir)
        print(f"{name}\t{seconds:.2f}\t{cpu:.2f}\t{rss:.0f}", flush=True)


def write_genome(path: Path, megabases: int, rng: np.random.Generator) -> None:
    """A random genome of 10 Mb contigs."""
    bases = np.frombuffer(b"ACGT", dtype=np.uint8)
    with path.open("w") as handle:
        for index in range(0, megabases, 10):
            sequence = bases[rng.integers(0, 4, 10_000_000)].tobytes().decode()
            handle.write(f">c{index}\n")
            handle.writelines(sequence[i:i + 80] + "\n" for i in range(0, len(sequence), 80))


def write_reads(genome: Path, path: Path, count: int, rng: np.random.Generator) -> None:
    with pysam.FastaFile(str(genome)) as fasta, path.open("w") as handle:
        for number in range(count):
            contig = fasta.references[rng.integers(0, len(fasta.references))]
            start = int(rng.integers(0, fasta.get_reference_length(contig) - READ_LENGTH))
            handle.write(f"@r{number}\n{fasta.fetch(contig, start, start + READ_LENGTH)}\n+\n"
                         f"{'I' * READ_LENGTH}\n")


def bwa_steps(workdir: Path, sizes: list[int], rng: np.random.Generator) -> None:
    print("genome_mb\tbwa_index_s\tbwa_index_rss_mb\tbwa_mem_s\tbwa_mem_rss_mb")
    figures = []
    for megabases in sizes:
        genome = workdir / f"genome{megabases}.fa"
        write_genome(genome, megabases, rng)
        pysam.faidx(str(genome))
        index_s, _, index_mb = measured(["bwa", "index", genome.name], workdir)
        reads = workdir / f"reads{megabases}.fq"
        write_reads(genome, reads, 10_000, rng)
        # as rule bwa_mem runs it (one thread, as the local profile sets it)
        mem_s, _, mem_mb = measured(["bwa", "mem", "-t", "1", "-K", "10000000", genome.name, reads.name], workdir)
        figures.append((megabases, index_mb, mem_mb))
        print(f"{megabases}\t{index_s:.1f}\t{index_mb:.0f}\t{mem_s:.1f}\t{mem_mb:.0f}", flush=True)
        for stale in workdir.glob(f"genome{megabases}.fa*"):
            stale.unlink()
    if len(figures) > 1:
        sizes_mb = np.array([f[0] for f in figures], dtype=float)
        for column, name in ((1, "bwa index"), (2, "bwa mem")):
            slope, intercept = np.polyfit(sizes_mb, [f[column] for f in figures], 1)
            print(f"# {name}: {slope:.2f} MB per Mb of genome + {intercept:.0f} MB; extended to "
                  f"{HUMAN_MB:,} Mb (an extrapolation): {slope * HUMAN_MB + intercept:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", help="keep the files here")
    parser.add_argument("--reads", type=int, default=1_000_000)
    parser.add_argument("--genomes-mb", type=int, nargs="*", default=[100, 200],
                        help="random genomes for bwa (none: skip bwa)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="ctc_human_size_"))
    workdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    print(f"# {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    cell_steps(workdir, args.reads, rng)
    if args.genomes_mb:
        bwa_steps(workdir, args.genomes_mb, rng)
    if not args.workdir:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
