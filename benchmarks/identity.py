"""Identity check: swapped cells caught and no false mismatch, over WGA kits,
reads per cell and with or without the panel.

    .venv/bin/python benchmarks/identity.py --outdir /tmp/identity [--seeds 1 2]
        [--kits PicoPLEX MALBAC DOP-PCR Ampli1 MDA] [--reads 500000 1000000 2000000] [--panel yes no]
        [--patients 4] [--ctcs 4] [--swapped-ctcs 1] [--shared-germline-fraction 0.9]

Per (seed, kit, reads, panel) a cohort of 4 patients is simulated (a primary,
2 WBCs and 4 CTCs each; `--swapped-ctcs 1`: the last CTCs of P1 and P2, and
of P3 and P4, trade tubes; `--patients`, `--ctcs` and `--swapped-ctcs` change
these) and the workflow is run on it up to
`results/identity/identity.tsv`, each cohort on its own (cohorts of one seed
share their patients' germlines, so they must not meet in one run). Reads per
cell are human-equivalent as in the accuracy benchmark
(`accuracy_grid.simulated_reads`: the same reads per 500 kb bin); on the
scaled genome a cell then covers a similar share of its germline SNPs as a
human cell would (about 1.5 times as many). Scored against
truth/identity.tsv: a swapped cell is caught when its verdict is `mismatch:
looks like <its true patient>`; every other sample must not be a mismatch.
Prints one row per kit x reads x panel, pooled over seeds, and writes
OUTDIR/identity.tsv (per sample) and OUTDIR/results.tsv.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "simulator"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow" / "scripts"))

import pandas as pd  # noqa: E402
import yaml  # noqa: E402
from accuracy_grid import reads_label, simulated_reads  # noqa: E402
from harness import simulated_run  # noqa: E402
from scipy import stats  # noqa: E402

from ctc_profiler.variants.germline_genotypes import IdentitySettings  # noqa: E402
from ctc_profiler.variants.identity import identity_table  # noqa: E402
from ctc_profiler.variants.identity_sites import site_counts  # noqa: E402

KITS = ("PicoPLEX", "MALBAC", "DOP-PCR", "Ampli1", "MDA")
READS = (500_000, 1_000_000, 2_000_000)


def simulator_options(kit: str, reads: int, panel: bool, patients: int = 4, shared: float = 0.0, ctcs: int = 4,
                      swapped: int = 1) -> list[str]:
    # a run of one patient has no tube to swap with: it checks for false mismatches alone
    return ["--patients", str(patients), "--ctcs", str(ctcs), "--wbcs", "2",
            "--swapped-ctcs", str(swapped) if patients > 1 else "0",
            "--kit", kit, "--reads-per-cell", str(simulated_reads(reads)), "--panel" if panel else "--no-panel",
            "--shared-germline-fraction", str(shared)]


def truth_table(workdir: Path) -> pd.DataFrame:
    """sample, patient (the sheet's), true_patient: the simulator's truth."""
    truth_file = workdir / "cohort/truth/identity.tsv"
    if truth_file.exists():
        return pd.read_csv(truth_file, sep="\t", dtype=str)[["sample", "patient", "true_patient"]]
    # nothing swapped (the simulator writes the table with swaps only): every sample is its sheet's patient's
    truth = pd.read_csv(workdir / "cohort/samples.tsv", sep="\t", dtype=str)[["sample", "patient"]]
    return truth.assign(true_patient=truth["patient"])


def score(workdir: Path) -> pd.DataFrame:
    called = pd.read_csv(workdir / "results/identity/identity.tsv", sep="\t")
    return flagged(truth_table(workdir).merge(called[["sample", "identity", "sites", "own_lod"]], on="sample"))


def flagged(cells: pd.DataFrame) -> pd.DataFrame:
    """Verdicts (patient: the label they were judged under) scored against true_patient."""
    cells = cells.copy()
    cells["swapped"] = cells["patient"] != cells["true_patient"]
    cells["caught"] = cells["swapped"] & cells.apply(
        lambda r: str(r["identity"]).startswith(f"mismatch: looks like {r['true_patient']}"), axis=1)
    cells["false_mismatch"] = ~cells["swapped"] & cells["identity"].str.startswith("mismatch")
    cells["matched"] = cells["identity"] == "match"
    return cells


def relabelled(workdir: Path) -> pd.DataFrame:
    """Every CTC of the cohort judged under each patient of the run in turn,
    from the workflow's own counts at its sites (`results/identity`, kept by
    --notemp) and the workflow's identity model. A CTC is in no patient's
    germline pools and its reads are counted at the same sites whoever's
    sheet it is on, so relabelling it is a swapped tube without a new run;
    a cohort of P patients and C CTCs gives C x (P - 1) swaps and C own
    labels. Checked first: the counts and the sheet as it is reproduce the
    workflow's identity.tsv, verdict for verdict."""
    results = workdir / "results/identity"
    sites = pd.read_csv(results / "sites.tsv", sep="\t", dtype={"chrom": str})
    counts = pd.concat([site_counts(path, sites) for path in sorted(results.glob("*.reads.bcf"))], ignore_index=True)
    called = pd.read_csv(results / "identity.tsv", sep="\t", dtype={"patient": str, "sample": str})
    sheet = pd.read_csv(workdir / "cohort/samples.tsv", sep="\t", dtype=str)[["patient", "sample", "type"]]
    sheet = sheet[sheet["sample"].isin(called["sample"])].reset_index(drop=True)
    config = yaml.safe_load((workdir / "cohort/config.yaml").read_text()) or {}
    settings = IdentitySettings.from_config(config.get("identity") or {})
    again = identity_table(counts, sheet, settings, population=sites)
    if list(again["identity"]) != list(called.set_index("sample").loc[again["sample"], "identity"]):
        sys.exit(f"{workdir}: the counts do not reproduce the workflow's identity.tsv; relabelling would not be it")
    truth = truth_table(workdir).set_index("sample")["true_patient"]
    patients = list(dict.fromkeys(sheet["patient"]))
    ctc = sheet["type"] == "ctc"
    trials = []
    for shift in range(len(patients)):
        labelled = sheet.copy()
        labelled.loc[ctc, "patient"] = [patients[(patients.index(truth[s]) + shift) % len(patients)]
                                        for s in sheet.loc[ctc, "sample"]]
        table = identity_table(counts, labelled, settings, population=sites)
        trials.append(table.loc[ctc.to_numpy(), ["sample", "patient", "identity", "sites", "own_lod"]])
    cells = pd.concat(trials, ignore_index=True)
    return flagged(cells.assign(true_patient=cells["sample"].map(truth)))


