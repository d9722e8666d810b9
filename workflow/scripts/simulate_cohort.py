#!/usr/bin/env python3
"""Generate a synthetic cohort (genome, reads, sample sheets and truth) for
running and testing ctc-profiler end to end without downloads.

Example:
    python workflow/scripts/simulate_cohort.py --outdir demo --seed 1
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ctc_profiler.simulate import PRESETS, preset, simulate_cohort  # noqa: E402

LAYOUT = """
output layout under OUTDIR:
  reference/  genome.fa(.fai), genes.bed, reference_regions.bed,
              panel_targets.bed, hotspots.tsv
  reads/      <sample>.<library>.R1.fastq.gz (and .R2 for paired libraries)
  samples.tsv, units.tsv   sample sheets for the workflow (FASTQ paths start
                           with OUTDIR exactly as given)
  truth/      copy_number.tsv, genes.tsv, variants.tsv, discordance.tsv,
              README.md (column descriptions)

The same --seed and --preset always give byte-identical files.
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=LAYOUT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--outdir",
        required=True,
        help="directory to write the cohort into (created if missing)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="random seed, a non-negative integer (default: 1)",
    )
    parser.add_argument(
        "--preset",
        default="demo",
        choices=sorted(PRESETS),
        help="cohort to simulate (default: demo: one patient, a primary tumour, 2 WBCs, 4 CTCs)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes generating reads in parallel (default: up to 2); output does not depend on it",
    )
    parser.add_argument(
        "--tag-origin",
        action="store_true",
        help="debugging: add each read's true origin (locus, strand, haplotype, clone) as a header comment",
    )
    args = parser.parse_args(argv)
    if args.seed < 0:
        parser.error("--seed must be a non-negative integer")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    summary = simulate_cohort(
        preset(args.preset), args.outdir, args.seed, args.jobs, args.tag_origin
    )
    print(
        f"simulate_cohort: wrote {len(summary.files)} files ({summary.bytes / 1e6:.1f} MB) "
        f"to {args.outdir} in {summary.seconds:.1f} s (preset {args.preset}, seed {args.seed})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
