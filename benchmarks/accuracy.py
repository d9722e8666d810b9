"""Accuracy of the workflow's HER2 calls over reads per cell, WGA kit and ERBB2
amplification level, on simulated cohorts with known truth.

    .venv/bin/python benchmarks/accuracy.py --outdir /tmp/acc --grid small

For each seed, one cohort per (reads per cell, kit) is simulated with
simulator/simulate_cohort.py's options; all cohorts of a seed share one
genome, so they run as one Snakemake invocation of the real workflow (the
profile profiles/default is loaded automatically) up to
results/copy_number/summary.tsv. The workflow's calls are then scored
against the truth files. Writes OUTDIR/results.tsv (one row per grid point),
OUTDIR/cells.tsv (every cell, truth beside call), OUTDIR/pooled.tsv (per kit over
the depths of >= 0.5 M reads, each cell once), OUTDIR/accuracy.png, and
prints the table. Reads per cell are stated as human-genome equivalents: see
benchmarks/accuracy_grid.py and docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
sys.path.insert(0, str(ROOT / "simulator"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd  # noqa: E402
import yaml  # noqa: E402
from accuracy_grid import (  # noqa: E402
    GRIDS,
    CohortPoint,
    cohort_points,
    reads_label,
    reads_per_bin,
)
from accuracy_report import format_table, plot, write_results  # noqa: E402
from accuracy_score import (  # noqa: E402
    load_calls,
    load_truth,
    point_metrics,
    pooled_table,
    score_cells,
)
from harness import run_snakemake, snakemake_command  # noqa: E402

from ctc_simulator import build_spec, simulate_cohort  # noqa: E402

TARGET = "results/copy_number/summary.tsv"
POOLED_MIN_READS = 500_000  # the accuracy condition: >= 0.5 M reads per cell


def log(message: str) -> None:
    print(f"[accuracy {time.strftime('%H:%M:%S')}] {message}", flush=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- simulate
def simulate(point: CohortPoint, directory: Path, jobs: int) -> float:
    """Simulate one cohort unless the same design and seed are already there."""
    design = dataclasses.asdict(point.design())
    stamp = directory / "design.json"
    wanted = json.dumps({"seed": point.seed, "design": design}, sort_keys=True)
    if stamp.is_file() and stamp.read_text() == wanted:
        log(f"{point.label} (seed {point.seed}): already simulated")
        return 0.0
    if directory.exists():
        shutil.rmtree(directory)
    spec = build_spec(point.design(), point.label)
    summary = simulate_cohort(spec, str(directory), point.seed, jobs)
    stamp.write_text(wanted)
    log(f"{point.label} (seed {point.seed}): simulated in {summary.seconds:.0f} s")
    return summary.seconds


def merge_sheets(cohorts: dict[str, Path], workdir: Path) -> tuple[Path, Path]:
    """One sample sheet and one unit sheet over all cohorts of a seed."""
    samples = pd.concat(
        [pd.read_csv(d / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
         for d in cohorts.values()]
    )  # fmt: skip
    units = pd.concat(
        [pd.read_csv(d / "units.tsv", sep="\t", dtype=str, keep_default_na=False)
         for d in cohorts.values()]
    )  # fmt: skip
    paths = workdir / "samples.tsv", workdir / "units.tsv"
    samples.to_csv(paths[0], sep="\t", index=False)
    units.to_csv(paths[1], sep="\t", index=False)
    return paths


def write_config(reference_dir: Path, sheets: tuple[Path, Path], workdir: Path, bin_size: int) -> Path:
    """config/config.yaml with the cohort's sheets and reference: every
    threshold stays the workflow's default; the bins and gene tiles are
    sized for the grid."""
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["samples"], config["units"] = str(sheets[0]), str(sheets[1])
    config["results"] = "results"
    config["reference"] = {
        "fasta": str(reference_dir / "genome.fa"),
        "build": "simulated",
    }
    config["targets"] = {"panel": None, "wes": None}
    config["resources"] = {
        "genes": str(reference_dir / "genes.bed"),
        "hotspots": str(reference_dir / "hotspots.tsv"),
        "reference_regions": str(reference_dir / "reference_regions.bed"),
    }
    config["copy_number"]["bin_size"] = bin_size
    # a gene's tiles hold what a human cell's 50 kb tile holds at any bin size
    # (the grids put a human 500 kb bin's reads in each bin): a tenth of a
    # bin, with flanks of 3 bins, the defaults at 500 kb bins
    config["copy_number"]["gene_window"].update(min_bp=bin_size // 10, flank_bp=3 * bin_size)
    config["multiqc"]["title"] = "ctc-profiler accuracy benchmark"
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def run_workflow(workdir: Path, config: Path, cores: int) -> tuple[int, float]:
    command = snakemake_command(workdir, config, TARGET, cores=cores)
    log(f"running: {' '.join(command)} (log: {workdir / 'snakemake.log'})")
    started = time.perf_counter()
    code = run_snakemake(command, workdir / "snakemake.log", cwd=workdir)
    seconds = time.perf_counter() - started
    status = "finished" if code == 0 else f"FAILED (exit {code})"
    log(f"workflow {status} in {seconds / 60:.1f} min")
    return code, seconds


def run_seed(
    points: list[CohortPoint], workdir: Path, cores: int, jobs: int
) -> dict[str, object]:
    """Simulate a seed's cohorts, run the workflow once over them all."""
    cohorts = {p.label: workdir / "cohorts" / p.label for p in points}
    sim_seconds = sum(simulate(p, cohorts[p.label], jobs) for p in points)
    genomes = {sha256(d / "reference" / "genome.fa") for d in cohorts.values()}
    if len(genomes) != 1:
        raise RuntimeError("cohorts of one seed should share their genome; they differ")
    reference = next(iter(cohorts.values())) / "reference"
    config = write_config(reference, merge_sheets(cohorts, workdir), workdir, points[0].grid.bin_size)
    code, seconds = run_workflow(workdir, config, cores)
    return {"simulation_s": sim_seconds, "workflow_s": seconds, "exit_code": code}


