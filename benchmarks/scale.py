"""How the workflow scales: DAG construction and dry run for large cohorts, and
the workflow's own overhead on the demo.

    python benchmarks/scale.py dag [--cells 10 100 1000 5000] [--workdir DIR] [--checked]
    python benchmarks/scale.py overhead [--workdir DIR] [--cores 2] [--simulator-args "--patients 2 --ctcs 8"]

`dag` writes sample and unit sheets for cohorts of N cells (patients of up to
100 samples: one primary tumour, four WBC cells, the rest CTCs, each with a
low-pass WGS and a panel library, like the demo) over the demo reference, with
one-read FASTQ files so the start-up checks pass, and times
`snakemake -n --quiet` (parsing, sheet validation, DAG construction, dry run)
in a fresh directory per size. Prints seconds, peak memory and jobs per size.
With --checked every unit's FASTQ check is run first (not timed), so the dry
run plans the whole DAG behind the checks' checkpoint, as a run does once the
checks are done; without it a dry run plans the checks alone.

`overhead` runs the demo cohort (or, with --simulator-args, the demo with
other simulator options) end to end and compares the wall time with the
sum of the seconds in the jobs' `benchmark:` files, and prints max_rss and
seconds per rule (the figures behind the rules' resources; see docs/hpc.md).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml
from harness import run_snakemake, snakemake_command, workflow_env

ROOT_SCRIPTS = Path(__file__).resolve().parents[1] / "workflow" / "scripts"
sys.path.insert(0, str(ROOT_SCRIPTS))
from ctc_profiler.inputs.fastq_verdicts import unit_verdict, write_verdict  # noqa: E402
from ctc_profiler.report.run_time import benchmark_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES_PER_PATIENT = 100
WBC_PER_PATIENT = 4


def simulate_demo(workdir: Path, options: Sequence[str] = ()) -> None:
    """The demo cohort (reference, region files, reads) under workdir/demo,
    with the simulator's `options` on top."""
    subprocess.run([sys.executable, str(ROOT / "simulator/simulate_cohort.py"),
                    "--outdir", "demo", "--seed", "1", *options], cwd=workdir, env=workflow_env(),
                   check=True, capture_output=True)


def demo_config(workdir: Path, samples: str, units: str) -> Path:
    """The demo's own config (demo/config.yaml) with other sheets."""
    config = yaml.safe_load((workdir / "demo" / "config.yaml").read_text())
    config["samples"], config["units"] = samples, units
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def cohort_rows(cells: int) -> tuple[list[str], list[str]]:
    """Sample and unit sheet lines of a cohort with `cells` samples in all."""
    samples = ["patient\tsample\ttype\twga\tpurity"]
    units = ["sample\tunit\tlibrary\tfq1\tfq2"]
    for index in range(cells):
        patient = f"P{index // SAMPLES_PER_PATIENT + 1:03d}"
        position = index % SAMPLES_PER_PATIENT
        if position == 0:
            sample, kind, wga, purity = f"{patient}_primary", "primary", "none", "0.7"
        elif position <= WBC_PER_PATIENT:
            sample, kind, wga, purity = f"{patient}_WBC{position:02d}", "wbc", "PicoPLEX", ""
        else:
            sample, kind, wga, purity = f"{patient}_CTC{position:03d}", "ctc", "PicoPLEX", ""
        samples.append(f"{patient}\t{sample}\t{kind}\t{wga}\t{purity}")
        reads = f"reads/{sample}"
        units.append(f"{sample}\tlowpass_wgs\tlowpass_wgs\t{reads}.lowpass_wgs.R1.fastq.gz\t")
        units.append(f"{sample}\tpanel\tpanel\t{reads}.panel.R1.fastq.gz\t"
                     f"{reads}.panel.R2.fastq.gz")
    return samples, units


def write_cohort(workdir: Path, cells: int, template: Path) -> None:
    """Sheets and one-read FASTQs (hard links of one file) for `cells` samples."""
    samples, units = cohort_rows(cells)
    (workdir / "samples.tsv").write_text("\n".join(samples) + "\n")
    (workdir / "units.tsv").write_text("\n".join(units) + "\n")
    reads = workdir / "reads"
    reads.mkdir(exist_ok=True)
    for line in units[1:]:
        for fastq in line.split("\t")[3:5]:
            if fastq:
                os.link(template, workdir / fastq)


