"""Single-cell variant states against the simulator's truth, side by side with
plain per-cell `bcftools call -mv` on the same BAMs.

    .venv/bin/python benchmarks/variants.py --outdir /tmp/variants_bench

Simulates a cohort (simulator/simulate_cohort.py; default: 3 patients,
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

With private SNVs in the cohort (`simulate_cohort.py --private-snvs N`: a
somatic SNV the truth lists for one CTC alone, whose clone has other
samples), also:

- sensitivity for private SNVs: the share the workflow calls `mutant` in
  their cell (naive: in the cell's `call -mv` VCF), overall and at >= 10
  reads, beside the ceiling 1 - ADO;
- the precision of somatic calls split by where else the allele is seen:
  in this cell only, or also in another cell or the primary (workflow:
  `mutant` in another tumour sample; naive: called in another CTC or in the
  primary's own `call -mv`, which is not timed);
- every private SNV, false call and single-cell error candidate (an allele
  of no truth variant of the patient with >= 2 alt reads in a CTC), with its
  reads by strand (joint VCF, as the states saw them) and the mean base
  quality of its alt and ref reads (BAMs), in OUTDIR/private_evidence.tsv,
  and what tells the two apart in OUTDIR/separability.tsv.

Writes OUTDIR/results.tsv and OUTDIR/cells.tsv and prints the table.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pysam

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))

from harness import snakemake_command, workflow_env  # noqa: E402

from ctc_profiler.variants.hotspot_reads import snv_reads  # noqa: E402
from ctc_profiler.variants.joint_vcf import read_sites  # noqa: E402
from ctc_profiler.variants.states import AlleleCounts, is_deamination, strand_biased  # noqa: E402

TUMOUR = ("ctc", "primary", "metastasis")
DEEP = 10  # reads at the site for the ">= 10x" figures
DEFAULT_COHORT = "--patients 3 --ctcs 6 --egfr-l858r-ctcs 3 --kit MDA --reads-per-cell 10000 --panel-reads 8000"


def log(message: str) -> None:
    print(f"[variants {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=cwd, env=workflow_env(), capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"failed: {shlex.join(cmd)}\n{result.stderr[-3000:]}")
    return result


def rows(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def prepare(workdir: Path, seed: int, cohort_args: str) -> None:
    if not (workdir / "cohort" / "samples.tsv").is_file():
        log(f"simulating: {cohort_args} --seed {seed}")
        run([sys.executable, str(ROOT / "simulator/simulate_cohort.py"), "--outdir", "cohort",
             "--seed", str(seed), *shlex.split(cohort_args)], cwd=workdir)
    # the cohort's own config, as a user runs it (its paths start at workdir)
    shutil.copy(workdir / "cohort" / "config.yaml", workdir / "config.yaml")


def run_workflow(workdir: Path, patients: list[str], cores: int) -> None:
    targets = [f"results/variants/{p}.{kind}.tsv" for p in patients for kind in ("hotspots", "mutations")]
    log(f"workflow up to {len(targets)} variant tables")
    # an existing run is re-scored without realigning when only rule code changed
    run(snakemake_command(workdir, workdir / "config.yaml", *targets, cores=cores,
                          options=("--rerun-triggers=mtime",)), cwd=workdir)


def bam_paths(workdir: Path, sample: str) -> list[str]:
    return sorted(str(p) for p in (workdir / "results" / "bam").glob(f"{sample}.*.bam"))


def call_alone(workdir: Path, sample: str, config: dict) -> set:
    """One sample called on its own: mpileup | call -mv over the workflow's regions."""
    reference = workdir / "results" / "reference" / "genome.fa"
    if not reference.is_file():
        reference = workdir / "cohort" / "reference" / "genome.fa"
    regions = workdir / "results" / "variants" / "regions.bed"
    out = workdir / "naive"
    out.mkdir(exist_ok=True)
    vcf = out / f"{sample}.vcf.gz"
    command = (
        f"bcftools mpileup -f {shlex.quote(str(reference))} -R {shlex.quote(str(regions))}"
        f" -a FORMAT/AD --min-BQ {config['min_bq']} --min-MQ {config['min_mq']} -Ou "
        + " ".join(map(shlex.quote, bam_paths(workdir, sample)))
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
    return found


def naive_calls(workdir: Path, samples: list[dict[str, str]], config: dict) -> tuple[dict, float]:
    """Each cell called alone: mpileup | call -mv over the workflow's regions."""
    calls: dict[str, set] = {}
    start = time.perf_counter()
    for s in samples:
        if s["type"] in ("ctc", "wbc"):
            calls[s["sample"]] = call_alone(workdir, s["sample"], config)
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


# ------------------------------------------------ private SNVs and errors
Key = tuple[str, int, str, str]


def private_truth(cohort: Path) -> dict[tuple[str, Key], dict[str, str]]:
    """(CTC, allele) of every private SNV: a somatic SNV the truth lists for
    that CTC alone, whose clone has other samples in the patient (a clone of
    one cell would make its clonal SNVs look private too)."""
    samples = {r["sample"]: r for r in rows(cohort / "truth" / "samples.tsv")}
    clone_sizes = Counter((r["patient"], r["clone"]) for r in samples.values())
    listed: dict[tuple[str, Key], list[dict[str, str]]] = defaultdict(list)
    for r in rows(cohort / "truth" / "variants.tsv"):
        if r["origin"] == "somatic" and len(r["ref"]) == len(r["alt"]) == 1:
            patient = samples[r["sample"]]["patient"]
            listed[(patient, (r["chrom"], int(r["pos"]), r["ref"], r["alt"]))].append(r)
    private = {}
    for (patient, key), carriers in listed.items():
        owner = samples[carriers[0]["sample"]]
        if len(carriers) == 1 and owner["type"] == "ctc" and clone_sizes[(patient, owner["clone"])] > 1:
            private[(owner["sample"], key)] = carriers[0]
    return private


def base_qualities(bams: list[pysam.AlignmentFile], key: Key, min_bq: int, min_mq: int) -> dict:
    """Reads of the ref and alt base by strand, once per fragment, and the mean
    base quality of each (the VCF keeps no base qualities), read by the hotspot
    genotyper's own `snv_reads`: same thresholds and filters."""
    chrom, pos, ref, alt = key
    quality: dict[str, list[int]] = {"ref": [], "alt": []}
    reverse: dict[str, int] = {"ref": 0, "alt": 0}
    for allele, is_reverse, q in snv_reads(bams, chrom, pos, ref, alt, min_bq, min_mq):
        quality[allele].append(q)
        reverse[allele] += is_reverse
    return {
        "bam_alt": len(quality["alt"]), "bam_ref": len(quality["ref"]),
        "bam_alt_rev": reverse["alt"], "bam_ref_rev": reverse["ref"],
        "alt_bq": statistics.mean(quality["alt"]) if quality["alt"] else float("nan"),
        "ref_bq": statistics.mean(quality["ref"]) if quality["ref"] else float("nan"),
    }


def private_and_errors(workdir: Path, naive: dict[str, set], naive_primary: dict[str, dict[str, set]],
                       config: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """Private SNVs against single-cell errors: the results rows, one evidence
    row per private SNV / false call / error candidate, and the separability table."""
    cohort = workdir / "cohort"
    samples = {s["sample"]: s for s in rows(cohort / "samples.tsv")}
    truth_samples = {r["sample"]: r for r in rows(cohort / "truth" / "samples.tsv")}
    carried: dict[str, dict[Key, dict]] = defaultdict(dict)
    patient_keys: dict[str, set[Key]] = defaultdict(set)
    for r in rows(cohort / "truth" / "variants.tsv"):
        key = (r["chrom"], int(r["pos"]), r["ref"], r["alt"])
        carried[r["sample"]][key] = r
        patient_keys[samples[r["sample"]]["patient"]].add(key)
    private = private_truth(cohort)
    patients = sorted({s["patient"] for s in samples.values()})
    mutations = {(r["sample"], (r["chrom"], int(r["pos"]), r["ref"], r["alt"])): r
                 for p in patients for r in rows(workdir / f"results/variants/{p}.mutations.tsv")}
    mutant_in: dict[tuple[str, Key], set[str]] = defaultdict(set)  # (patient, allele) -> tumour samples
    for (name, key), r in mutations.items():
        if r["state"] == "mutant" and r["type"] in TUMOUR:
            mutant_in[(r["patient"], key)].add(name)
    counts: dict[tuple[str, Key], AlleleCounts] = {}
    for p in patients:
        _, sites = read_sites(workdir / f"results/variants/{p}.vcf.gz")
        for site in sites:
            for name, c in site.counts.items():
                counts[(name, (site.chrom, site.pos, site.ref, site.alt))] = c

    def is_true(name: str, key: Key) -> bool:
        t = carried[name].get(key)
        return bool(t) and t["origin"] == "somatic" and t["genotype"] != "0/0"

    # evidence rows: private SNVs, false somatic/unresolved mutant calls, error candidates
    chosen: dict[tuple[str, Key], str] = {k: "private" for k in private}
    for (name, key), r in mutations.items():
        if (r["type"] == "ctc" and r["state"] == "mutant" and r["origin"] != "germline"
                and not is_true(name, key) and carried[name].get(key, {}).get("origin") != "germline"):
            chosen.setdefault((name, key), "false call")
    for (name, key), c in counts.items():
        patient = samples[name]["patient"]
        snv = len(key[2]) == len(key[3]) == 1
        if snv and samples[name]["type"] == "ctc" and c.alt >= 2 and key not in patient_keys[patient]:
            chosen.setdefault((name, key), "error")
    evidence = []
    handles: dict[str, list[pysam.AlignmentFile]] = {}
    for (name, key), kind in sorted(chosen.items()):
        if name not in handles:
            handles[name] = [pysam.AlignmentFile(b) for b in bam_paths(workdir, name)]
        c = counts.get((name, key), AlleleCounts())
        call = mutations.get((name, key), {})
        patient = samples[name]["patient"]
        truth_row = carried[name].get(key, {})
        evidence.append({
            "class": kind, "sample": name, "chrom": key[0], "pos": key[1], "ref": key[2], "alt": key[3],
            "state": call.get("state", "not in table"), "origin": call.get("origin", ""),
            "quality": call.get("quality", ""),
            "mutant_elsewhere": len(mutant_in[(patient, key)] - {name}),
            "naive_called": key in naive.get(name, set()),
            "alt_fwd": c.alt_fwd, "alt_rev": c.alt_rev, "ref_fwd": c.ref_fwd, "ref_rev": c.ref_rev,
            "alt_fraction": c.alt_fraction, "strand_biased": strand_biased(c),
            "c_to_t": is_deamination(key[2], key[3]),
            **base_qualities(handles[name], key, config["min_bq"], config["min_mq"]),
            "dropped_out": truth_row.get("dropped_out", ""),
            "ado_fraction": float(truth_samples[name]["ado_fraction"]),
        })
    for bams in handles.values():
        for bam in bams:
            bam.close()

    # private SNV sensitivity, as for L858R (depth: reads at the site in the BAMs)
    results = []
    snvs = [e for e in evidence if e["class"] == "private"]
    for label, selected in (
        ("all", snvs),
        (f">={DEEP}x", [e for e in snvs if e["bam_alt"] + e["bam_ref"] >= DEEP]),
        (f">={DEEP}x, no dropout at the site",
         [e for e in snvs if e["bam_alt"] + e["bam_ref"] >= DEEP and e["dropped_out"] == "false"]),
    ):
        n = len(selected)
        origins = Counter(e["origin"] for e in selected if e["state"] == "mutant")
        results.append({
            "metric": f"private SNV sensitivity ({label})", "cells": n,
            "workflow": sum(e["state"] == "mutant" for e in selected) / n if n else float("nan"),
            "naive": sum(e["naive_called"] for e in selected) / n if n else float("nan"),
            "ceiling_1_minus_ado": 1 - sum(e["ado_fraction"] for e in selected) / n if n else float("nan"),
            "no_dropout_share": sum(e["dropped_out"] == "false" for e in selected) / n if n else float("nan"),
            "detail": f"SNVs in {len({e['sample'] for e in selected})} CTCs; mutant calls by origin: "
            + ", ".join(f"{k} {v}" for k, v in sorted(origins.items())),
        })

    # somatic precision split by where else the allele is seen
    split = {True: [0, 0, 0], False: [0, 0, 0]}  # alone? -> [true, false, true private]
    for (name, key), r in mutations.items():
        if r["type"] != "ctc" or r["state"] != "mutant" or r["origin"] != "somatic":
            continue
        alone = not (mutant_in[(r["patient"], key)] - {name})
        split[alone][0 if is_true(name, key) else 1] += 1
        split[alone][2] += (name, key) in private
    naive_split = {True: [0, 0, 0], False: [0, 0, 0]}
    for name, found in naive.items():
        if samples[name]["type"] != "ctc":
            continue
        patient = samples[name]["patient"]
        others = [n for n in naive if n != name and samples[n]["patient"] == patient]
        wbc_calls = set().union(*(naive[w] for w in others if samples[w]["type"] == "wbc"))
        elsewhere = set().union(*(naive[n] for n in others if samples[n]["type"] == "ctc"),
                                *naive_primary.get(patient, {}).values())
        for key in found - wbc_calls:
            alone = key not in elsewhere
            naive_split[alone][0 if is_true(name, key) else 1] += 1
            naive_split[alone][2] += (name, key) in private
    for alone, label in ((True, "in this cell only"), (False, "also in another cell or the primary")):
        ours, theirs = split[alone], naive_split[alone]
        results.append({
            "metric": f"somatic precision in CTCs, {label}",
            "cells": sum(1 for s in samples.values() if s["type"] == "ctc"),
            "workflow": ours[0] / (ours[0] + ours[1]) if ours[0] + ours[1] else float("nan"),
            "naive": theirs[0] / (theirs[0] + theirs[1]) if theirs[0] + theirs[1] else float("nan"),
            "ceiling_1_minus_ado": "", "no_dropout_share": "",
            "detail": f"workflow {ours[0]} true ({ours[2]} private) / {ours[1]} false; "
            f"naive {theirs[0]} true ({theirs[2]} private) / {theirs[1]} false",
        })
    return results, evidence, separability(evidence)


def separability(evidence: list[dict]) -> list[dict]:
    """What the reads of private SNVs and of single-cell errors look like, for
    sites where the cell shows the alt allele at least twice."""
    table = []
    shown = [e for e in evidence if e["alt_fwd"] + e["alt_rev"] >= 2]
    for kind, group in (
        ("private", [e for e in shown if e["class"] == "private"]),
        # C>T / G>A apart: the state model expects amplification errors there
        ("private, C>T / G>A", [e for e in shown if e["class"] == "private" and e["c_to_t"]]),
        ("private, other", [e for e in shown if e["class"] == "private" and not e["c_to_t"]]),
        ("false call", [e for e in shown if e["class"] == "false call"]),
        ("error", [e for e in shown if e["class"] == "error"]),
    ):
        if not group:
            continue
        both = [e for e in group if e["ref_fwd"] + e["alt_fwd"] and e["ref_rev"] + e["alt_rev"]]
        fractions = [e["alt_fraction"] for e in group]
        alt_bq = [e["alt_bq"] for e in group if e["bam_alt"]]
        table.append({
            "class": kind, "sites (>= 2 alt reads)": len(group),
            "reads on both strands": len(both),
            "of which alt on both strands": sum(1 for e in both if e["alt_fwd"] and e["alt_rev"]),
            "alt fraction median": statistics.median(fractions),
            "alt fraction >= 0.3": sum(f >= 0.3 for f in fractions),
            "mean alt BQ median": statistics.median(alt_bq) if alt_bq else float("nan"),
            "mean alt BQ < 30": sum(q < 30 for q in alt_bq),
            "C>T / G>A": sum(e["c_to_t"] for e in group),
            "called mutant": sum(e["state"] == "mutant" for e in group),
            "both alleles seen, called mutant": "{} / {}".format(
                sum(e["state"] == "mutant" for e in group if e["ref_fwd"] + e["ref_rev"]),
                sum(1 for e in group if e["ref_fwd"] + e["ref_rev"])),
            "mutant, origin somatic": sum(e["state"] == "mutant" and e["origin"] == "somatic" for e in group),
        })
    return table


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

    # the calling thresholds the run used: the schema's defaults unless the config sets them
    settings = {"min_bq": 13, "min_mq": 20,
                **(yaml.safe_load((workdir / "config.yaml").read_text()).get("variants") or {})}
    naive, naive_seconds = naive_calls(workdir, samples, settings)
    results, cells = score(workdir, naive)
    cells_n = sum(1 for s in samples if s["type"] in ("ctc", "wbc"))
    results.append({"metric": "seconds (all samples)", "cells": cells_n,
                    "workflow": workflow_seconds(workdir), "naive": naive_seconds,
                    "detail": ("workflow: joint_call + genotype_variants benchmark files; "
                               "naive: per-cell mpileup | call -mv")})
    if private_truth(workdir / "cohort"):
        # the primary called alone too (not timed), for the naive arm's "seen elsewhere"
        naive_primary: dict[str, dict[str, set]] = defaultdict(dict)
        for s in samples:
            if s["type"] == "primary":
                naive_primary[s["patient"]][s["sample"]] = call_alone(workdir, s["sample"], settings)
        extra, evidence, table = private_and_errors(workdir, naive, naive_primary, settings)
        results += extra
        write(workdir / "private_evidence.tsv", evidence)
        write(workdir / "separability.tsv", table)
    write(workdir / "results.tsv", results)
    write(workdir / "cells.tsv", cells)
    print(f"cohort: {args.cohort_args} --seed {args.seed}")
    print((workdir / "results.tsv").read_text())
    if (workdir / "separability.tsv").is_file():
        print((workdir / "separability.tsv").read_text())


if __name__ == "__main__":
    main()
