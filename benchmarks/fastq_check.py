"""Cost of the FASTQ checks: the start-up look at the first record of every
FASTQ of a cohort, and the full pass of one unit before trimming.

    .venv/bin/python benchmarks/fastq_check.py --files 2000 --reads 1000000

Writes gzip FASTQs under a temporary folder: FILES small ones (the cohort's
files at start-up) and one of READS reads of 100 bp (a unit read to the end),
then prints the seconds each check takes and the throughput of the full pass,
beside `gzip -dc | wc -l` on the same file for scale.
"""

from __future__ import annotations

import argparse
import gzip
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow" / "scripts"))
from ctc_profiler.inputs.fastq_check import check_unit, head_problems  # noqa: E402


def write_fastq(path: Path, reads: int, block: list[str]) -> None:
    with gzip.open(path, "wt", compresslevel=1) as handle:
        for i in range(reads):
            handle.write(f"@read{i} 1:N:0:1\n{block[i % len(block)]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--reads", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(1)
    # 1000 distinct random 100 bp records, repeated
    block = [f"{''.join(rng.choice('ACGT') for _ in range(100))}\n+\n{'I' * 100}\n"
             for _ in range(1000)]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for i in range(args.files):
            write_fastq(base / f"cell{i}.fastq.gz", 200, block)
        start = time.perf_counter()
        problems = [p for i in range(args.files) for p in head_problems(f"cell{i}.fastq.gz", None, base)]
        head_seconds = time.perf_counter() - start
        assert not problems, problems[:3]
        big = base / "unit.fastq.gz"
        write_fastq(big, args.reads, block)
        start = time.perf_counter()
        summary = check_unit(big)
        full_seconds = time.perf_counter() - start
        assert summary.reads == args.reads
        start = time.perf_counter()
        subprocess.run(f"gzip -dc '{big}' | wc -l", shell=True, check=True, capture_output=True)
        gzip_seconds = time.perf_counter() - start
        size_mb = big.stat().st_size / 1e6
    print(f"start-up look, {args.files} FASTQs: {head_seconds:.2f} s "
          f"({1000 * head_seconds / args.files:.2f} ms per file)")
    print(f"full pass, {args.reads} reads ({size_mb:.0f} MB gzip): {full_seconds:.2f} s "
          f"({args.reads / full_seconds / 1e6:.2f} M reads/s); gzip -dc | wc -l: {gzip_seconds:.2f} s")


if __name__ == "__main__":
    main()
