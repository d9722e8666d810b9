"""Single-cell variant states against the simulator's truth, side by side with
plain per-cell `bcftools call -mv` on the same BAMs.

    .venv/bin/python benchmarks/variants.py --outdir /tmp/variants_bench

Simulates a cohort (workflow/scripts/simulate_cohort.py; default: 3 patients,
6 CTCs each of which 3 carry EGFR L858R, MDA amplification), runs the real
workflow up to results/variants/, then per cell:

- sensitivity for the clonal heterozygous EGFR L858R (hotspot table state
  `mutant`; naive: the allele in the cell's own `bcftools call -mv` VCF),
  overall and at >= 10 reads at the site, beside the ceiling 1 - ADO (the
  cells' simulated dropout fraction) and the share of carrier cells without
  dropout at the site (truth `dropped_out`; a dropout may have taken either
  allele), and among those cells alone;
- precision of somatic calls in CTCs (mutation table, origin somatic, state
  mutant; naive: a CTC's calls not also called in one of the patient's WBCs),
  a call being true when the truth gives that cell that somatic allele;
- time: the workflow's joint calling + genotyping (its benchmark files) and
  the naive per-cell calling (wall clock).

Writes OUTDIR/results.tsv and OUTDIR/cells.tsv and prints the table.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import shlex
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_COHORT = "--patients 3 --ctcs 6 --egfr-l858r-ctcs 3 --kit MDA --reads-per-cell 10000 --panel-reads 8000"


def log(message: str) -> None:
    print(f"[variants {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"failed: {shlex.join(cmd)}\n{result.stderr[-3000:]}")
    return result


def rows(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def prepare(workdir: Path, seed: int, cohort_args: str) -> None:
    if not (workdir / "cohort" / "samples.tsv").is_file():
        log(f"simulating: {cohort_args} --seed {seed}")
        run([sys.executable, str(ROOT / "workflow/scripts/simulate_cohort.py"), "--outdir", "cohort",
             "--seed", str(seed), *shlex.split(cohort_args)], cwd=workdir)
    config = (ROOT / "config" / "config.yaml").read_text()
    config = config.replace("config/samples.tsv", "cohort/samples.tsv").replace(
        "config/units.tsv", "cohort/units.tsv").replace("demo/", "cohort/")
    (workdir / "config.yaml").write_text(config)


def run_workflow(workdir: Path, patients: list[str], cores: int) -> None:
    targets = [f"results/variants/{p}.{kind}.tsv" for p in patients for kind in ("hotspots", "mutations")]
    log(f"workflow up to {len(targets)} variant tables")
    run([str(BIN / "snakemake"), "--snakefile", str(ROOT / "Snakefile"), "--directory", str(workdir),
         "--configfile", str(workdir / "config.yaml"),
         # an existing run is re-scored without realigning when only rule code changed
         "--rerun-triggers", "mtime", "--cores", str(cores), *targets], cwd=workdir)


def naive_calls(workdir: Path, samples: list[dict[str, str]], config: dict) -> tuple[dict, float]:
    """Each cell called alone: mpileup | call -mv over the workflow's regions."""
    reference = workdir / "results" / "reference" / "genome.fa"
    if not reference.is_file():
        reference = workdir / "cohort" / "reference" / "genome.fa"
    regions = workdir / "results" / "variants" / "regions.bed"
    out = workdir / "naive"
    out.mkdir(exist_ok=True)
    calls: dict[str, set] = {}
    start = time.perf_counter()
    for s in samples:
        if s["type"] not in ("ctc", "wbc"):
            continue
        bams = sorted(str(p) for p in (workdir / "results" / "bam").glob(f"{s['sample']}.*.bam"))
        vcf = out / f"{s['sample']}.vcf.gz"
        command = (
            f"bcftools mpileup -f {shlex.quote(str(reference))} -R {shlex.quote(str(regions))}"
            f" -a FORMAT/AD --min-BQ {config['min_bq']} --min-MQ {config['min_mq']} -Ou "
            + " ".join(map(shlex.quote, bams))
            + f" 2>/dev/null | bcftools call -mv -Ou | bcftools norm -m -any -f {shlex.quote(str(reference))}"
            f" -Oz -o {shlex.quote(str(vcf))}"
        )
        run(["bash", "-o", "pipefail", "-c", command], cwd=workdir)
        found = set()
        with gzip.open(vcf, "rt") as handle:
            for line in handle:
                if line.startswith("#"):
                    continue
                chrom, pos, _, ref, alt = line.split("\t")[:5]
                genotype = line.rstrip("\n").split("\t")[9].split(":")[0]
                if any(a not in ("0", ".") for a in genotype.replace("|", "/").split("/")):
                    found.add((chrom, int(pos), ref, alt))
        calls[s["sample"]] = found
    return calls, time.perf_counter() - start


