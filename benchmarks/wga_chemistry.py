"""Single-cell variant calls against WGA chemistry, per kit and over seeds,
side by side with plain per-cell `bcftools mpileup | call -mv`.

    .venv/bin/python benchmarks/wga_chemistry.py --outdir /tmp/wga_chemistry --seeds 1,2

For each seed: simulates a cohort with one patient per kit (simulate_cohort.py
`--kit DOP-PCR,MALBAC,PicoPLEX,Ampli1,MDA`) and the chemistry a review found on
real cells: early amplification errors at 10-50% of a cell's reads inside the
panel (`--early-errors-on-target`), germline SNPs shared between patients with
a population VCF (`--shared-germline-fraction`, set as `resources.germline`),
WBCs with low depth at some targets (`--wbc-low-depth-share`), a primary
carrying EGFR L858R whose carrier CTCs include one that lost the mutant allele
to a kilobase dropout tract while its genome-wide ADO stays low
(`--primary-egfr-l858r --forced-dropout-ctcs 1`). Runs the whole workflow (its
default target) with the cohort's own config.yaml, then per kit:

- somatic precision in QC-passing CTCs (`status.tsv` qc_pass; also over
  every CTC, `all_ctcs_*`, for kits whose cells fail QC): `mutant`
  calls of `somatic` alleles in `mutations.tsv`, true when the truth gives
  that cell that somatic allele; false calls split by what they are in the
  truth (an amplification error of the cell, a germline SNP of the patient,
  other); naive: a CTC's `call -mv` calls not called in one of the patient's
  WBCs;
- EGFR L858R sensitivity in carrier CTCs (hotspot table `mutant`; naive: in
  the cell's VCF) beside the ceiling, the share of carriers whose mutant
  allele was amplified (truth `dropped_out` false);
- `loss` rows of `discordance.tsv` and `egfr_mutation_lost` flags of
  `patients.tsv` the truth does not hold, and what the cells whose L858R was
  lost to dropout were called.

Writes OUTDIR/by_kit.tsv (per seed and kit, and all seeds per kit),
OUTDIR/false_calls.tsv and prints the table. A seed's directory that holds
results is re-scored after rerunning only what changed (`--forcerun RULE ...`
reruns rules whose code changed, and what follows them).
"""

from __future__ import annotations

import argparse
import csv
import shlex
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))

from harness import run_snakemake, snakemake_command, workflow_env  # noqa: E402
from variants import naive_calls, write  # noqa: E402

KITS = "DOP-PCR,MALBAC,PicoPLEX,Ampli1,MDA"
DEFAULT_COHORT = (
    f"--patients 5 --kit {KITS} --ctcs 6 --egfr-l858r-ctcs 0 --primary-egfr-l858r --forced-dropout-ctcs 1"
    " --early-errors-on-target 4 --shared-germline-fraction 0.5 --wbc-low-depth-share 0.2"
    " --reads-per-cell 100000 --panel-reads 8000"
)
CALLING = {"min_bq": 13, "min_mq": 20}  # the workflow's defaults, for the naive arm
Allele = tuple[str, int, str, str]


def log(message: str) -> None:
    print(f"[wga_chemistry {time.strftime('%H:%M:%S')}] {message}", flush=True)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def allele(row: dict[str, str]) -> Allele:
    return row["chrom"], int(row["pos"]), row["ref"], row["alt"]


def prepare(workdir: Path, seed: int, cohort_args: str) -> None:
    if (workdir / "cohort" / "samples.tsv").is_file():
        return
    log(f"seed {seed}: simulating {cohort_args}")
    command = [sys.executable, str(ROOT / "simulator/simulate_cohort.py"), "--outdir", "cohort",
               "--seed", str(seed), *shlex.split(cohort_args)]
    result = subprocess.run(command, cwd=workdir, env=workflow_env(), capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"simulation failed: {shlex.join(command)}\n{result.stderr[-3000:]}")


def run_workflow(workdir: Path, cores: int, forcerun: list[str]) -> float:
    started = time.perf_counter()
    options = ["--rerun-triggers=mtime", *(["--forcerun", *forcerun] if forcerun else [])]
    command = snakemake_command(workdir, workdir / "cohort" / "config.yaml", cores=cores, options=options)
    run_snakemake(command, workdir / "snakemake.log", cwd=workdir, check=True)
    return time.perf_counter() - started


