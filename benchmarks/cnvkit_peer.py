"""The workflow's copy-number calling against CNVkit on the same BAMs: ERBB2
copy number and HER2 status against the simulator's truth, and seconds per
cell, both timed side by side in one run.

    .venv/bin/python benchmarks/cnvkit_peer.py --outdir OUT [--seed 1]
    .venv/bin/python benchmarks/cnvkit_peer.py --outdir OUT --workdir RUN

Without --workdir a cohort is simulated into OUT/cohort (the demo preset
unless --preset / --simulator-args say otherwise) and the workflow's copy
number is run on it in OUT/workflow. With --workdir, RUN is a directory the
workflow ran in (RUN/config.yaml unless --configfile; its copy number is run
first if RUN lacks the summary); the truth is truth/genes.tsv beside the
run's sample sheet unless --truth is given.

Both methods get each sample's genome-wide BAM, the workflow's bins (CNVkit's
targets, no antitargets: its WGS mode) and the normalisation references the
workflow kept (summary.tsv column `reference`: the patient's WBCs for cells; a
flat reference where the workflow normalised a sample to itself). CNVkit runs
coverage -> fix -> segment -> call -m clonal --ploidy 2 (--purity from the
sample sheet for bulk, 1 for cells); its ERBB2 and chr17_ref copy numbers go
through the workflow's own HER2 classifier (ctc_profiler.core.her2_egfr_rules.her2_call), so
only the copy-number method differs.

Timing, best of --repeats, two ways:
  process     each step a fresh process, as a pipeline runs it: CNVkit's
              command line; the workflow's bin_counts command and its
              call_copy_number rule script (without Snakemake itself), by
              default in a virtual environment holding envs/python.yaml's
              pins, as `--sdm conda` runs the rule (--workflow-env)
  in-process  each method's steps in one warm interpreter (the same commands
              and scripts), leaving out interpreter start and imports
Per cell: the workflow's counts + call against CNVkit's coverage +
fix + segment + call. The workflow counts with rule bin_counts' 2 threads
(one decompresses the BAM); CNVkit's coverage runs as one process, which
was faster for it than -p 2. References are reported apart: CNVkit's is built once
per reference set, the workflow's panel (rule reference_normals) once per
group of normals.

Accuracy: per sample, ERBB2 copy number (absolute error, within +-1) and
HER2 status against truth/genes.tsv. Cells the simulator marks failed
(truth/samples.tsv) are scored apart: not_assessable is their right call.
CNVkit's other pure-Python segmentations are also run on the same .cnr
files, for accuracy only (OUT/segment_methods.tsv).

Writes OUT/results.tsv (sample x method), OUT/summary.tsv (per method and
group), OUT/steps.tsv (best time of every step), OUT/times_raw.tsv (every
repeat), OUT/segment_methods.tsv, OUT/depth_sweep.tsv (with --depth-fractions:
seconds per cell of both methods on BAMs subsampled with samtools view -s,
and the exponent of their growth with reads per cell), OUT/run.json (command, versions, options,
machine, checks that the re-runs reproduce the calls) and prints the tables.
CNVkit is installed into its own virtual environment (--cnvkit-venv), and
the rule's pins into theirs (--rule-venv), when missing.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "workflow" / "scripts"
sys.path.insert(0, str(SCRIPTS))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "envs"))  # rule_env: envs/python.yaml as pip pins

from cnvkit_workflow_steps import run_command, run_script  # noqa: E402
from harness import BIN, run_snakemake, snakemake_command  # noqa: E402
from rule_env import requirements as rule_env_requirements  # noqa: E402

from ctc_profiler.copy_number.reference_normals import normals_name  # noqa: E402
from ctc_profiler.core.her2_egfr_rules import her2_call  # noqa: E402
from ctc_profiler.inputs.sheets import load_sheets  # noqa: E402

CNVKIT_VERSION = "0.9.14"
GENOME_WIDE = ("wgs", "lowpass_wgs")  # the workflow's preference order
CELL_TYPES = {"ctc", "wbc"}
METHODS = ("workflow", "cnvkit")
MODES = ("process", "in-process")
SEGMENT_METHODS = ("haar", "hmm", "hmm-tumor", "hmm-germline", "none")
# rule bin_counts' threads. CNVkit's coverage keeps its default of one
# process: with -p 2 it took 5.71 s per cell against 5.29 s with one
# (/tmp/cnvkit_peer_scale7 against scale6), so one is its best
COUNT_THREADS = 2
PER_CELL_STEPS = {"workflow": ("counts", "call"),
                  "cnvkit": ("coverage", "fix", "segment", "call")}


@dataclass(frozen=True)
class Pythons:
    """The interpreter each method's processes run in."""
    cnvkit: Path  # CNVkit's own environment
    workflow: Path  # the workflow's rule scripts: the rule's environment or the project's


@dataclass
class Step:
    method: str
    sample: str  # a sample, or "reference:<names>" for a reference (panel)
    step: str
    kind: str  # command | script | cnvkit
    payload: dict = field(default_factory=dict)


@dataclass
class Run:
    """A finished workflow run: where everything is, and what it called."""
    workdir: Path
    config: dict
    results: Path
    samples: pd.DataFrame  # validated sheet, indexed by sample
    summary: pd.DataFrame
    bams: dict[str, Path]
    libraries: dict[str, str]  # sample -> the library of its BAM
    references: dict[str, list[str]]  # sample -> reference samples ([] = self)
    bins_tsv: Path
    bins_bed: Path
    windows: Path  # gene windows, .tsv and .bed
    fasta: Path
    genes: Path
    regions: Path
    sheet_dir: Path