def workflow_seconds(workdir: Path) -> float:
    total = 0.0
    for path in (workdir / "results" / "benchmarks" / "variants").glob("*.tsv"):
        total += float(rows(path)[0]["s"])
    return total


def score(workdir: Path, naive: dict[str, set]) -> tuple[list[dict], list[dict]]:
    cohort = workdir / "cohort"
    samples = rows(cohort / "samples.tsv")
    truth_samples = {r["sample"]: r for r in rows(cohort / "truth" / "samples.tsv")}
    truth = defaultdict(dict)
    for r in rows(cohort / "truth" / "variants.tsv"):
        truth[r["sample"]][(r["chrom"], int(r["pos"]), r["ref"], r["alt"])] = r
    patients = sorted({s["patient"] for s in samples})
    hotspot_rows = [r for p in patients for r in rows(workdir / f"results/variants/{p}.hotspots.tsv")]
    mutation_rows = [r for p in patients for r in rows(workdir / f"results/variants/{p}.mutations.tsv")]
    l858r = {r["sample"]: r for r in hotspot_rows if r["protein_change"] == "L858R"}

    cells = []
    non_carriers: dict[str, int] = defaultdict(int)  # L858R state of CTCs without it
    for s in samples:
        if s["type"] != "ctc":
            continue
        name = s["sample"]
        site = l858r[name]
        key = (site["chrom"], int(site["pos"]), site["ref"], site["alt"])
        carried = truth[name].get(key)
        if not carried or carried["genotype"] == "0/0":
            non_carriers[site["state"]] += 1
            continue
        if carried["genotype"] != "0/1":
            continue
        cells.append({
            "patient": s["patient"], "sample": name, "depth": int(site["depth"]),
            "alt_reads": int(site["alt_reads"]), "ado_fraction": float(truth_samples[name]["ado_fraction"]),
            "dropped_out": carried["dropped_out"], "workflow_state": site["state"],
            "naive_called": key in naive.get(name, set()),
        })

    def sensitivity(selected: list[dict]) -> dict:
        n = len(selected)
        return {
            "cells": n,
            "workflow": sum(c["workflow_state"] == "mutant" for c in selected) / n if n else float("nan"),
            "naive": sum(c["naive_called"] for c in selected) / n if n else float("nan"),
            "ceiling_1_minus_ado": 1 - sum(c["ado_fraction"] for c in selected) / n if n else float("nan"),
            "no_dropout_share": sum(c["dropped_out"] == "false" for c in selected) / n if n else float("nan"),
        }

    results = []
    deep = [c for c in cells if c["depth"] >= 10]
    for label, selected in (
        ("all", cells),
        (">=10x", deep),
        (">=10x, no dropout at the site", [c for c in deep if c["dropped_out"] == "false"]),
    ):
        results.append({"metric": f"L858R sensitivity ({label})", **sensitivity(selected)})
    results.append({
        "metric": "L858R in CTCs without it: share called wildtype", "cells": sum(non_carriers.values()),
        "workflow": non_carriers["wildtype"] / sum(non_carriers.values()) if non_carriers else float("nan"),
        "naive": "", "ceiling_1_minus_ado": "", "no_dropout_share": "",
        "detail": "states: " + ", ".join(f"{k} {v}" for k, v in sorted(non_carriers.items())),
    })

    types = {s["sample"]: s for s in samples}
    ours_tp = ours_fp = 0
    # every mutant CTC call by the truth's class of the allele and the origin given
    labels: dict[tuple[str, str], int] = defaultdict(int)
    for r in mutation_rows:
        if r["type"] != "ctc" or r["state"] != "mutant":
            continue
        t = truth[r["sample"]].get((r["chrom"], int(r["pos"]), r["ref"], r["alt"]))
        carried = bool(t) and t["genotype"] != "0/0"
        kind = t["origin"] if carried else "not carried"
        labels[(kind, r["origin"])] += 1
        if r["origin"] != "somatic":
            continue
        if carried and t["origin"] == "somatic":
            ours_tp += 1
        else:
            ours_fp += 1
    naive_tp = naive_fp = 0
    for name, found in naive.items():
        if types[name]["type"] != "ctc":
            continue
        patient = types[name]["patient"]
        wbc_calls = set().union(*(naive[w] for w in naive if types[w]["type"] == "wbc"
                                  and types[w]["patient"] == patient))
        for key in found - wbc_calls:
            t = truth[name].get(key)
            if t and t["origin"] == "somatic" and t["genotype"] != "0/0":
                naive_tp += 1
            else:
                naive_fp += 1
    results.append({
        "metric": "somatic precision in CTCs", "cells": sum(1 for s in samples if s["type"] == "ctc"),
        "workflow": ours_tp / (ours_tp + ours_fp) if ours_tp + ours_fp else float("nan"),
        "naive": naive_tp / (naive_tp + naive_fp) if naive_tp + naive_fp else float("nan"),
        "ceiling_1_minus_ado": "", "no_dropout_share": "",
        "detail": f"workflow {ours_tp} true / {ours_fp} false; naive {naive_tp} true / {naive_fp} false",
    })
    somatic_mutant = sum(n for (kind, _), n in labels.items() if kind == "somatic")
    results.append({
        "metric": "true somatic mutant CTC calls labelled somatic", "cells": results[-1]["cells"],
        "workflow": labels[("somatic", "somatic")] / somatic_mutant if somatic_mutant else float("nan"),
        "naive": "", "ceiling_1_minus_ado": "", "no_dropout_share": "",
        "detail": "mutant CTC calls by truth / origin: " + ", ".join(
            f"{kind}/{origin} {n}" for (kind, origin), n in sorted(labels.items())),
    })
    return results, cells