class Truth:
    """The simulator's truth of one cohort."""

    def __init__(self, cohort: Path) -> None:
        folder = cohort / "truth"
        self.variants: dict[str, dict[Allele, dict[str, str]]] = defaultdict(dict)
        for row in rows(folder / "variants.tsv"):
            self.variants[row["sample"]][allele(row)] = row
        self.errors: dict[str, set[Allele]] = defaultdict(set)
        for row in rows(folder / "amplification_errors.tsv"):
            self.errors[row["sample"]].add(allele(row))
        self.discordance = {(r["ctc"], r["feature"]): r["call"] for r in rows(folder / "discordance.tsv")}

    def carried(self, sample: str, key: Allele) -> dict[str, str] | None:
        row = self.variants[sample].get(key)
        return row if row and row["genotype"] not in ("0/0", "./.") else None

    def somatic(self, sample: str, key: Allele) -> bool:
        row = self.carried(sample, key)
        return bool(row) and row["origin"] == "somatic"

    def kind(self, sample: str, key: Allele, patient_samples: list[str]) -> str:
        """What a false somatic call is in the truth."""
        if key in self.errors[sample]:
            return "amplification error"
        if any(self.variants[s].get(key, {}).get("origin") == "germline" for s in patient_samples):
            return "germline SNP"
        return "other"


def score_seed(workdir: Path, seed: int, naive: dict[str, set]) -> tuple[list[dict], list[dict]]:
    results = workdir / "results"
    truth = Truth(workdir / "cohort")
    status = {r["sample"]: r for r in rows(results / "status.tsv")}
    samples = rows(workdir / "cohort" / "samples.tsv")
    by_patient: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in samples:
        by_patient[s["patient"]].append(s)
    discordance = rows(results / "discordance.tsv")
    flags = {r["patient"]: r for r in rows(results / "patients.tsv")}
    table, false_calls = [], []
    for patient, members in sorted(by_patient.items()):
        kit = next(s["wga"] for s in members if s["type"] == "ctc")
        names = [s["sample"] for s in members]
        ctcs = [s["sample"] for s in members if s["type"] == "ctc" and status[s["sample"]]["qc_pass"] == "true"]
        wbcs = [s["sample"] for s in members if s["type"] == "wbc"]
        row: dict[str, object] = {"seed": seed, "kit": kit, "patient": patient, "qc_passing_ctcs": len(ctcs)}

        # somatic calls in QC-passing CTCs, and in every CTC (MDA cells rarely pass)
        mutations = rows(results / "variants" / f"{patient}.mutations.tsv")
        wbc_calls = set().union(*(naive.get(w, set()) for w in wbcs))
        every_ctc = [s["sample"] for s in members if s["type"] == "ctc"]
        for prefix, cells in (("", ctcs), ("all_ctcs_", every_ctc)):
            ours = [(r["sample"], allele(r)) for r in mutations
                    if r["sample"] in cells and r["state"] == "mutant" and r["origin"] == "somatic"]
            theirs = [(c, key) for c in cells for key in naive.get(c, set()) - wbc_calls]
            for arm, calls in (("workflow", ours), ("naive", theirs)):
                true = [c for c in calls if truth.somatic(*c)]
                row[f"{prefix}{arm}_somatic_true"] = len(true)
                row[f"{prefix}{arm}_somatic_false"] = len(calls) - len(true)
                false_calls += [{"seed": seed, "kit": kit, "arm": arm, "qc_passing": not prefix, "sample": sample,
                                 "site": "{}:{} {}>{}".format(*key), "truth": truth.kind(sample, key, names)}
                                for sample, key in calls if not truth.somatic(sample, key)]

        # L858R in carrier CTCs
        l858r = {r["sample"]: r for r in rows(results / "variants" / f"{patient}.hotspots.tsv")
                 if r["protein_change"] == "L858R"}
        for prefix, cells in (("all_ctcs_", every_ctc), ("", ctcs)):
            carriers = [c for c in cells if truth.carried(c, allele(l858r[c]))]
            amplified = [c for c in carriers if truth.carried(c, allele(l858r[c]))["dropped_out"] == "false"]
            row[f"{prefix}l858r_carriers"] = len(carriers)
            row[f"{prefix}l858r_amplified"] = len(amplified)
            row[f"{prefix}workflow_l858r_mutant"] = sum(l858r[c]["state"] == "mutant" for c in carriers)
            row[f"{prefix}naive_l858r_called"] = sum(allele(l858r[c]) in naive.get(c, set()) for c in carriers)

        # loss claims against the truth
        losses = [r for r in discordance if r["patient"] == patient and r["call"] == "loss"]
        row["loss_calls"] = len(losses)
        row["false_loss_calls"] = sum(truth.discordance.get((r["ctc"], r["feature"])) != "loss" for r in losses)
        truly_lost = any(truth.discordance.get((c, "EGFR:L858R")) == "loss" for c in ctcs)
        row["false_egfr_lost_flag"] = int(flags[patient]["egfr_mutation_lost"] == "true" and not truly_lost)
        dropped = [c for c in carriers if c not in amplified]
        calls = {r["ctc"]: r["call"] for r in discordance if r["patient"] == patient and r["feature"] == "EGFR:L858R"}
        row["dropout_carriers_called"] = ", ".join(f"{c}: {calls.get(c, '-')}" for c in dropped)
        table.append(row)
    return table, false_calls