# ------------------------------------------------------------------ setup
def ensure_venv(venv: Path, requirements: list[str], what: str) -> Path:
    """A virtual environment holding exactly `requirements`, created when
    missing or different; returns its python."""
    python, stamp = venv / "bin" / "python", venv / "requirements.txt"
    wanted = "\n".join(requirements) + "\n"
    if python.exists() and stamp.is_file() and stamp.read_text() == wanted:
        return python
    print(f"installing {what} into {venv} (a few minutes, once)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *requirements], check=True)
    stamp.write_text(wanted)
    return python


def ensure_cnvkit(venv: Path, version: str) -> Path:
    """CNVkit's own environment; returns its python."""
    return ensure_venv(venv, [f"cnvkit=={version}"], f"CNVkit {version}")


def simulate(cohort: Path, seed: int, preset: str, extra: list[str]) -> None:
    # absolute, because the sheets name the FASTQs by the path given here
    command = [sys.executable, str(REPO / "simulator" / "simulate_cohort.py"), "--outdir", str(cohort.resolve()),
               "--seed", str(seed), "--preset", preset, *extra]
    print("$ " + shlex.join(command), flush=True)
    subprocess.run(command, check=True)


def prepare_workdir(workdir: Path, cohort: Path, bin_size: int | None) -> Path:
    """A working directory for the shipped config: `demo` links to the cohort
    (the config's reference paths are demo/reference/...), sheets from it."""
    workdir.mkdir(parents=True, exist_ok=True)
    link = workdir / "demo"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(cohort.resolve(), target_is_directory=True)
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config["samples"] = str((cohort / "samples.tsv").resolve())
    config["units"] = str((cohort / "units.tsv").resolve())
    if bin_size:
        config["copy_number"]["bin_size"] = bin_size
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def run_workflow(workdir: Path, configfile: Path, cores: int, log: Path) -> None:
    """The workflow's copy number (its summary and everything it needs)."""
    config = yaml.safe_load(configfile.read_text())
    target = f"{config.get('results', 'results').rstrip('/')}/copy_number/summary.tsv"
    command = snakemake_command(workdir, configfile, target, cores=cores)
    print("$ " + shlex.join(command) + f"  > {log}", flush=True)
    run_snakemake(command, log, check=True)


def load_run(workdir: Path, configfile: Path) -> Run:
    from snakemake.utils import validate

    config = yaml.safe_load(configfile.read_text())
    validate(config, str(REPO / "workflow" / "schemas" / "config.schema.yaml"), set_default=True)

    def at(path: str) -> Path:
        return Path(path) if Path(path).is_absolute() else workdir / path

    def resource(name: str) -> Path:
        configured = config["resources"][name]
        shipped = REPO / "workflow" / "resources" / name / f"{config['reference']['build']}.bed"
        return at(configured) if configured else shipped

    sheets = load_sheets(at(config["samples"]), at(config["units"]), REPO / "workflow" / "schemas",
                         base=workdir, targets=config["targets"])
    results = at(config["results"])
    summary_path = results / "copy_number" / "summary.tsv"
    summary = pd.read_csv(summary_path, sep="\t", dtype={"sample": str, "reference": str})
    bams, bam_libraries, references = {}, {}, {}
    for row in summary.itertuples():
        libraries = set(sheets.units.loc[row.sample, "library"]) if row.sample in sheets.units.index else set()
        library = next((lib for lib in GENOME_WIDE if lib in libraries), None)
        if library is None:
            print(f"skipped {row.sample}: no genome-wide library (CNVkit's WGS mode needs one)")
            continue
        bams[row.sample] = results / "bam" / f"{row.sample}.{library}.bam"
        bam_libraries[row.sample] = library
        references[row.sample] = [] if row.reference == "self" else row.reference.split(",")
    bins = results / "copy_number" / "bins" / "genome"
    if not bins.with_suffix(".tsv").exists():  # runs before bins per bin set
        bins = results / "copy_number" / "bins"
    return Run(workdir=workdir, config=config, results=results, samples=sheets.samples,
               summary=summary.set_index("sample", drop=False), bams=bams, libraries=bam_libraries,
               references=references,
               bins_tsv=bins.with_suffix(".tsv"), bins_bed=bins.with_suffix(".bed"),
               windows=results / "copy_number" / "bins" / "gene_windows",
               fasta=at(config["reference"]["fasta"]), genes=resource("genes"),
               regions=resource("reference_regions"), sheet_dir=at(config["samples"]).parent)


# ------------------------------------------------------------------ plans
def sample_dict(run: Run, sample: str) -> dict:
    """The sample's sheet row as the rule's params.sample holds it."""
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in run.samples.loc[sample].to_dict().items()}


def panel_of(run: Run, sample: str) -> str:
    """The reference panel a sample belongs to or is normalised by, with its
    patient, grouped as the workflow groups them."""
    row = run.samples.loc[sample]
    return f"{row['patient']}.{normals_name(row['type'], row['wga'], run.libraries[sample])}"


def workflow_panels(run: Run) -> dict[str, list[str]]:
    panels: dict[str, list[str]] = {}
    for s in run.bams:
        if run.samples.loc[s, "type"] in ("wbc", "normal"):
            panels.setdefault(panel_of(run, s), []).append(s)
    return panels