def caught_lower_bound(caught: int, swaps: int, confidence: float = 0.95) -> float:
    """One-sided exact (Clopper-Pearson) lower bound of the rate of swaps
    caught: with none missed it is (1 - confidence) ** (1 / swaps), so 299
    swaps without a miss are needed to bound the rate at 99%."""
    return float(stats.beta.ppf(1 - confidence, caught, swaps - caught + 1)) if caught else 0.0


def summary(cells: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (kit, reads, panel), group in cells.groupby(["kit", "reads", "panel"], sort=False):
        swapped, others = group[group["swapped"]], group[~group["swapped"]]
        rows.append({
            "kit": kit, "reads": reads_label(reads), "panel": panel,
            "swaps caught": f"{int(swapped['caught'].sum())}/{len(swapped)}",
            "false mismatch": f"{int(others['false_mismatch'].sum())}/{len(others)}",
            "others match": f"{int(others['matched'].sum())}/{len(others)}",
            "median sites (cells)": int(group.loc[group["type"].isin(["ctc", "wbc"]), "sites"].median()),
        })
    return pd.DataFrame(rows)


def report(cells: pd.DataFrame, outdir: Path, prefix: str) -> None:
    """Per-sample table and summary written to outdir (names with `prefix`), and printed."""
    cells.to_csv(outdir / f"{prefix}identity.tsv", sep="\t", index=False)
    table = summary(cells)
    table.to_csv(outdir / f"{prefix}results.tsv", sep="\t", index=False)
    print(table.to_markdown(index=False))
    swapped, others = cells[cells["swapped"]], cells[~cells["swapped"]]
    caught = int(swapped["caught"].sum())
    print(f"\nall: {caught}/{len(swapped)} swaps caught (95% lower bound of the rate "
          f"{100 * caught_lower_bound(caught, len(swapped)):.1f}%), "
          f"{int(others['false_mismatch'].sum())}/{len(others)} false mismatches")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", type=Path, required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--kits", nargs="+", default=list(KITS))
    parser.add_argument("--reads", type=int, nargs="+", default=list(READS), help="human-equivalent reads per cell")
    parser.add_argument("--panel", nargs="+", default=["yes", "no"], choices=["yes", "no"])
    parser.add_argument("--patients", type=int, default=4,
                        help="patients per cohort (1: no swap; whether a run of one patient gives false mismatches)")
    parser.add_argument("--shared-germline-fraction", type=float, default=0.0,
                        help="share of each patient's germline SNPs drawn from common SNPs all patients may carry "
                             "(the simulator's option; real people share most: 0.9 is closer to them than 0)")
    parser.add_argument("--ctcs", type=int, default=4, help="CTCs per patient")
    parser.add_argument("--swapped-ctcs", type=int, default=1,
                        help="per pair of patients, the last CTCs of each that trade tubes (many swaps per cohort: "
                             "a rate near 99%% takes hundreds of swaps to show)")
    parser.add_argument("--relabel", action="store_true",
                        help="also judge every CTC under each other patient of its cohort (`relabelled`): "
                             "C x (P - 1) swaps per cohort")
    parser.add_argument("--without-resource", action="store_true",
                        help="run without resources.germline, which --shared-germline-fraction otherwise names "
                             "(as a user without a population VCF: the default config ships none)")
    parser.add_argument("--clean", action="store_true",
                        help="remove each cohort's folder once it is scored (about 0.7 GB each); the tables stay")
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tables, relabel_tables = [], []
    for seed in args.seeds:
        for kit in args.kits:
            for reads in args.reads:
                for panel in args.panel:
                    name = f"{kit}-{reads_label(reads)}-panel_{panel}"
                    if args.patients != 4:
                        name += f"-{args.patients}patients"
                    if (args.ctcs, args.swapped_ctcs) != (4, 1):
                        name += f"-{args.ctcs}ctcs_{args.swapped_ctcs}swapped"
                    if args.shared_germline_fraction:
                        name += f"-shared{args.shared_germline_fraction:g}"
                    if args.without_resource:
                        name += "-no_resource"
                    workdir = (args.outdir / f"seed{seed}" / name).resolve()
                    options = simulator_options(kit, reads, panel == "yes", args.patients,
                                                args.shared_germline_fraction, args.ctcs, args.swapped_ctcs)
                    # relabelling reads the per-patient counts (identity/*.reads.bcf): kept (--notemp), and
                    # made again where a finished run removed them ("=": the target is no rule to force)
                    keep = ["--notemp", "--forcerun=identity_reads"] if args.relabel else []
                    changes = "resources:\n  germline: null\n" if args.without_resource else ""
                    simulated_run(workdir, seed, options, "results/identity/identity.tsv", args.cores, keep, changes)
                    sheet = pd.read_csv(workdir / "cohort/samples.tsv", sep="\t")[["sample", "type"]]
                    point = {"seed": seed, "kit": kit, "reads": reads, "panel": panel}
                    tables.append(score(workdir).merge(sheet, on="sample").assign(**point))
                    if args.relabel:
                        relabel_tables.append(relabelled(workdir).merge(sheet, on="sample").assign(**point))
                    if args.clean:
                        shutil.rmtree(workdir)
                    print(f"seed {seed} {kit} {reads_label(reads)} panel {panel}: "
                          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    args.outdir.mkdir(parents=True, exist_ok=True)
    report(pd.concat(tables, ignore_index=True), args.outdir, "")
    if relabel_tables:
        print("\nEvery CTC under each patient of its cohort (relabelled):")
        report(pd.concat(relabel_tables, ignore_index=True), args.outdir, "relabelled_")
    print(f"\nseeds {', '.join(map(str, args.seeds))}; {(time.perf_counter() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