def run_measured(cmd: list[str], cwd: Path) -> tuple[int, str, float, float, float]:
    """Run a command: return code, its output, wall seconds, peak RSS (MB) and
    CPU seconds (user + system; less sensitive than wall time to other load)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(cmd, cwd=cwd, env=workflow_env(), stdout=output,
                                   stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return process.returncode, output.read(), seconds, usage.ru_maxrss / 1024, cpu


def run_checks(workdir: Path, cores: int) -> None:
    """Every unit's FASTQ check and the verdicts, so that the dry run plans
    the whole DAG behind the checkpoint, as it does once a run has begun.
    The checks run here, in this process, through the check job's own code
    (`unit_verdict`, `write_verdict`): as 10,000 Snakemake jobs they would
    take hours at 5,000 cells. Snakemake then gathers the verdicts."""
    checks = workdir / "results" / "qc" / "fastq_check"
    checks.mkdir(parents=True, exist_ok=True)
    with (workdir / "units.tsv").open() as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            verdict = unit_verdict(row["sample"], row["unit"], str(workdir / row["fq1"]),
                                   str(workdir / row["fq2"]) if row["fq2"] else None)
            write_verdict(verdict, checks / f"{row['sample']}.{row['unit']}.json")
    cmd = snakemake_command(workdir, workdir / "config.yaml", "results/qc/fastq_check/verdicts.tsv", cores=cores)
    run_snakemake(cmd, workdir / "checks.log", cwd=workdir, check=True)
    ran = re.findall(r"^(?:local)?(?:rule|checkpoint) (\w+):", (workdir / "checks.log").read_text(), re.M)
    if set(ran) != {"fastq_verdicts"}:
        raise SystemExit(f"expected only the verdicts job to run, Snakemake ran {sorted(set(ran))}")


def time_dry_run(workdir: Path) -> tuple[float, float, int, float]:
    """Wall and CPU seconds of `snakemake -n --quiet` in workdir, the number of
    jobs and the peak memory (MB)."""
    cmd = snakemake_command(workdir, workdir / "config.yaml",
                            options=("-n", "--quiet", "rules"))  # job counts, no per-job listing
    code, output, seconds, rss, cpu = run_measured(cmd, workdir)
    if code != 0:
        raise SystemExit(f"dry run failed in {workdir}:\n{output[-3000:]}")
    total = re.search(r"^total\s+(\d+)", output, re.M)
    return seconds, cpu, int(total.group(1)) if total else -1, rss


def dag(args: argparse.Namespace) -> None:
    base = Path(args.workdir or tempfile.mkdtemp(prefix="ctc_scale_"))
    base.mkdir(parents=True, exist_ok=True)
    simulate_demo(base)
    template = base / "one_read.fastq.gz"
    with gzip.open(template, "wt") as handle:
        handle.write("@r1\n" + "ACGT" * 25 + "\n+\n" + "I" * 100 + "\n")
    print(f"# {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print("cells\tjobs\twall_s\tcpu_s\tcpu_s_per_1000_jobs\tpeak_rss_mb")
    for cells in args.cells:
        workdir = base / f"cells_{cells}"
        if workdir.exists():
            shutil.rmtree(workdir)
        workdir.mkdir()
        (workdir / "demo").symlink_to(base / "demo")
        write_cohort(workdir, cells, template)
        demo_config(workdir, "samples.tsv", "units.tsv")
        if args.checked:
            run_checks(workdir, args.cores)
        seconds, cpu, jobs, rss = time_dry_run(workdir)
        print(f"{cells}\t{jobs}\t{seconds:.1f}\t{cpu:.1f}\t{1000 * cpu / max(jobs, 1):.2f}"
              f"\t{rss:.0f}", flush=True)
    if not args.workdir:
        shutil.rmtree(base)


def overhead(args: argparse.Namespace) -> None:
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="ctc_overhead_"))
    workdir.mkdir(parents=True, exist_ok=True)
    simulate_demo(workdir, shlex.split(args.simulator_args))
    demo_config(workdir, "demo/samples.tsv", "demo/units.tsv")
    cmd = snakemake_command(workdir, workdir / "config.yaml", cores=args.cores)
    load = os.getloadavg()[0]
    code, output, wall, _, _ = run_measured(cmd, workdir)
    if code != 0:
        raise SystemExit(f"demo run failed:\n{output[-3000:]}")
    print(f"# {os.cpu_count()} CPUs, load average {load:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at the end")
    with (workdir / "demo" / "samples.tsv").open() as handle:
        sheet = list(csv.DictReader(handle, delimiter="\t"))
    steps = benchmark_table(workdir / "results" / "benchmarks", [r["sample"] for r in sheet],
                            {r["patient"] for r in sheet})
    print(steps.to_csv(sep="\t", index=False, float_format="%.2f"))
    total, jobs = float(steps["wall_s"].sum()), int(steps["jobs"].sum())
    print(f"\nwall time {wall:.1f} s on {args.cores} cores; {jobs} benchmarked jobs, "
          f"sum of their seconds {total:.1f} s (= {total / args.cores:.1f} s on "
          f"{args.cores} cores if perfectly packed); overhead "
          f"{wall - total / args.cores:.1f} s ({100 * (1 - total / args.cores / wall):.0f}% "
          f"of the wall time); wall / (sum / cores) = {wall / (total / args.cores):.2f}")
    if not args.workdir:
        shutil.rmtree(workdir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dag_parser = commands.add_parser("dag", help="dry-run time against cohort size")
    dag_parser.add_argument("--cells", type=int, nargs="+", default=[10, 100, 1000, 5000])
    dag_parser.add_argument("--workdir", help="keep the generated cohorts here")
    dag_parser.add_argument("--checked", action="store_true",
                            help="run the FASTQ checks first (not timed), so the whole DAG is planned")
    dag_parser.add_argument("--cores", type=int, default=2, help="cores for the checks")
    dag_parser.set_defaults(func=dag)
    over = commands.add_parser("overhead", help="demo wall time against benchmark seconds")
    over.add_argument("--workdir", help="run the demo here and keep it")
    over.add_argument("--cores", type=int, default=2)
    over.add_argument("--simulator-args", default="",
                      help="simulator options on top of the demo's, e.g. \"--patients 2 --ctcs 8\" (20 cells)")
    over.set_defaults(func=overhead)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