def workflow_plan(run: Run, outdir: Path) -> list[Step]:
    """The rules bin_counts per sample, reference_normals per group of
    normals (built once, like CNVkit's reference) and call_copy_number's
    script per sample."""
    cn = run.config["copy_number"]
    d = {s: outdir / s for s in run.bams}
    for path in d.values():
        path.mkdir(parents=True, exist_ok=True)
    counts = [
        Step("workflow", s, "counts", "command", {"argv": [
            str(SCRIPTS / "bin_counts.py"), "--threads", str(COUNT_THREADS), str(bam), str(cn["min_mapq"]),
            str(run.bins_bed), f"{d[s]}/counts.tsv", f"{run.windows}.bed", f"{d[s]}/window_counts.tsv"]})
        for s, bam in run.bams.items()
    ]
    panels = workflow_panels(run)
    # the call reads its panel whenever it has other members, as in the
    # workflow, which then keeps the ratio to it or to itself (`reference`)
    has_panel = {s: any(m != s for m in panels.get(panel_of(run, s), [])) for s in run.bams}
    panel_dir = outdir / "references"
    panel_dir.mkdir(parents=True, exist_ok=True)
    references = [
        Step("workflow", "reference:" + ",".join(members), "reference", "script", {
            "script": str(SCRIPTS / "reference_normals.py"),
            "spec": {"input": {"bins": str(run.bins_tsv), "windows": f"{run.windows}.tsv",
                               "counts": [f"{d[m]}/counts.tsv" for m in members],
                               "window_counts": [f"{d[m]}/window_counts.tsv" for m in members]},
                     "output": [f"{panel_dir}/{name}.tsv"],
                     "params": {"members": members, "qc": cn["qc"]},
                     "log": [f"{panel_dir}/{name}.log"], "wildcards": {}}})
        for name, members in panels.items()
    ]
    # rule call_copy_number calls all of a patient's samples in one process;
    # here one process per sample (a patient of one), as the comparison's
    # per-cell timing needs: each sample's files land in d[s]
    calls = [
        Step("workflow", s, "call", "script", {
            "script": str(SCRIPTS / "call_copy_number.py"),
            "spec": {"input": {"windows": f"{run.windows}.tsv", "genes": str(run.genes),
                               "reference_regions": str(run.regions)},
                     "output": [str(outdir)],
                     "params": {"samples": [{
                         "row": sample_dict(run, s), "bins": str(run.bins_tsv), "counts": f"{d[s]}/counts.tsv",
                         "window_counts": f"{d[s]}/window_counts.tsv",
                         "normals": f"{panel_dir}/{panel_of(run, s)}.tsv" if has_panel[s] else None}],
                         "settings": cn},
                     "log": [f"{d[s]}/call.log"], "wildcards": {"patient": s}}})
        for s in run.bams
    ]
    return counts + references + calls


def cnvkit_targets(bins_bed: Path, outdir: Path) -> Path:
    """The workflow's bins (a BED) as CNVkit targets (CNVkit needs a name column)."""
    bins = pd.read_csv(bins_bed, sep="\t", header=None, usecols=[0, 1, 2], dtype={0: str})
    bins[3] = "-"
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / "bins.target.bed"
    bins.to_csv(path, sep="\t", header=False, index=False)
    return path


def reference_sets(run: Run) -> dict[tuple[str, ...], str]:
    """Each distinct set of reference samples -> a file stem."""
    sets = sorted({tuple(r) for r in run.references.values()})
    return {refs: (f"reference_{i}" if refs else "reference_flat") for i, refs in enumerate(sets, 1)}


def cnvkit_plan(run: Run, outdir: Path, targets: Path, segment_method: str,
                segment_threshold: float | None) -> list[Step]:
    """CNVkit's WGS steps as `batch -m wgs` runs them, one command each."""
    outdir.mkdir(parents=True, exist_ok=True)
    mapq = str(run.config["copy_number"]["min_mapq"])
    steps = [Step("cnvkit", s, "coverage", "cnvkit", {"argv": [
        "coverage", str(bam), str(targets), "-q", mapq, "-o", f"{outdir}/{s}.targetcoverage.cnn"]})
        for s, bam in run.bams.items()]
    stems = reference_sets(run)
    for refs, stem in stems.items():
        argv = (["reference", *[f"{outdir}/{r}.targetcoverage.cnn" for r in refs], "--no-edge"]
                if refs else ["reference", "-t", str(targets)])
        steps.append(Step("cnvkit", "reference:" + (",".join(refs) or "flat"), "reference", "cnvkit",
                          {"argv": argv + ["-f", str(run.fasta), "-o", f"{outdir}/{stem}.cnn"]}))
    threshold = ["-t", str(segment_threshold)] if segment_threshold is not None else []
    for s in run.bams:
        reference = f"{outdir}/{stems[tuple(run.references[s])]}.cnn"
        purity = purity_of(run, s)
        steps += [
            Step("cnvkit", s, "fix", "cnvkit", {"argv": [
                "fix", f"{outdir}/{s}.targetcoverage.cnn", "-r", reference, "--no-edge",
                "-o", f"{outdir}/{s}.cnr"]}),
            Step("cnvkit", s, "segment", "cnvkit", {"argv": [
                "segment", f"{outdir}/{s}.cnr", "-m", segment_method, *threshold,
                "-o", f"{outdir}/{s}.cns"]}),
            Step("cnvkit", s, "call", "cnvkit", {"argv": [
                "call", f"{outdir}/{s}.cns", "-m", "clonal", "--purity", f"{purity:g}", "--ploidy", "2",
                "-o", f"{outdir}/{s}.call.cns"]}),
        ]
    return steps


def purity_of(run: Run, sample: str) -> float:
    """Cells are pure; bulk samples take the sheet's purity (1 when unknown)."""
    row = run.samples.loc[sample]
    purity = row.get("purity")
    if row["type"] in CELL_TYPES or purity is None or not math.isfinite(float(purity)):
        return 1.0
    return float(purity)


# ------------------------------------------------------------------ timing
def run_checked(command: list[str]) -> str:
    """Run a command; its error ('' when it worked)."""
    done = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if done.returncode:
        return f"exit {done.returncode}: {done.stderr.strip()[-500:]}"
    return ""


def run_step(step: Step, pythons: Pythons, in_process: bool) -> str:
    """Run one step; returns its error, '' when it worked."""
    if step.kind == "command":
        # as rule bin_counts runs it: the script as its own process, or its
        # main() in this interpreter
        if not in_process:
            return run_checked([str(pythons.workflow), *step.payload["argv"]])
        try:
            run_command(step.payload["argv"])
        except (Exception, SystemExit) as failure:  # noqa: BLE001 - a failed step is a result
            return f"{type(failure).__name__}: {failure}"[:500]
        return ""
    if step.kind == "script" and in_process:
        try:
            run_script(step.payload["script"], step.payload["spec"])
        except Exception as failure:  # noqa: BLE001 - a failed step is a result
            return f"{type(failure).__name__}: {failure}"[:500]
        return ""
    if step.kind == "script":
        return run_checked([str(pythons.workflow), str(REPO / "benchmarks" / "cnvkit_workflow_steps.py"),
                            step.payload["script"], step.payload["spec_file"]])
    if step.kind == "cnvkit" and not in_process:
        return run_checked([str(pythons.cnvkit.parent / "cnvkit.py"), *step.payload["argv"]])
    raise ValueError(f"{step.kind} steps do not run here in-process")