def summarise(table: list[dict]) -> list[dict]:
    """All seeds per kit, with the ratios."""
    kits: dict[str, list[dict]] = defaultdict(list)
    for row in table:
        kits[str(row["kit"])].append(row)
    summary = []
    for kit, group in kits.items():
        total = {key: sum(int(r[key]) for r in group) for key in (
            "qc_passing_ctcs", "workflow_somatic_true", "workflow_somatic_false", "naive_somatic_true",
            "naive_somatic_false", "all_ctcs_workflow_somatic_true", "all_ctcs_workflow_somatic_false",
            "all_ctcs_naive_somatic_true", "all_ctcs_naive_somatic_false", "l858r_carriers", "l858r_amplified",
            "workflow_l858r_mutant", "naive_l858r_called", "all_ctcs_l858r_carriers", "all_ctcs_l858r_amplified",
            "all_ctcs_workflow_l858r_mutant", "all_ctcs_naive_l858r_called", "loss_calls", "false_loss_calls",
            "false_egfr_lost_flag")}

        def ratio(a: int, b: int) -> float:
            return a / b if b else float("nan")

        carriers = total["l858r_carriers"]
        summary.append({
            "seed": "all", "kit": kit, "patient": len(group), **total,
            "workflow_somatic_precision": ratio(total["workflow_somatic_true"],
                                                total["workflow_somatic_true"] + total["workflow_somatic_false"]),
            "naive_somatic_precision": ratio(total["naive_somatic_true"],
                                             total["naive_somatic_true"] + total["naive_somatic_false"]),
            "all_ctcs_workflow_somatic_precision": ratio(
                total["all_ctcs_workflow_somatic_true"],
                total["all_ctcs_workflow_somatic_true"] + total["all_ctcs_workflow_somatic_false"]),
            "workflow_l858r_sensitivity": ratio(total["workflow_l858r_mutant"], carriers),
            "naive_l858r_sensitivity": ratio(total["naive_l858r_called"], carriers),
            "l858r_ceiling": ratio(total["l858r_amplified"], carriers),
            "all_ctcs_workflow_l858r_sensitivity": ratio(total["all_ctcs_workflow_l858r_mutant"],
                                                         total["all_ctcs_l858r_carriers"]),
            "all_ctcs_l858r_ceiling": ratio(total["all_ctcs_l858r_amplified"], total["all_ctcs_l858r_carriers"]),
        })
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outdir", type=Path, required=True, help="working directory (created)")
    parser.add_argument("--seeds", default="1,2", help="comma-separated seeds (default: 1,2)")
    parser.add_argument("--cohort-args", default=DEFAULT_COHORT,
                        help=f"simulate_cohort.py options (default: {DEFAULT_COHORT!r})")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--forcerun", nargs="*", default=[], metavar="RULE",
                        help="rules to rerun (with what follows) in an existing OUTDIR, after their code changed")
    args = parser.parse_args()
    table, false_calls, seconds = [], [], []
    for seed in (int(s) for s in args.seeds.split(",")):
        workdir = (args.outdir / f"seed{seed}").resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        prepare(workdir, seed, args.cohort_args)
        wall = run_workflow(workdir, args.cores, args.forcerun)
        samples = rows(workdir / "cohort" / "samples.tsv")
        naive, naive_seconds = naive_calls(workdir, samples, CALLING)
        log(f"seed {seed}: workflow {wall:.0f} s, naive per-cell calls {naive_seconds:.0f} s")
        seconds.append(f"seed {seed}: workflow (whole run) {wall:.0f} s, naive calls {naive_seconds:.0f} s")
        rows_, false_ = score_seed(workdir, seed, naive)
        table += rows_
        false_calls += false_
    out = args.outdir.resolve()
    write(out / "by_kit.tsv", table + summarise(table))
    write(out / "false_calls.tsv", false_calls)
    print(f"cohort: {args.cohort_args}; seeds {args.seeds}")
    print("\n".join(seconds))
    print((out / "by_kit.tsv").read_text())


if __name__ == "__main__":
    main()
