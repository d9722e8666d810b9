"""HER2 of every QC-passing single cell of finished accuracy runs, rescored
with chr17_ref measured over its own bins where its bin segment also holds
ERBB2 (the reference taken apart from the gene, as the CEP17 probe is).

    .venv/bin/python benchmarks/chr17_reference.py RUN [RUN ...]

RUN is an --outdir of benchmarks/accuracy.py (its cells.tsv and each
cell's genes.tsv and bins.tsv). ERBB2 is the workflow's own; chr17_ref is
replaced by the rounded mean of its usable bins' own copy-number estimates
(`cn_bin`) when one of its bins shares a segment with ERBB2 (`shares`), or
only when ERBB2 also took its tile segment's copy number (`window`). HER2 is
then called by the workflow's classifier. Prints, per run and rule, HER2
sensitivity at each amplified level and specificity (cells at 0.5 M reads
and more), and how many cells the rule touched.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow" / "scripts"))
from ctc_profiler.core.her2_egfr_rules import her2_call  # noqa: E402

MIN_READS = 500_000
RULES = ("shares", "window")


def overlapping(bins: pd.DataFrame, region: pd.Series) -> pd.Series:
    return (bins["chrom"] == region["chrom"]) & (bins["end"] > region["start"]) & (bins["start"] < region["end"])


def own_bins_copy_number(bins: pd.DataFrame, region: pd.Series) -> float:
    usable = overlapping(bins, region) & bins["use"]
    return float(bins.loc[usable, "cn_bin"].mean()) if usable.any() else float("nan")


def shares_segment(bins: pd.DataFrame, a: pd.Series, b: pd.Series) -> bool:
    levels = [set(bins.loc[overlapping(bins, r), "segment_log2"].round(6)) for r in (a, b)]
    return bool(levels[0] & levels[1])


def rescored(run: Path, rule: str) -> pd.DataFrame:
    cells = pd.read_csv(run / "cells.tsv", sep="\t")
    cells = cells[cells["type"].isin(["ctc", "wbc"]) & cells["qc_pass"] & (cells["reads_human"] >= MIN_READS)]
    rows = []
    for cell in cells.itertuples():
        where = run / f"seed{cell.seed}" / "results" / "copy_number" / cell.sample
        genes = pd.read_csv(where / "genes.tsv", sep="\t").set_index("gene")
        bins = pd.read_csv(where / "bins.tsv", sep="\t", dtype={"chrom": str})
        erbb2, ref = genes.loc["ERBB2"], genes.loc["chr17_ref"]
        touched = shares_segment(bins, erbb2, ref) and (rule == "shares" or erbb2["source"] == "window")
        own = own_bins_copy_number(bins, ref)
        ref_cn = max(1, round(own)) if touched and np.isfinite(own) else ref["cn"]
        rows.append({"true_cn": cell.true_erbb2_cn, "truth": cell.true_her2, "touched": touched,
                     "before": her2_call(float(erbb2["cn"]), float(ref["cn"])).status,
                     "after": her2_call(float(erbb2["cn"]), float(ref_cn)).status})
    return pd.DataFrame(rows)


def summary(frame: pd.DataFrame) -> dict[str, str]:
    out = {}
    for level in sorted(frame.loc[frame["truth"] == "positive", "true_cn"].unique()):
        at = frame[frame["true_cn"] == level]
        out[f"sens. CN {level}"] = (f"{(at['before'] == 'positive').sum()} -> "
                                    f"{(at['after'] == 'positive').sum()} / {len(at)}")
    negative = frame[frame["truth"] == "negative"]
    out["specificity"] = (f"{(negative['before'] != 'positive').sum()} -> "
                          f"{(negative['after'] != 'positive').sum()} / {len(negative)}")
    out["cells touched"] = str(int(frame["touched"].sum()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", type=Path, nargs="+")
    args = parser.parse_args()
    for run in args.runs:
        for rule in RULES:
            print(run, rule, summary(rescored(run, rule)))


if __name__ == "__main__":
    main()