def write_specs(steps: list[Step]) -> None:
    """Script steps get their spec as a file, for the process mode."""
    for step in steps:
        if step.kind == "script":
            path = Path(step.payload["spec"]["log"][0]).with_suffix(".spec.json")
            path.write_text(json.dumps(step.payload["spec"], indent=1))
            step.payload["spec_file"] = str(path)


def time_plan(steps: list[Step], mode: str, repeat: int, pythons: Pythons) -> list[dict]:
    records = []
    for step in steps:
        start = time.perf_counter()
        error = run_step(step, pythons, mode == "in-process")
        records.append({"method": step.method, "mode": mode, "sample": step.sample, "step": step.step,
                        "repeat": repeat, "seconds": time.perf_counter() - start, "error": error})
    return records


def time_cnvkit_in_process(steps: list[Step], repeats: int, cnvkit_python: Path, workdir: Path,
                           mode: str = "in-process") -> list[dict]:
    """All repeats in one CNVkit interpreter (benchmarks/cnvkit_runner.py)."""
    plan, times = workdir / "cnvkit_plan.json", workdir / "cnvkit_times.json"
    plan.write_text(json.dumps({"repeats": repeats, "steps": [
        {"sample": s.sample, "step": s.step, "argv": s.payload["argv"]} for s in steps]}, indent=1))
    subprocess.run([str(cnvkit_python), str(REPO / "benchmarks" / "cnvkit_runner.py"), str(plan), str(times)],
                   check=True)
    return [dict(r, method="cnvkit", mode=mode) for r in json.loads(times.read_text())]


# ------------------------------------------------------------------ calls
def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights)
    return float(values[np.searchsorted(cumulative, cumulative[-1] / 2)])


def cnvkit_region_cn(segments: pd.DataFrame, chrom: str, start: int, end: int, is_cell: bool) -> float:
    """Copy number of a region from CNVkit's called segments, by overlap.

    Cells take the integer `cn`, bulk the purity-corrected estimate
    (2 x 2^log2 after `call --purity`), as the workflow does for each.
    """
    hit = segments[(segments["chromosome"] == chrom) & (segments["start"] < end) & (segments["end"] > start)]
    if hit.empty:
        return math.nan
    overlap = (np.minimum(hit["end"], end) - np.maximum(hit["start"], start)).to_numpy(dtype=float)
    values = hit["cn"].to_numpy(dtype=float) if is_cell else 2.0 * 2.0 ** hit["log2"].to_numpy(dtype=float)
    return weighted_median(values, overlap)


def read_bed4(path: Path) -> dict[str, tuple[str, int, int]]:
    frame = pd.read_csv(path, sep="\t", header=None, comment="#", usecols=[0, 1, 2, 3], dtype={0: str})
    return {row[3]: (row[0], int(row[1]), int(row[2])) for row in frame.itertuples(index=False)}


NO_CALL = {"erbb2_cn": math.nan, "chr17_ref_cn": math.nan, "her2_status": "no_output"}


def cnvkit_calls(run: Run, outdir: Path) -> dict[str, dict]:
    regions = read_bed4(run.genes) | read_bed4(run.regions)
    calls = {}
    for s in run.bams:
        path = outdir / f"{s}.call.cns"
        if not path.exists():  # CNVkit failed on the sample
            calls[s] = dict(NO_CALL)
            continue
        segments = pd.read_csv(path, sep="\t", dtype={"chromosome": str})
        is_cell = run.samples.loc[s, "type"] in CELL_TYPES
        erbb2 = cnvkit_region_cn(segments, *regions["ERBB2"], is_cell)
        chr17 = cnvkit_region_cn(segments, *regions["chr17_ref"], is_cell)
        calls[s] = {"erbb2_cn": round(erbb2, 2), "chr17_ref_cn": round(chr17, 2),
                    "her2_status": her2_call(erbb2, chr17).status}
    return calls


def workflow_calls(run: Run) -> dict[str, dict]:
    return {s: {"erbb2_cn": float(run.summary.loc[s, "erbb2_cn"]),
                "chr17_ref_cn": float(run.summary.loc[s, "chr17_ref_cn"]),
                "her2_status": run.summary.loc[s, "her2_status"]} for s in run.bams}


def rerun_calls(run: Run, outdir: Path) -> dict[str, dict]:
    calls = {}
    for s in run.bams:
        if not (outdir / s / "status.tsv").exists():
            calls[s] = dict(NO_CALL)
            continue
        status = pd.read_csv(outdir / s / "status.tsv", sep="\t").iloc[0]
        calls[s] = {"erbb2_cn": float(status["erbb2_cn"]), "chr17_ref_cn": float(status["chr17_ref_cn"]),
                    "her2_status": status["her2_status"]}
    return calls


def same_calls(a: dict[str, dict], b: dict[str, dict]) -> list[str]:
    """Samples whose calls differ (NaN equals NaN)."""
    def key(call: dict) -> tuple:
        return tuple("nan" if isinstance(v, float) and math.isnan(v) else v for v in call.values())
    return [s for s in a if key(a[s]) != key(b.get(s, {}))]


def load_truth(path: Path) -> pd.DataFrame:
    """ERBB2 rows of truth/genes.tsv, with the failed flag of truth/samples.tsv if present."""
    genes = pd.read_csv(path, sep="\t", dtype={"sample": str})
    truth = genes[genes["gene"] == "ERBB2"].set_index("sample")[["cn", "chr17_ref_cn", "her2_status"]]
    samples = path.parent / "samples.tsv"
    failed = pd.Series(False, index=truth.index)
    if samples.exists():
        sheet = pd.read_csv(samples, sep="\t", dtype={"sample": str}).set_index("sample")
        if "failed" in sheet:
            failed = sheet["failed"].astype(str).str.lower().eq("true").reindex(truth.index, fill_value=False)
    return truth.assign(failed=failed)


# ------------------------------------------------------------------ report
def best_times(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records)
    return (frame.groupby(["method", "mode", "sample", "step"], sort=False)["seconds"]
            .agg(best="min", median="median", repeats="count").reset_index())


