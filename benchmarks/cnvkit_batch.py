"""The workflow's copy-number step against `cnvkit.py batch --method wgs`, side
by side on the same BAMs, bins and cores, in one run.

    .venv/bin/python benchmarks/cnvkit_batch.py --workdir RUN --outdir OUT [--repeats 2] [--cores 2]
    .venv/bin/python benchmarks/cnvkit_batch.py --workdir RUN --outdir OUT --simulate

RUN is a directory the workflow ran in (RUN/config.yaml, its BAMs under
results/bam). With --simulate a cohort is made there first and the
workflow run on it up to the copy number: 4 patients, each with a primary,
2 WBC cells and 5 CTCs (28 cells), PicoPLEX, 500,000 reads per cell, no
panel, on the simulator's 23.6 Mb genome at 4 kb bins (about 5,900 bins).

Each repeat times, one after the other on the same cores:

  workflow  `snakemake --cores N results/copy_number/summary.tsv` after
            results/copy_number is removed: the bins and gene windows, a
            bin_counts job per sample, reference_normals per group of
            normals, call_copy_number per patient, the per-sample links and
            the summary; Snakemake's own start-up and planning included
  cnvkit    per patient, `cnvkit.py batch <primary and CTC BAMs> --normal
            <WBC BAMs> --method wgs --targets <the workflow's bins>
            --target-avg-size <bin size> --fasta <reference> -p N`, the
            patients one after the other (its default segmentation, CBS,
            needs R with DNAcopy: `apt-get install r-bioc-dnacopy`)

Wall seconds, and CPU seconds of all child processes (user + system). The
workflow's calls must be the same in every repeat (checked). Writes
OUT/times.tsv (every repeat), OUT/steps.tsv (the workflow's benchmark
files per step, last repeat), OUT/run.json (commands, machine, load) and
prints the table. CNVkit is installed into benchmarks/.venv-cnvkit when
missing (cnvkit_peer.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "workflow" / "scripts"))
sys.path.insert(0, str(REPO / "benchmarks"))

from cnvkit_peer import CNVKIT_VERSION, cnvkit_targets, ensure_cnvkit  # noqa: E402
from harness import run_snakemake, snakemake_command, workflow_env  # noqa: E402

from ctc_profiler.report.run_time import benchmark_table  # noqa: E402

SIMULATOR_OPTIONS = ["--patients", "4", "--ctcs", "5", "--wbcs", "2", "--reads-per-cell", "500000", "--no-panel"]
BIN_BP = 4000
TARGET = "results/copy_number/summary.tsv"


def simulate(workdir: Path, seed: int, cores: int) -> None:
    """The cohort above, run up to the copy number (its BAMs)."""
    workdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(REPO / "simulator" / "simulate_cohort.py"), "--outdir", "cohort",
                    "--seed", str(seed), *SIMULATOR_OPTIONS], cwd=workdir, env=workflow_env(), check=True)
    config = yaml.safe_load((workdir / "cohort" / "config.yaml").read_text())
    config["copy_number"]["bin_size"] = BIN_BP
    (workdir / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    run_snakemake(snakemake_command(workdir, workdir / "config.yaml", TARGET, cores=cores),
                  workdir / "snakemake.log", cwd=workdir, check=True)


def timed(command: list[str], cwd: Path, log: Path) -> tuple[float, float]:
    """Wall and CPU seconds (all child processes) of a command that must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(log, "a") as handle:
        code = subprocess.run(command, cwd=cwd, env=workflow_env(), stdout=handle, stderr=subprocess.STDOUT).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code:
        sys.exit(f"{command[0]} failed (exit {code}); see {log}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cnvkit_commands(workdir: Path, config: dict, targets: Path, outdir: Path, cnvkit: Path,
                    cores: int) -> list[list[str]]:
    """One `cnvkit.py batch` per patient: its WBCs the normals, the rest the samples."""
    sheet = pd.read_csv(workdir / config["samples"], sep="\t", dtype=str)
    commands = []
    for patient, rows in sheet.groupby("patient", sort=False):
        bams = {row.sample: str(workdir / "results" / "bam" / f"{row.sample}.lowpass_wgs.bam")
                for row in rows.itertuples()}
        normals = [bams[s] for s in rows.loc[rows["type"] == "wbc", "sample"]]
        tumours = [bams[s] for s in rows.loc[rows["type"] != "wbc", "sample"]]
        commands.append([str(cnvkit), "batch", *tumours, "--normal", *normals, "--method", "wgs",
                         "--targets", str(targets), "--target-avg-size", str(config["copy_number"]["bin_size"]),
                         "--fasta", str(workdir / config["reference"]["fasta"]), "-p", str(cores),
                         "--output-dir", str(outdir / patient)])
    return commands


