"""Cohort accuracy in one command: simulate a cohort, run the whole workflow
to its status tables, and score results/status.tsv, results/discordance.tsv
and results/patients.tsv against the simulator's truth.

    .venv/bin/python benchmarks/cohort_accuracy.py --outdir /tmp/disc
    .venv/bin/python benchmarks/cohort_accuracy.py --outdir /tmp/malbac -- \
        --ctcs 8 --amplified-ctcs 3 --kit MALBAC --reads-per-cell 38667

Options after `--` go to simulator/simulate_cohort.py and replace the
defaults below. `--score-only` re-scores an existing run. Scored:

- per sample: HER2 status (sensitivity, specificity) and ERBB2 copy number
  within 1 of the truth, for samples passing QC; EGFR hotspot mutations per
  cell against the truth's carriers (detected, and the ceiling: carriers whose
  mutant allele did not drop out) and the precision of the calls;
- per CTC x feature (HER2, EGFR hotspots) with a true gain or loss: called
  the same, called not_assessable (an abstention), or missed (concordant or
  the opposite call); failed cells (truth/samples.tsv) are scored apart;
- per CTC x feature without a true difference: false gain/loss calls;
- per patient: her2_gain_in_ctcs and the EGFR mutations gained.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml
from harness import run_snakemake, snakemake_command

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COHORT = [
    "--patients", "3", "--ctcs", "6", "--amplified-ctcs", "2", "--erbb2-cn", "6,10",
    "--egfr-l858r-ctcs", "1", "--failed-cells", "1", "--failure-mode", "mixed",
    "--wbcs", "2", "--kit", "PicoPLEX",
]
TARGETS = ["results/status.tsv", "results/discordance.tsv", "results/patients.tsv"]


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", keep_default_na=False, dtype=str)


def simulate_and_run(outdir: Path, cohort: list[str], cores: int) -> dict[str, float]:
    outdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "simulator/simulate_cohort.py"),
                    "--outdir", "cohort", "--seed", "1", *cohort], cwd=outdir, check=True)
    simulated = time.monotonic()
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    config.update(samples="cohort/samples.tsv", units="cohort/units.tsv", results="results")
    config["reference"]["fasta"] = "cohort/reference/genome.fa"
    config["targets"]["panel"] = "cohort/reference/panel_targets.bed"
    config["resources"].update(genes="cohort/reference/genes.bed",
                               hotspots="cohort/reference/hotspots.tsv",
                               reference_regions="cohort/reference/reference_regions.bed")
    (outdir / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    run_snakemake(snakemake_command(outdir, outdir / "config.yaml", *TARGETS, cores=cores),
                  outdir / "snakemake.log", cwd=outdir, check=True)
    finished = time.monotonic()
    return {"simulation_s": simulated - started, "workflow_s": finished - simulated}


def ratio(hits: int, total: int) -> str:
    return f"{hits / total:.2f} ({hits}/{total})" if total else "n/a (0)"


def score_samples(outdir: Path) -> pd.DataFrame:
    """HER2, ERBB2 copy number and EGFR hotspots per sample type."""
    truth = read(outdir / "cohort/truth/samples.tsv")
    genes = read(outdir / "cohort/truth/genes.tsv")
    erbb2 = genes[genes["gene"] == "ERBB2"].set_index("sample")
    variants = read(outdir / "cohort/truth/variants.tsv")
    hotspots = variants[(variants["gene"] == "EGFR") & (variants["protein_change"] != "")]
    status = read(outdir / "results/status.tsv").set_index("sample")
    rows = []
    for kind, part in truth[truth["failed"] != "true"].groupby("type"):
        samples = list(part["sample"])
        passing = [s for s in samples if status.loc[s, "qc_pass"] == "true"]
        positive = [s for s in passing if erbb2.loc[s, "her2_status"] == "positive"]
        negative = [s for s in passing if erbb2.loc[s, "her2_status"] != "positive"]
        within = [s for s in passing if status.loc[s, "erbb2_cn"] != "" and
                  abs(float(status.loc[s, "erbb2_cn"]) - float(erbb2.loc[s, "cn"])) <= 1]
        carriers = hotspots[hotspots["sample"].isin(samples)]
        found = [r for r in carriers.itertuples()
                 if r.protein_change in status.loc[r.sample, "egfr_mutations"].split(";")]
        called = [(s, m) for s in samples for m in status.loc[s, "egfr_mutations"].split(";") if m]
        true_calls = {(r.sample, r.protein_change) for r in carriers.itertuples()}
        rows.append({
            "type": kind, "samples": len(samples), "QC pass": ratio(len(passing), len(samples)),
            "HER2 sens.": ratio(sum(status.loc[s, "her2_status"] == "positive" for s in positive),
                                len(positive)),
            "HER2 spec.": ratio(sum(status.loc[s, "her2_status"] != "positive" for s in negative),
                                len(negative)),
            "ERBB2 CN ±1": ratio(len(within), len(passing)),
            "EGFR hotspot sens.": ratio(len(found), len(carriers)),
            "ceiling (no dropout)": ratio(int((carriers["dropped_out"] == "false").sum()),
                                          len(carriers)),
            "EGFR hotspot precision": ratio(sum(c in true_calls for c in called), len(called)),
        })
    return pd.DataFrame(rows)


def score(outdir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    truth = read(outdir / "cohort/truth/discordance.tsv")
    failed = set(read(outdir / "cohort/truth/samples.tsv").query("failed == 'true'")["sample"])
    called = read(outdir / "results/discordance.tsv")
    merged = truth.merge(called[["ctc", "feature", "call", "ctc_evidence", "note"]],
                         on=["ctc", "feature"], how="left", suffixes=("_truth", ""))
    merged["call"] = merged["call"].fillna("missing")
    merged["group"] = merged["feature"].where(merged["feature"] == "HER2", "EGFR hotspots")
    merged["cell"] = ["failed" if c in failed else "good" for c in merged["ctc"]]
    rows = []
    for (group, cell), part in merged.groupby(["group", "cell"]):
        true_diff = part[part["call_truth"] != "concordant"]
        no_diff = part[part["call_truth"] == "concordant"]
        rows.append({
            "features": group, "cells": cell,
            "true differences": len(true_diff),
            "called": int((true_diff["call"] == true_diff["call_truth"]).sum()),
            "not_assessable": int((true_diff["call"] == "not_assessable").sum()),
            "missed": int((~true_diff["call"].isin([*true_diff["call_truth"].unique(),
                                                     "not_assessable"])).sum()),
            "no difference": len(no_diff),
            "false gain/loss": int(no_diff["call"].isin(["gain", "loss"]).sum()),
            "no difference, not_assessable": int((no_diff["call"] == "not_assessable").sum()),
        })
    patients = read(outdir / "results/patients.tsv").set_index("patient")
    flags = []
    for patient, part in truth.groupby("patient"):
        her2 = part[(part["feature"] == "HER2") & (part["call"] == "gain")
                    & ~part["ctc"].isin(failed)]
        egfr = sorted({f.split(":", 1)[1] for f in part.loc[
            part["feature"].str.startswith("EGFR:") & (part["call"] == "gain")
            & ~part["ctc"].isin(failed), "feature"]})
        row = patients.loc[patient]
        flags.append({
            "patient": patient,
            "her2 gain (truth)": "true" if len(her2) else "false",
            "her2 gain (called)": row["her2_gain_in_ctcs"],
            "her2-positive CTCs (truth)": ";".join(sorted(her2["ctc"])),
            "her2-positive CTCs (called)": row["her2_positive_ctc_names"],
            "EGFR gained (truth)": ";".join(egfr),
            "EGFR gained (called)": row["egfr_mutations_gained"],
        })
    return pd.DataFrame(rows), pd.DataFrame(flags)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outdir", type=Path, required=True)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--score-only", action="store_true")
    parser.add_argument("cohort", nargs="*", help="simulate_cohort.py options (after --)")
    args = parser.parse_args()
    if not args.score_only:
        times = simulate_and_run(args.outdir, args.cohort or DEFAULT_COHORT, args.cores)
        print(f"simulation {times['simulation_s']:.0f} s, workflow {times['workflow_s']:.0f} s")
    per_sample = score_samples(args.outdir)
    per_sample.to_csv(args.outdir / "sample_scores.tsv", sep="\t", index=False)
    print(per_sample.to_markdown(index=False))
    print()
    features, flags = score(args.outdir)
    features.to_csv(args.outdir / "discordance_scores.tsv", sep="\t", index=False)
    flags.to_csv(args.outdir / "patient_flags.tsv", sep="\t", index=False)
    print(features.to_markdown(index=False))
    print()
    print(flags.to_markdown(index=False))


if __name__ == "__main__":
    main()