def per_sample_seconds(steps: pd.DataFrame) -> pd.DataFrame:
    """Sum of the per-cell steps' best times: sample x (method, mode)."""
    rows = steps[[s in PER_CELL_STEPS[m] for m, s in zip(steps["method"], steps["step"])]]
    return rows.pivot_table(index="sample", columns=["method", "mode"], values="best", aggfunc="sum")


def step_errors(records: list[dict]) -> dict[tuple[str, str], str]:
    """(method, sample) -> its failed steps and their errors."""
    errors: dict[tuple[str, str], set[str]] = {}
    for r in records:
        if r.get("error"):
            errors.setdefault((r["method"], r["sample"]), set()).add(f"{r['step']}: {r['error']}")
    return {key: " | ".join(sorted(value)) for key, value in errors.items()}


def scored_rows(run: Run, truth: pd.DataFrame | None, method: str, calls: dict[str, dict]) -> list[dict]:
    """Each sample's call against the truth."""
    rows = []
    for s in run.bams:
        t = truth.loc[s] if truth is not None and s in truth.index else None
        call = calls[s]
        error = abs(call["erbb2_cn"] - float(t["cn"])) if t is not None else math.nan
        rows.append({
            "sample": s, "type": run.samples.loc[s, "type"], "method": method,
            "truth_failed": bool(t["failed"]) if t is not None else "",
            "truth_erbb2_cn": float(t["cn"]) if t is not None else math.nan,
            "truth_chr17_ref_cn": float(t["chr17_ref_cn"]) if t is not None else math.nan,
            "truth_her2_status": t["her2_status"] if t is not None else "",
            **call,
            "erbb2_abs_error": round(error, 2),
            "erbb2_within_1": bool(error <= 1) if t is not None else "",
            "her2_agrees": bool(call["her2_status"] == t["her2_status"]) if t is not None else "",
        })
    return rows


def results_table(run: Run, truth: pd.DataFrame | None, calls: dict[str, dict[str, dict]],
                  seconds: pd.DataFrame, errors: dict[tuple[str, str], str]) -> pd.DataFrame:
    rows = []
    for method in METHODS:
        for row in scored_rows(run, truth, method, calls[method]):
            s = row["sample"]
            row["seconds_process"] = round(seconds.loc[s, (method, "process")], 3)
            row["seconds_in_process"] = round(seconds.loc[s, (method, "in-process")], 3)
            row["errors"] = errors.get((method, s), "")
            rows.append(row)
    return pd.DataFrame(rows)


def accuracy(frame: pd.DataFrame) -> dict:
    """HER2 agreement and ERBB2 error over samples with truth whose cell did not
    fail; failed cells are counted apart (not assessable is the right call)."""
    with_truth = frame[frame["truth_her2_status"] != ""]
    failed = with_truth[with_truth["truth_failed"] == True]  # noqa: E712
    judged = with_truth[with_truth["truth_failed"] != True]  # noqa: E712
    n = len(judged)
    return {
        "n": n,
        "her2_agree": int(judged["her2_agrees"].sum()),
        "her2_agree_fraction": round(float(judged["her2_agrees"].mean()), 3) if n else math.nan,
        "erbb2_called": int(judged["erbb2_cn"].notna().sum()),
        "erbb2_mae": round(float(judged["erbb2_abs_error"].mean()), 3) if n else math.nan,
        # a missing call is not within 1
        "erbb2_within_1_fraction": round(float(judged["erbb2_within_1"].astype(bool).mean()), 3) if n else math.nan,
        "failed_cells": len(failed),
        "failed_not_assessable": int((failed["her2_status"] == "not_assessable").sum()),
    }


def summary_table(results: pd.DataFrame, reference_seconds: pd.DataFrame) -> pd.DataFrame:
    """Per method, on all samples and on cells: accuracy, seconds per cell and
    for the references (CNVkit's are built once per reference set)."""
    rows = []
    for method in METHODS:
        mine = results[results["method"] == method]
        cells = mine[mine["type"].isin(CELL_TYPES)]
        for group, frame in (("all samples", mine), ("cells", cells)):
            row = {"method": method, "group": group, **accuracy(frame),
                   "seconds_per_cell_process": round(float(cells["seconds_process"].mean()), 3),
                   "seconds_per_cell_in_process": round(float(cells["seconds_in_process"].mean()), 3)}
            refs = reference_seconds[reference_seconds["method"] == method]
            for mode in MODES:
                row[f"reference_seconds_{mode.replace('-', '_')}"] = round(
                    float(refs.loc[refs["mode"] == mode, "best"].sum()), 3)
            rows.append(row)
    return pd.DataFrame(rows)


def verdict(summary: pd.DataFrame) -> list[str]:
    """The issue's goal: at least as accurate as CNVkit and >= 5x faster per cell."""
    def get(method: str, column: str, group: str = "cells") -> float:
        return float(summary[(summary["method"] == method) & (summary["group"] == group)][column].iloc[0])

    lines = []
    for group in ("all samples", "cells"):
        accurate = (get("workflow", "her2_agree_fraction", group) >= get("cnvkit", "her2_agree_fraction", group)
                    and get("workflow", "erbb2_within_1_fraction", group)
                    >= get("cnvkit", "erbb2_within_1_fraction", group))
        lines.append(f"at least as accurate ({group}: HER2 agreement and ERBB2 within +-1): "
                     f"{'yes' if accurate else 'NO'}")
    for mode in MODES:
        column = f"seconds_per_cell_{mode.replace('-', '_')}"
        ratio = get("cnvkit", column) / get("workflow", column)
        lines.append(f">= 5x faster per cell ({mode}): {'yes' if ratio >= 5 else 'NO'} "
                     f"(CNVkit {get('cnvkit', column):.3f} s / workflow {get('workflow', column):.3f} s"
                     f" = {ratio:.1f}x)")
    return lines