# ------------------------------------------------------------------- score
def score(
    points: list[CohortPoint], outdir: Path
) -> tuple[list[dict[str, object]], pd.DataFrame]:
    """One row per (reads, kit, ERBB2 level), pooled over seeds."""
    tables = []
    for point in points:
        workdir = outdir / f"seed{point.seed}"
        truth = load_truth(workdir / "cohorts" / point.label)
        cells = score_cells(truth, load_calls(workdir, list(truth["sample"])))
        cells.insert(0, "seed", point.seed)
        cells.insert(1, "kit", point.kit)
        cells.insert(2, "reads_human", point.human_reads)
        tables.append(cells)
    cells = pd.concat(tables, ignore_index=True)
    grid = points[0].grid
    rows = []
    for human_reads in grid.human_reads:
        for kit in grid.kits:
            subset = cells[
                (cells["reads_human"] == human_reads) & (cells["kit"] == kit)
            ]
            for level in grid.erbb2_cn:
                rows.append(
                    {
                        "reads_human": human_reads,
                        "reads_simulated": grid.reads(human_reads),
                        "reads_per_bin_nominal": round(reads_per_bin(human_reads), 1),
                        "kit": kit,
                        "erbb2_cn": level,
                        "seeds": len(subset["seed"].unique()),
                        **point_metrics(subset, level),
                    }
                )
    return rows, cells


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--outdir", required=True, type=Path, help="working and output directory"
    )
    parser.add_argument(
        "--grid",
        default="small",
        choices=sorted(GRIDS),
        help="small: 0.5/1/2 M reads x PicoPLEX, MDA x ERBB2 CN 6, 10, one seed, "
        "about 15 min on 2 idle cores; focal: PicoPLEX with a 2-bin amplicon (1 Mb at human bins); "
        "kits: every WGA kit at 0.25-2 M; bins500: every kit at 0.5-2 M on a genome divided by 8 with "
        "500 kb bins (a human bin's DNA per bin) and a 1 Mb amplicon; scatter: bins500 with a coverage level "
        "per chromosome (SD 0.27 log2, as real DOP-PCR cells); full: 5 depths x 5 kits x 5 levels x 2 seeds, hours",
    )
    parser.add_argument(
        "--seeds", type=int, nargs="+", help="seeds instead of the grid's"
    )
    parser.add_argument(
        "--cores", type=int, default=2, help="Snakemake cores (default: 2)"
    )
    parser.add_argument(
        "--score-only",
        action="store_true",
        help="score the existing outputs under OUTDIR without simulating or running",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the table as Markdown"
    )
    parser.add_argument(
        "--remove-reads",
        action="store_true",
        help="delete the simulated reads and the workflow's BAMs once a seed is done (large grids)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.outdir = (
        args.outdir.resolve()
    )  # the sheets' FASTQ paths must not depend on the cwd
    grid = GRIDS[args.grid]
    seeds = tuple(args.seeds) if args.seeds else grid.seeds
    points = list(cohort_points(grid, seeds))
    args.outdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    runs = {}
    if not args.score_only:
        for seed in seeds:
            workdir = args.outdir / f"seed{seed}"
            workdir.mkdir(exist_ok=True)
            seed_points = [p for p in points if p.seed == seed]
            runs[seed] = run_seed(seed_points, workdir, args.cores, args.cores)
            if args.remove_reads:
                for path in [*(workdir / "cohorts").glob("*/reads"), workdir / "results" / "bam",
                             workdir / "results" / "trimmed"]:  # fmt: skip
                    shutil.rmtree(path, ignore_errors=True)
    rows, cells = score(points, args.outdir)
    table = write_results(rows, args.outdir / "results.tsv")
    cells.to_csv(args.outdir / "cells.tsv", sep="\t", index=False, float_format="%.4g")
    plot(table, args.outdir / "accuracy.png",
         f"ctc-profiler accuracy, grid {grid.name}, seeds {', '.join(map(str, seeds))}")  # fmt: skip
    print(format_table(rows, markdown=args.markdown))
    pooled = pooled_table(cells, grid.erbb2_cn, POOLED_MIN_READS)
    pooled.to_csv(args.outdir / "pooled.tsv", sep="\t", index=False)
    print(f"\nPer cell, each counted once, over depths >= {reads_label(POOLED_MIN_READS)} "
          f"(QC-passing, non-failed single cells unless the column says otherwise):")
    print(pooled.to_markdown(index=False) if args.markdown else pooled.to_string(index=False))
    for seed, run in runs.items():
        print(
            f"seed {seed}: simulation {run['simulation_s']:.0f} s, workflow "
            f"{run['workflow_s'] / 60:.1f} min, exit code {run['exit_code']}"
        )
    print(f"total {(time.perf_counter() - started) / 60:.1f} min; "
          f"results in {args.outdir / 'results.tsv'}, {args.outdir / 'accuracy.png'}")  # fmt: skip
    depth = ", ".join(
        f"{reads_label(r)} -> {grid.reads(r)}" for r in grid.human_reads
    )
    print(f"reads per cell, human-equivalent -> simulated: {depth}")
    return 0 if all(run["exit_code"] == 0 for run in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
