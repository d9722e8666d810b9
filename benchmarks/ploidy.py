"""Ploidy (scale) choice rules side by side, on simulated profiles and on the
segments of a finished workflow run.

    PYTHONPATH=workflow/scripts .venv/bin/python benchmarks/ploidy.py [--artefacts 3 --level-sd 0.02]
    PYTHONPATH=workflow/scripts .venv/bin/python benchmarks/ploidy.py --run /tmp/acc/seed1

Simulation: each profile is a genome of 22 autosomes (GRCh38 lengths,
--bin-mb bins) whose arms sit at the true ploidy (2, 3 or 4) or a few copies
off it, with interstitial changes and focal amplifications. A bulk sample
(--purities below 1) mixes it with diploid normal cells. Every bin gets
Gaussian noise on the ratio scale with an SD of NOISE x sqrt(ratio)
(counting noise grows with depth); optionally each true segment a log2 level
error (--level-sd) and a few stretches a level off by 15-35% (--artefacts:
the GC or mappability bias a reference leaves). Then the workflow's own steps
run: ratio to the median, log2, PELT segmentation, the large-segment basis
of `call_profile`, the noise SD of the bins' log2 ratios; every rule fits a
scale on the same segments. A profile is wrong when the reported ploidy (the
bin-weighted mean integer copy number, as in `call_profile`) is more than 0.5
from the true mean copy number. Prints the fraction wrong per (purity, true
ploidy, noise) for each rule, with the median MAPD, and the totals.

--run refits every sample of an accuracy.py seed directory with each rule on
the segments the workflow wrote (segmentation does not depend on the rule)
and compares the reported ploidy with the simulator's truth.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ctc_profiler.copy_number.bins import is_sex_chromosome, read_bed
from ctc_profiler.copy_number.qc import ProfileQc, mapd
from ctc_profiler.copy_number.profile import ploidy_basis
from ctc_profiler.copy_number.sample_summary import status_row
from ctc_profiler.copy_number.gene_copy_number import genes_copy_number
from ctc_profiler.copy_number.ploidy import MIN_RATIO, PLOIDY_GRID, fit_ploidy, integer_copy_number, tumour_copy_number
from ctc_profiler.copy_number.segmentation import noise_sd, segment, segment_values

CHROM_MB = [248, 242, 198, 190, 181, 171, 159, 145, 138, 134, 135, 133, 114, 107, 102, 90, 83, 80, 59, 64, 47, 51]
ARM_STEPS = [-2, -1, 1, 2]
ARM_STEP_P = [0.15, 0.35, 0.35, 0.15]


def genome_bins(bin_mb: float) -> pd.DataFrame:
    rows = []
    for i, mb in enumerate(CHROM_MB, start=1):
        n = max(6, int(round(mb / bin_mb)))
        size = int(bin_mb * 1e6)
        rows += [(f"chr{i}", j * size, (j + 1) * size) for j in range(n)]
    bins = pd.DataFrame(rows, columns=["chrom", "start", "end"])
    bins["use"] = True
    return bins


def true_copy_number(bins: pd.DataFrame, ploidy: int, rng: np.random.Generator) -> np.ndarray:
    """Arm-level states around the ploidy, interstitial changes, focal amplifications."""
    cn = np.empty(len(bins))
    chroms = bins["chrom"].to_numpy()
    spans = []
    for chrom in pd.unique(chroms):
        idx = np.flatnonzero(chroms == chrom)
        split = idx[0] + int(0.4 * len(idx))
        for arm in (idx[idx < split], idx[idx >= split]):
            state = ploidy if rng.random() < 0.5 else ploidy + rng.choice(ARM_STEPS, p=ARM_STEP_P)
            cn[arm] = max(1, state)
        spans.append(idx)
    for _ in range(rng.poisson(4)):  # interstitial changes of 2-15% of a chromosome
        idx = spans[rng.integers(len(spans))]
        width = max(3, int(rng.uniform(0.02, 0.15) * len(idx)))
        start = idx[0] + rng.integers(0, len(idx) - width + 1)
        cn[start:start + width] = max(0, cn[start] + rng.choice(ARM_STEPS, p=ARM_STEP_P))
    for _ in range(rng.poisson(1)):  # focal amplifications
        width = int(rng.integers(2, 7))
        start = int(rng.integers(0, len(cn) - width))
        cn[start:start + width] = ploidy + rng.integers(3, 9)
    return cn


def observed_bins(bins: pd.DataFrame, cn: np.ndarray, purity: float, noise: float, level_sd: float,
                  artefacts: float, rng: np.random.Generator) -> pd.DataFrame:
    """Noisy bins normalised to their median, as `call_profile` sees them."""
    mixed = purity * cn + 2 * (1 - purity)
    ratio = mixed / np.median(mixed)
    # one systematic level error per run of equal copy number
    chroms = bins["chrom"].to_numpy()
    runs = np.r_[0, np.cumsum((np.diff(cn) != 0) | (chroms[1:] != chroms[:-1]))]
    ratio = ratio * 2 ** rng.normal(0, level_sd, runs[-1] + 1)[runs] if level_sd > 0 else ratio
    for _ in range(rng.poisson(artefacts)):
        # a stretch the reference does not cancel (mappability, GC): its level is off
        width = max(3, int(rng.uniform(0.015, 0.05) * len(cn)))
        start = int(rng.integers(0, len(cn) - width))
        ratio[start:start + width] *= 2 ** (rng.choice([-1, 1]) * rng.uniform(0.15, 0.35))
    ratio = ratio + rng.normal(0, 1, len(ratio)) * noise * np.sqrt(ratio)
    ratio = ratio / np.median(ratio)
    out = bins.copy()
    out["ratio"] = ratio
    out["log2"] = np.log2(np.clip(ratio, MIN_RATIO, None))
    return out


# ------------------------------------------------------------------ rules
def ginkgo_errors(ratios: np.ndarray, weights: np.ndarray, purity: float) -> np.ndarray:
    """Bin-weighted mean squared distance of segment copy numbers to integers, per scale."""
    return np.array([np.average((cn - np.round(cn)) ** 2, weights=weights)
                     for cn in (tumour_copy_number(ratios, p, purity) for p in PLOIDY_GRID)])


def local_minima(errors: np.ndarray) -> np.ndarray:
    padded = np.r_[np.inf, errors, np.inf]
    return np.flatnonzero((errors <= padded[:-2]) & (errors <= padded[2:]))


def ginkgo(ratios: np.ndarray, weights: np.ndarray, purity: float, noise: float) -> float:
    """The rule before: the lowest local minimum within 0.01 of the best error."""
    errors = ginkgo_errors(ratios, weights, purity)
    return float(PLOIDY_GRID[next(i for i in local_minima(errors) if errors[i] <= errors.min() + 0.01)])


def relative(ratios: np.ndarray, weights: np.ndarray, purity: float, noise: float) -> float:
    """An earlier, unshipped attempt: a higher local minimum must halve the error."""
    errors = ginkgo_errors(ratios, weights, purity)
    minima = local_minima(errors)
    choice = minima[0]
    for i in minima[1:]:
        if errors[i] < errors[choice] / 2:
            choice = i
    return float(PLOIDY_GRID[choice])


def evidence(**options: float) -> Callable[[np.ndarray, np.ndarray, float, float], float]:
    def rule(ratios: np.ndarray, weights: np.ndarray, purity: float, noise: float) -> float:
        return fit_ploidy(ratios, weights, purity, noise, **options).ploidy
    return rule


RULES: dict[str, Callable[[np.ndarray, np.ndarray, float, float], float]] = {
    "Ginkgo, tolerance 0.01 (before)": ginkgo,
    "halve the error": relative,
    "evidence (workflow)": evidence(),
    "evidence, margin 0": evidence(margin=0.0),
    "evidence, per segment": evidence(bin_weighted=False),
    "evidence, level SD 0.05 only (before)": evidence(level_sds=(0.05,)),
    "evidence, level SD 0.1 only": evidence(level_sds=(0.1,)),
}


# ------------------------------------------------------------------- run
def reported_ploidy(segments: pd.DataFrame, scale: float, purity: float) -> float:
    cn = integer_copy_number(segments["ratio"].to_numpy(), scale, purity)
    return float(np.average(cn, weights=segments["bins"]))


def run(args: argparse.Namespace) -> pd.DataFrame:
    rng = np.random.default_rng(args.seed)
    bins = genome_bins(args.bin_mb)
    rows = []
    seconds = {name: 0.0 for name in RULES}
    for purity in args.purities:
        for ploidy in (2, 3, 4):
            for noise in args.noise:
                for _ in range(args.profiles):
                    cn = true_copy_number(bins, ploidy, rng)
                    observed = observed_bins(bins, cn, purity, noise, args.level_sd, args.artefacts, rng)
                    segments = segment(observed, "log2", 3, 3.0)
                    autosomal = pd.Series(True, index=segments.index)
                    basis = ploidy_basis(segments, autosomal, 3)
                    ratios = segments.loc[basis, "ratio"].to_numpy()
                    weights = segments.loc[basis, "bins"].to_numpy()
                    sd = noise_sd(observed["log2"].to_numpy())
                    row = {"purity": purity, "ploidy": ploidy, "noise": noise, "truth": cn.mean(),
                           "mapd": mapd(observed["ratio"].clip(lower=MIN_RATIO).to_numpy(),
                                        observed["chrom"].to_numpy())}
                    for name, rule in RULES.items():
                        started = time.perf_counter()
                        scale = rule(ratios, weights, purity, sd)
                        seconds[name] += time.perf_counter() - started
                        row[name] = reported_ploidy(segments, scale, purity)
                    rows.append(row)
    table = pd.DataFrame(rows)
    for name in RULES:
        table[f"{name} wrong"] = (table[name] - table["truth"]).abs() > 0.5
    table.attrs["ms"] = {name: 1000 * s / len(table) for name, s in seconds.items()}
    return table


def her2_status(sample: dict, qc: ProfileQc, segments: pd.DataFrame, bins: pd.DataFrame, regions: pd.DataFrame,
                scale: float, purity: float) -> str:
    """HER2 status as call_copy_number reports it, with the segments at this scale."""
    segments = segments.assign(cn_estimate=tumour_copy_number(segments["ratio"].to_numpy(), scale, purity),
                               cn=integer_copy_number(segments["ratio"].to_numpy(), scale, purity))
    bins = bins.assign(cn_estimate=segment_values(bins, segments, "cn_estimate"),
                       cn=segment_values(bins, segments, "cn"))
    row = status_row(sample, "", qc, reported_ploidy(segments, scale, purity),
                     genes_copy_number(bins, regions), 1.6)
    return f"{row['her2_status']} ({row['erbb2_cn']:g}/{row['chr17_ref_cn']:g})"


def refit_run(run_dir: Path) -> pd.DataFrame:
    """Every sample of a finished run (results/copy_number/<sample>/) refitted
    by each rule on its own segments, beside the simulator's truth: reported
    ploidy and HER2 status (ERBB2 / chr17_ref copy number)."""
    sheet = pd.read_csv(run_dir / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    truth = pd.concat([pd.read_csv(p, sep="\t") for p in sorted(run_dir.glob("**/truth/copy_number.tsv"))])
    truth = truth[~truth["chrom"].map(is_sex_chromosome)]
    true_ploidy = truth.assign(length=truth["end"] - truth["start"]).groupby("sample").apply(
        lambda t: np.average(t["cn"], weights=t["length"]), include_groups=False)
    genes = pd.concat([pd.read_csv(p, sep="\t") for p in sorted(run_dir.glob("**/truth/genes.tsv"))])
    true_her2 = genes[genes["gene"] == "ERBB2"].set_index("sample")["her2_status"]
    resources = yaml.safe_load((run_dir / "config.yaml").read_text())["resources"]
    regions = pd.concat([read_bed(resources["genes"]), read_bed(resources["reference_regions"])])
    rows = []
    for sample in sheet.to_dict("records"):
        out = run_dir / "results" / "copy_number" / sample["sample"]
        if not (out / "segments.tsv").is_file() or sample["sample"] not in true_ploidy:
            continue
        segments = pd.read_csv(out / "segments.tsv", sep="\t", dtype={"chrom": str})
        bins = pd.read_csv(out / "bins.tsv", sep="\t", dtype={"chrom": str})
        qc = ProfileQc(**json.loads((out / "qc.json").read_text()))
        purity = float(sample["purity"]) if sample["purity"] else 1.0
        autosomal = ~segments["chrom"].map(is_sex_chromosome)
        basis = ploidy_basis(segments, autosomal, 3)
        usable = bins["use"].astype(bool) & ~bins["chrom"].map(is_sex_chromosome)
        noise = noise_sd(bins.loc[usable, "log2"].to_numpy())
        row = {"sample": sample["sample"], "type": sample["type"], "qc_pass": qc.qc_pass,
               "mapd": round(qc.mapd, 2), "truth": round(float(true_ploidy[sample["sample"]]), 2),
               "true HER2": true_her2.get(sample["sample"], "")}
        for name, rule in RULES.items():
            scale = rule(segments.loc[basis, "ratio"].to_numpy(), segments.loc[basis, "bins"].to_numpy(),
                         purity, noise)
            row[name] = round(reported_ploidy(segments[autosomal], scale, purity), 2)
            row[f"{name} HER2"] = her2_status(sample, qc, segments, bins, regions, scale, purity)
        rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=100, help="profiles per (purity, ploidy, noise)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bin-mb", type=float, default=2.0, help="bin size in Mb (default 2: 1,436 bins)")
    parser.add_argument("--noise", type=float, nargs="+", default=[0.05, 0.1, 0.2, 0.3, 0.4],
                        help="per-bin ratio noise SD at ratio 1")
    parser.add_argument("--purities", type=float, nargs="+", default=[1.0, 0.7])
    parser.add_argument("--artefacts", type=float, default=0.0,
                        help="mean number of stretches (1.5-5%% of the genome) with a level off by 0.15-0.35 log2")
    parser.add_argument("--level-sd", type=float, default=0.0, help="systematic log2 error per true segment")
    parser.add_argument("--run", type=Path, help="instead: refit the segments of a finished run "
                        "(an accuracy.py seed directory: samples.tsv, results/, cohorts/*/truth/)")
    args = parser.parse_args()
    if args.run:
        table = refit_run(args.run)
        print(table[["sample", "type", "qc_pass", "mapd", "truth", *RULES]].to_markdown(index=False))
        first = next(iter(RULES))
        passing = table[table["qc_pass"]]
        for name in RULES:
            wrong = (table[name] - table["truth"]).abs() > 0.5
            print(f"\n{name}: ploidy wrong in {wrong.sum()} of {len(table)} "
                  f"(QC passing: {(wrong & table['qc_pass']).sum()} of {table['qc_pass'].sum()})")
            if name != first:
                changed = passing[passing[f"{name} HER2"] != passing[f"{first} HER2"]]
                print(f"  HER2 differs from {first} in {len(changed)} QC-passing samples:")
                for _, r in changed.iterrows():
                    print(f"  {r['sample']} (true {r['true HER2']}): {r[f'{first} HER2']} -> {r[f'{name} HER2']}")
        return
    table = run(args)
    wrong = [f"{name} wrong" for name in RULES]
    groups = table.groupby(["purity", "ploidy", "noise"])
    summary = groups[wrong].mean()
    summary.columns = list(RULES)
    summary.insert(0, "MAPD", groups["mapd"].median().round(2))
    print(f"fraction of profiles with a wrong ploidy ({args.profiles} per row, seed {args.seed}, "
          f"bins {args.bin_mb} Mb, artefacts {args.artefacts}, level SD {args.level_sd}); "
          "MAPD: median over the row's profiles")
    print(summary.round(3).to_markdown())
    totals = table.groupby(["purity", "ploidy"])[wrong].mean()
    totals.columns = list(RULES)
    print("\nby purity and ploidy, all noise levels")
    print(totals.round(3).to_markdown())
    print("\nall profiles: " + ", ".join(f"{name}: {table[w].mean():.3f}" for name, w in zip(RULES, wrong)))
    print("ms per fit: " + ", ".join(f"{name}: {ms:.2f}" for name, ms in table.attrs["ms"].items()))


if __name__ == "__main__":
    main()
