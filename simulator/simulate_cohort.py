#!/usr/bin/env python3
"""Generate a synthetic cohort (genome, reads, sample sheets and truth) for
running and testing ctc-profiler end to end without downloads.

Examples:
    python simulator/simulate_cohort.py --outdir demo --seed 1
    python simulator/simulate_cohort.py --outdir lab --primary-her2 negative \\
        --ctcs 8 --amplified-ctcs 3 --kit MALBAC --reads-per-cell 1M
    python simulator/simulate_cohort.py --outdir lab --cohort my_lab.yaml
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ctc_simulator import PRESETS, simulate_cohort  # noqa: E402
from ctc_simulator.design import (  # noqa: E402
    CHOICES,
    FIELDS,
    FLAG_FIELDS,
    FLOAT_FIELDS,
    HELP,
    INT_FIELDS,
    CohortDesign,
    DesignError,
    build_spec,
    design_from_mapping,
    preset_design,
    read_design_file,
)

LAYOUT = """
cohort files (--cohort FILE.yaml) hold the same keys as the cohort options,
with - or _, e.g.
  ctcs: 8
  amplified-ctcs: 3
  kit: MALBAC
  reads-per-cell: 1_000_000
  failed-cells: 1
Settings apply in order: the preset, then the cohort file, then options given
on the command line. Read counts accept 1000000, 1_000_000, 1e6, 1M or 250k.

output layout under OUTDIR:
  reference/  genome.fa(.fai), genes.bed, reference_regions.bed,
              panel_targets.bed, hotspots.tsv
  reads/      <sample>.<library>.R1.fastq.gz (and .R2 for paired libraries)
  samples.tsv, units.tsv   sample sheets for the workflow (FASTQ paths start
                           with OUTDIR exactly as given)
  config.yaml              the workflow config of the cohort: run
                           `snakemake --configfile OUTDIR/config.yaml`
                           from the same directory
  truth/      samples.tsv, copy_number.tsv, genes.tsv, variants.tsv,
              discordance.tsv, amplification_errors.tsv, README.md (column
              descriptions); low_depth_targets.tsv with --wbc-low-depth-share
  resources/  population_af.vcf.gz(.tbi), the population AFs of the shared
              germline SNPs, with --shared-germline-fraction above 0

The same seed and settings always give byte-identical files.
"""


def _default_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "the kit's"
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return str(value)


def _metavar(key: str) -> str:
    if key in INT_FIELDS:
        return "N"
    if key in FLOAT_FIELDS:
        return "X"
    return {"erbb2_cn": "CN[,CN...]", "egfr_amplicon_cn": "CN[,CN...]", "patient_prefix": "PREFIX",
            "kit": "KIT[,KIT...]"}[key]


def build_parser() -> argparse.ArgumentParser:
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
        help="cohort the settings start from (default: demo: one patient, a "
        "HER2-negative primary, 2 WBCs, 4 CTCs of which 2 ERBB2-amplified and 1 "
        "with EGFR L858R, PicoPLEX, 60,000 reads per cell)",
    )
    parser.add_argument(
        "--cohort",
        metavar="FILE.yaml",
        help="cohort file: a YAML mapping of the cohort options below",
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
    group = parser.add_argument_group(
        "cohort options",
        "override the preset and the cohort file; defaults are the demo's",
    )
    defaults = CohortDesign()
    for key in FIELDS:
        flag = "--" + key.replace("_", "-")
        text = f"{HELP[key]} (default: {_default_text(getattr(defaults, key))})"
        if key in FLAG_FIELDS:
            group.add_argument(
                flag,
                action=argparse.BooleanOptionalAction,
                default=argparse.SUPPRESS,
                help=text,
            )
        else:
            # Values stay text here: the cohort file and the command line share
            # one parser (design.parse_value), so both give the same design.
            group.add_argument(
                flag,
                dest=key,
                default=argparse.SUPPRESS,
                choices=CHOICES.get(key),
                metavar=None if key in CHOICES else _metavar(key),
                help=text,
            )
    return parser


def parse_args(
    argv: list[str] | None = None,
) -> tuple[argparse.Namespace, CohortDesign]:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.seed < 0:
        parser.error("--seed must be a non-negative integer")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    given = {key: getattr(args, key) for key in FIELDS if hasattr(args, key)}
    try:
        design = preset_design(args.preset)
        if args.cohort:
            design = read_design_file(args.cohort, design)
        design = design_from_mapping(given, design)
    except (DesignError, OSError) as error:
        parser.error(str(error))
    return args, design


def main(argv: list[str] | None = None) -> int:
    args, design = parse_args(argv)
    name = args.preset if design == preset_design(args.preset) else "custom"
    summary = simulate_cohort(
        build_spec(design, name), args.outdir, args.seed, args.jobs, args.tag_origin
    )
    origin = f"preset {args.preset}" if name != "custom" else "custom cohort"
    print(
        f"simulate_cohort: wrote {len(summary.files)} files ({summary.bytes / 1e6:.1f} MB) "
        f"to {args.outdir} in {summary.seconds:.1f} s ({origin}, seed {args.seed})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