def segment_sweep(run: Run, truth: pd.DataFrame | None, outdir: Path, chosen: str,
                  cnvkit_python: Path) -> pd.DataFrame:
    """CNVkit's other pure-Python segmentations (their default thresholds) on
    the same .cnr files, called alike: accuracy, and segment seconds in one
    warm interpreter (one run; the timed method's is its best in-process)."""
    source = outdir / "runs" / "process" / "cnvkit"
    sweep = outdir / "runs" / "segment_methods"
    steps = []
    for method in SEGMENT_METHODS:
        if method == chosen:
            continue
        d = sweep / method
        d.mkdir(parents=True, exist_ok=True)
        for s in run.bams:
            steps += [
                Step("cnvkit", s, f"segment:{method}", "cnvkit", {"argv": [
                    "segment", f"{source}/{s}.cnr", "-m", method, "-o", f"{d}/{s}.cns"]}),
                Step("cnvkit", s, f"call:{method}", "cnvkit", {"argv": [
                    "call", f"{d}/{s}.cns", "-m", "clonal", "--purity", f"{purity_of(run, s):g}",
                    "--ploidy", "2", "-o", f"{d}/{s}.call.cns"]}),
            ]
    records = pd.DataFrame(time_cnvkit_in_process(steps, 1, cnvkit_python, sweep, mode="sweep"))
    rows = []
    for method in SEGMENT_METHODS:
        calls = cnvkit_calls(run, source if method == chosen else sweep / method)
        frame = pd.DataFrame(scored_rows(run, truth, "cnvkit", calls))
        cells = frame[frame["type"].isin(CELL_TYPES)]
        segment = records[records["step"] == f"segment:{method}"]["seconds"] if len(records) else pd.Series([])
        rows.append({"segment_method": method + (" (the one timed)" if method == chosen else ""),
                     **{f"all_{k}": v for k, v in accuracy(frame).items()
                        if k in ("n", "her2_agree", "erbb2_mae", "erbb2_within_1_fraction")},
                     **{f"cells_{k}": v for k, v in accuracy(cells).items()
                        if k in ("n", "her2_agree", "erbb2_mae", "erbb2_within_1_fraction")},
                     "segment_seconds_mean": round(float(segment.mean()), 3) if len(segment) else math.nan,
                     "errors": len(records[(records["step"].str.endswith(":" + method))
                                           & (records["error"] != "")]) if len(records) else 0})
    return pd.DataFrame(rows)


def workflow_benchmark_files(run: Run) -> dict:
    """Mean seconds the workflow's own `benchmark:` files recorded for cells
    (measured under the run's parallel load, Snakemake's per-job cost included)."""
    found = {}
    for step in PER_CELL_STEPS["workflow"]:
        seconds = [float(pd.read_csv(path, sep="\t")["s"].iloc[0])
                   for s in run.bams if run.samples.loc[s, "type"] in CELL_TYPES
                   for path in [run.results / "benchmarks" / "copy_number" / f"{s}.{step}.tsv"] if path.exists()]
        found[step] = round(float(np.mean(seconds)), 3) if seconds else None
    return found


def versions(pythons: Pythons) -> dict:
    def out(command: list[str]) -> str:
        done = subprocess.run(command, capture_output=True, text=True, errors="replace")
        text = (done.stdout or done.stderr).strip()
        return text.splitlines()[0] if text else ""

    def freeze(python: Path) -> list[str]:
        return subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True, text=True).stdout.split()

    return {
        "cnvkit": out([str(pythons.cnvkit), "-c", "import importlib.metadata as m; print(m.version('cnvkit'))"]),
        "cnvkit_python": out([str(pythons.cnvkit), "--version"]),
        "cnvkit_environment": freeze(pythons.cnvkit),
        "workflow_scripts_python": str(pythons.workflow),
        "workflow_scripts_environment": freeze(pythons.workflow),
        "python": platform.python_version(),
        "samtools": out(["samtools", "--version"]),
        "snakemake": out([str(BIN / "snakemake"), "--version"]),
        "workflow_commit": out(["git", "-C", str(REPO), "rev-parse", "HEAD"]),
        # figures belong to the code as run: uncommitted changes are listed
        "workflow_uncommitted": subprocess.run(
            ["git", "-C", str(REPO), "status", "--short", "--", "workflow", "Snakefile", "config"],
            capture_output=True, text=True).stdout.splitlines(),
    }


def machine() -> dict:
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    return {"cpus": os.cpu_count(), "cpu": cpu, "platform": platform.platform(),
            "load_average": os.getloadavg()}


# ------------------------------------------------------------- depth sweep
def subsampled_run(run: Run, fraction: float, outdir: Path) -> Run:
    """The run with every BAM subsampled to `fraction` of its read pairs
    (samtools view -s, seed 1)."""
    outdir.mkdir(parents=True, exist_ok=True)
    bams = {}
    for sample, bam in run.bams.items():
        out = outdir / bam.name
        subprocess.run(["samtools", "view", "-b", "-s", f"{1 + fraction:.6f}", "-o", str(out), str(bam)], check=True)
        subprocess.run(["samtools", "index", str(out)], check=True)
        bams[sample] = out
    return dataclasses.replace(run, bams=bams)


def mean_cell_reads(run: Run) -> float:
    cells = [s for s in run.bams if run.samples.loc[s, "type"] in CELL_TYPES]
    counts = [int(subprocess.run(["samtools", "view", "-c", str(run.bams[s])], capture_output=True, text=True,
                                 check=True).stdout) for s in cells]
    return float(np.mean(counts))


def cell_seconds(run: Run, records: list[dict]) -> dict[str, float]:
    """Mean over cells of the per-cell steps' best process times, per method."""
    seconds = per_sample_seconds(best_times(records))
    cells = [s for s in seconds.index if run.samples.loc[s, "type"] in CELL_TYPES]
    return {method: float(seconds.loc[cells, (method, "process")].mean()) for method in METHODS}