def clear_copy_number(workdir: Path) -> None:
    for part in ("copy_number", "benchmarks/copy_number", "logs/copy_number"):
        shutil.rmtree(workdir / "results" / part, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--outdir", type=Path, required=True)
    parser.add_argument("--simulate", action="store_true", help="make the cohort in WORKDIR and run it first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--cnvkit-venv", type=Path, default=REPO / "benchmarks" / ".venv-cnvkit")
    args = parser.parse_args()
    workdir, outdir = args.workdir.resolve(), args.outdir.resolve()
    if args.simulate:
        simulate(workdir, args.seed, args.cores)
    outdir.mkdir(parents=True, exist_ok=True)
    if not shutil.which("Rscript"):
        sys.exit("CNVkit's default segmentation (CBS) needs R with DNAcopy: apt-get install r-bioc-dnacopy")
    cnvkit = ensure_cnvkit(args.cnvkit_venv, CNVKIT_VERSION).parent / "cnvkit.py"
    config = yaml.safe_load((workdir / "config.yaml").read_text())
    targets = cnvkit_targets(workdir / "results" / "copy_number" / "bins" / "genome.bed", outdir)
    bins = sum(1 for _ in targets.open())
    workflow = snakemake_command(workdir, workdir / "config.yaml", TARGET, cores=args.cores)
    load = os.getloadavg()[0]
    rows, summaries, commands = [], [], []
    for repeat in range(1, args.repeats + 1):
        clear_copy_number(workdir)
        wall, cpu = timed(workflow, workdir, outdir / "workflow.log")
        rows.append({"repeat": repeat, "method": "workflow", "wall_s": wall, "cpu_s": cpu})
        summaries.append(pd.read_csv(workdir / TARGET, sep="\t", dtype=str))
        shutil.rmtree(outdir / "cnvkit", ignore_errors=True)
        (outdir / "cnvkit").mkdir()
        commands = cnvkit_commands(workdir, config, targets, outdir / "cnvkit", cnvkit, args.cores)
        wall = cpu = 0.0
        for command in commands:
            w, c = timed(command, workdir, outdir / "cnvkit.log")
            wall, cpu = wall + w, cpu + c
        rows.append({"repeat": repeat, "method": "cnvkit batch", "wall_s": wall, "cpu_s": cpu})
        print(f"repeat {repeat}: " + ", ".join(f"{r['method']} {r['wall_s']:.1f} s" for r in rows[-2:]), flush=True)
    same = all(s.equals(summaries[0]) for s in summaries)
    times = pd.DataFrame(rows)
    times.to_csv(outdir / "times.tsv", sep="\t", index=False, float_format="%.2f")
    sheet = pd.read_csv(workdir / config["samples"], sep="\t", dtype=str)
    steps = benchmark_table(workdir / "results" / "benchmarks" / "copy_number", sheet["sample"],
                            sheet["patient"].unique())
    steps.to_csv(outdir / "steps.tsv", sep="\t", index=False)
    best = times.groupby("method")[["wall_s", "cpu_s"]].min()
    ratio = best.loc["workflow", "wall_s"] / best.loc["cnvkit batch", "wall_s"]
    cells = int(sheet["type"].isin(["ctc", "wbc"]).sum())
    info = {"command": sys.argv, "workflow": workflow, "cnvkit": commands, "samples": len(sheet), "cells": cells,
            "bins": bins, "cores": args.cores, "load_before": load, "machine": platform.platform(),
            "cpus": os.cpu_count(), "cnvkit_version": CNVKIT_VERSION, "calls_same_every_repeat": same,
            "best_wall_ratio": ratio, "date": time.strftime("%Y-%m-%d %H:%M")}
    (outdir / "run.json").write_text(json.dumps(info, indent=1))
    print(f"{len(sheet)} samples ({cells} cells), {bins} bins, {args.cores} cores, load {load:.2f} before")
    print(times.to_string(index=False, float_format="%.1f"))
    print(f"best wall: workflow {best.loc['workflow', 'wall_s']:.1f} s, cnvkit batch "
          f"{best.loc['cnvkit batch', 'wall_s']:.1f} s: ratio {ratio:.2f}")
    print(f"the workflow's calls the same in every repeat: {same}")
    print(steps.to_string(index=False))
    if not same:
        sys.exit("the workflow's calls differed between repeats")


if __name__ == "__main__":
    main()