def write(path: Path, table: list[dict]) -> None:
    columns = list(dict.fromkeys(k for row in table for k in row))
    with path.open("w") as handle:
        handle.write("\t".join(columns) + "\n")
        for row in table:
            handle.write("\t".join(_fmt(row.get(c, "")) for c in columns) + "\n")


def _fmt(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outdir", type=Path, required=True, help="working directory (created)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cohort-args", default=DEFAULT_COHORT,
                        help=f"simulate_cohort.py options (default: {DEFAULT_COHORT!r})")
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    workdir = args.outdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    prepare(workdir, args.seed, args.cohort_args)
    samples = rows(workdir / "cohort" / "samples.tsv")
    patients = sorted({s["patient"] for s in samples})
    started = time.perf_counter()
    run_workflow(workdir, patients, args.cores)
    log(f"workflow done in {time.perf_counter() - started:.0f} s")
    import yaml

    settings = yaml.safe_load((workdir / "config.yaml").read_text())["variants"]
    naive, naive_seconds = naive_calls(workdir, samples, settings)
    results, cells = score(workdir, naive)
    cells_n = sum(1 for s in samples if s["type"] in ("ctc", "wbc"))
    results.append({"metric": "seconds (all samples)", "cells": cells_n,
                    "workflow": workflow_seconds(workdir), "naive": naive_seconds,
                    "detail": "workflow: joint_call + genotype_variants benchmark files; naive: per-cell mpileup | call -mv"})
    write(workdir / "results.tsv", results)
    write(workdir / "cells.tsv", cells)
    print(f"cohort: {args.cohort_args} --seed {args.seed}")
    print((workdir / "results.tsv").read_text())


if __name__ == "__main__":
    main()