def depth_sweep(run: Run, fractions: list[float], outdir: Path, repeats: int, pythons: Pythons,
                segment_method: str, segment_threshold: float | None) -> pd.DataFrame:
    """Seconds per cell of both methods as processes on the run's BAMs
    subsampled to each fraction: how the cost grows with reads per cell."""
    rows = []
    for fraction in sorted(fractions):
        base = outdir / "depth" / f"{fraction:g}"
        shutil.rmtree(base, ignore_errors=True)
        sub = run if fraction == 1 else subsampled_run(run, fraction, base / "bam")
        plans = {"workflow": workflow_plan(sub, base / "workflow"),
                 "cnvkit": cnvkit_plan(sub, base / "cnvkit", cnvkit_targets(sub.bins_bed, base), segment_method,
                                       segment_threshold)}
        write_specs(plans["workflow"])
        records: list[dict] = []
        for repeat in range(repeats):
            for method in (METHODS if repeat % 2 == 0 else METHODS[::-1]):
                records += time_plan(plans[method], "process", repeat, pythons)
        errors = step_errors(records)
        seconds = cell_seconds(sub, records)
        rows.append({"fraction": fraction, "reads_per_cell": round(mean_cell_reads(sub)),
                     "workflow_s_per_cell": round(seconds["workflow"], 3),
                     "cnvkit_s_per_cell": round(seconds["cnvkit"], 3),
                     "cnvkit_over_workflow": round(seconds["cnvkit"] / seconds["workflow"], 2),
                     "failed_steps": len(errors)})
        print(f"depth {fraction:g}: {rows[-1]}", flush=True)
    return pd.DataFrame(rows)


def growth_exponent(reads: pd.Series, seconds: pd.Series) -> float:
    """Slope of log seconds against log reads: 1 is linear, below 1 better."""
    return float(np.polyfit(np.log(reads.to_numpy(float)), np.log(seconds.to_numpy(float)), 1)[0])


# ------------------------------------------------------------------ main
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outdir", type=Path, required=True, help="where everything is written")
    parser.add_argument("--workdir", type=Path,
                        help="an existing workflow run to compare on (default: simulate one in OUTDIR)")
    parser.add_argument("--configfile", type=Path, help="the run's config (default: WORKDIR/config.yaml)")
    parser.add_argument("--truth", type=Path,
                        help="truth genes.tsv (default: truth/genes.tsv beside the run's sample sheet)")
    parser.add_argument("--seed", type=int, default=1, help="simulator seed (default: 1)")
    parser.add_argument("--preset", default="demo", help="simulator preset (default: demo)")
    parser.add_argument("--simulator-args", default="",
                        help='further simulate_cohort.py options, one string (e.g. "--ctcs 8 --kit MDA")')
    parser.add_argument("--bin-size", type=int,
                        help="copy_number.bin_size of the simulated run's config (default: config/config.yaml's); "
                             "small bins on the small simulated genome give a human-sized bin count")
    parser.add_argument("--cores", type=int, default=2, help="cores of the workflow run (default: 2)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timing repeats per mode; the best is reported (default: 3)")
    parser.add_argument("--segment-method", default="haar", choices=SEGMENT_METHODS,
                        help="CNVkit segmentation timed and compared; cbs needs R (default: haar)")
    parser.add_argument("--segment-threshold", type=float,
                        help="CNVkit segment -t (default: CNVkit's own for the method)")
    parser.add_argument("--cnvkit-venv", type=Path, default=REPO / "benchmarks" / ".venv-cnvkit",
                        help="CNVkit's virtual environment, created if missing (default: benchmarks/.venv-cnvkit)")
    parser.add_argument("--cnvkit-version", default=CNVKIT_VERSION, help=f"(default: {CNVKIT_VERSION})")
    parser.add_argument("--depth-fractions", type=float, nargs="+",
                        help="also time both methods per cell on every BAM subsampled to these fractions "
                             "of its reads (e.g. 0.125 0.25 0.5 1): OUT/depth_sweep.tsv, the cost growth")
    parser.add_argument("--workflow-env", choices=("rule", "project"), default="rule",
                        help="where the workflow's rule scripts run as processes: rule = a virtual "
                             "environment with envs/python.yaml's pins (what --sdm conda gives the rule, "
                             "as CNVkit gets its own), project = this interpreter's (default: rule)")
    parser.add_argument("--rule-venv", type=Path, default=REPO / ".venv-rule",
                        help="that rule environment, created if missing (default: .venv-rule, "
                             "which `make test` builds)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.depth_fractions and not all(0 < f <= 1 for f in args.depth_fractions):
        parser.error("--depth-fractions must lie in (0, 1]")
    if args.workdir is not None and not args.workdir.is_dir():
        parser.error(f"--workdir {args.workdir} is not a directory")
    if args.workdir is not None and (args.bin_size or args.simulator_args):
        parser.error("--bin-size and --simulator-args apply to a simulated run, not to --workdir")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    command = shlex.join([sys.executable, *(sys.argv if argv is None else [__file__, *argv])])
    outdir = args.outdir.resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    cnvkit_python = ensure_cnvkit(args.cnvkit_venv.absolute(), args.cnvkit_version)
    workflow_python = (ensure_venv(args.rule_venv.absolute(), rule_env_requirements(), "envs/python.yaml's pins")
                       if args.workflow_env == "rule" else Path(sys.executable))
    pythons = Pythons(cnvkit=cnvkit_python, workflow=workflow_python)

    if args.workdir is None:
        cohort = outdir / "cohort"
        simulate(cohort, args.seed, args.preset, shlex.split(args.simulator_args))
        workdir = outdir / "workflow"
        configfile = prepare_workdir(workdir, cohort, args.bin_size)
    else:
        workdir = args.workdir.resolve()
        configfile = (args.configfile or workdir / "config.yaml").resolve()
    config = yaml.safe_load(configfile.read_text())
    summary_path = workdir / config.get("results", "results") / "copy_number" / "summary.tsv"
    if not summary_path.exists():
        run_workflow(workdir, configfile, args.cores, outdir / "workflow.log")
    run = load_run(workdir, configfile)
    truth_path = args.truth or run.sheet_dir / "truth" / "genes.tsv"
    truth = load_truth(truth_path) if truth_path.exists() else None
    if truth is None:
        print(f"no truth at {truth_path}: timing only")

    # outputs of an earlier run must not stand in for a step that fails now
    shutil.rmtree(outdir / "runs", ignore_errors=True)
    plans: dict[str, dict[str, list[Step]]] = {}
    targets = cnvkit_targets(run.bins_bed, outdir / "runs")
    for mode in MODES:
        base = outdir / "runs" / mode
        plans[mode] = {"workflow": workflow_plan(run, base / "workflow"),
                       "cnvkit": cnvkit_plan(run, base / "cnvkit", targets, args.segment_method,
                                             args.segment_threshold)}
        write_specs(plans[mode]["workflow"])

    records: list[dict] = []
    for repeat in range(args.repeats):
        print(f"process mode, repeat {repeat + 1}/{args.repeats}", flush=True)
        # alternate which method goes first, so drift in the machine's load is shared
        for method in (METHODS if repeat % 2 == 0 else METHODS[::-1]):
            records += time_plan(plans["process"][method], "process", repeat, pythons)
    print(f"in-process mode, {args.repeats} repeats", flush=True)
    for repeat in range(args.repeats):
        records += time_plan(plans["in-process"]["workflow"], "in-process", repeat, pythons)
    records += time_cnvkit_in_process(plans["in-process"]["cnvkit"], args.repeats, cnvkit_python,
                                      outdir / "runs" / "in-process")

    calls = {"workflow": workflow_calls(run), "cnvkit": cnvkit_calls(run, outdir / "runs" / "process" / "cnvkit")}
    checks = {
        "workflow rerun (process) differs from the workflow's summary":
            same_calls(calls["workflow"], rerun_calls(run, outdir / "runs" / "process" / "workflow")),
        "workflow rerun (in-process) differs from the workflow's summary":
            same_calls(calls["workflow"], rerun_calls(run, outdir / "runs" / "in-process" / "workflow")),
        "CNVkit in-process differs from its command line":
            same_calls(calls["cnvkit"], cnvkit_calls(run, outdir / "runs" / "in-process" / "cnvkit")),
    }
    print("segmentation sweep (CNVkit's other methods, untimed repeats)", flush=True)
    sweep = segment_sweep(run, truth, outdir, args.segment_method, cnvkit_python)

    steps = best_times(records)
    seconds = per_sample_seconds(steps)
    results = results_table(run, truth, calls, seconds, step_errors(records))
    summary = summary_table(results, steps[steps["step"] == "reference"])
    lines = verdict(summary) if truth is not None else []
    chosen = steps[(steps["method"] == "cnvkit") & (steps["mode"] == "in-process") & (steps["step"] == "segment")]
    sweep.loc[sweep["segment_method"].str.startswith(args.segment_method + " "), "segment_seconds_mean"] = round(
        float(chosen["best"].mean()), 3)
    benchmark_files = workflow_benchmark_files(run)

    results.to_csv(outdir / "results.tsv", sep="\t", index=False)
    summary.to_csv(outdir / "summary.tsv", sep="\t", index=False)
    steps.round(4).to_csv(outdir / "steps.tsv", sep="\t", index=False)
    sweep.to_csv(outdir / "segment_methods.tsv", sep="\t", index=False)
    pd.DataFrame(records).round(4).to_csv(outdir / "times_raw.tsv", sep="\t", index=False)

    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 40)
    keys = ["sample", "type", "truth_erbb2_cn", "truth_her2_status"]
    values = ["erbb2_cn", "her2_status", "seconds_process", "seconds_in_process"]
    wide = results[results["method"] == "workflow"][keys + values].merge(
        results[results["method"] == "cnvkit"][["sample"] + values], on="sample", suffixes=("", "_cnvkit"))
    wide.columns = ["sample", "type", "truth_cn", "truth_her2"] + [
        f"{short}_{method}" for method in ("wf", "cnvkit")
        for short in ("erbb2_cn", "her2", "s_process", "s_in_process")]
    print("\nper sample (ERBB2 copy number, HER2 status, seconds of the per-cell steps)")
    print(wide.to_string(index=False))
    print("\nsummary")
    print(summary.set_index(["method", "group"]).T.to_string())
    print("\nbest seconds per step, mean over samples (CNVkit's reference: per reference set)")
    print(steps.groupby(["method", "mode", "step"], sort=False)["best"].mean().round(3).unstack("mode").to_string())
    print("\nCNVkit segmentation methods (same .cnr files)")
    print(sweep.to_string(index=False))
    print(f"\nthe workflow's own benchmark files, mean seconds per cell: {benchmark_files}")
    for name, bad in checks.items():
        if bad:
            print(f"WARNING: {name}: {', '.join(bad)}")
    failed = results[results["errors"] != ""]
    for row in failed.itertuples():
        print(f"step failed: {row.method} {row.sample}: {row.errors}")
    print()
    for line in lines:
        print(line)
    growth = {}
    if args.depth_fractions:
        print("\ndepth sweep (process mode, best of --repeats per step)", flush=True)
        sweep_depth = depth_sweep(run, args.depth_fractions, outdir / "runs", args.repeats, pythons,
                                  args.segment_method, args.segment_threshold)
        sweep_depth.to_csv(outdir / "depth_sweep.tsv", sep="\t", index=False)
        print(sweep_depth.to_string(index=False))
        for method in METHODS:
            growth[method] = round(growth_exponent(sweep_depth["reads_per_cell"],
                                                   sweep_depth[f"{method}_s_per_cell"]), 3)
            print(f"{method}: seconds per cell grow as reads^{growth[method]:.2f}")
    wall = time.time() - started
    (outdir / "run.json").write_text(json.dumps({
        "command": command,
        "options": {k: str(v) for k, v in vars(args).items()},
        "workdir": str(workdir), "truth": str(truth_path),
        "cnvkit": {"segment_method": args.segment_method, "segment_threshold": args.segment_threshold,
                   "targets": "the workflow's bins, no antitargets (WGS)",
                   "call": "-m clonal --ploidy 2 --purity <sheet, 1 for cells>"},
        "versions": versions(pythons), "machine": machine(), "load_average_before": load_before,
        "workflow_benchmark_files": benchmark_files, "checks": checks, "verdict": lines,
        "growth_exponent_seconds_per_cell": growth, "wall_seconds": round(wall, 1),
    }, indent=1))
    print(f"\nwritten to {outdir} in {wall:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
