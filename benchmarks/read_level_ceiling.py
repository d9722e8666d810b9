"""How well the reads themselves tell ERBB2's copy number: an oracle that
knows each cell's true copy-number segments, set against the workflow.

    .venv/bin/python benchmarks/read_level_ceiling.py RUN [RUN ...]

RUN is an --outdir of benchmarks/accuracy.py (its cells.tsv, each seed's
truth and each cell's counts). Per QC-passing single cell at 0.5 M reads and
more, the oracle takes the reads per base of the ERBB2 tiles that lie wholly
inside the truth segment holding ERBB2, over the reads per base of the usable
autosomal bins wholly inside truth segments at copy number 2, times 2:

  raw   the cell's reads alone (GC bias and all)
  wbc   the same ratio of the patient's WBCs (same kit) divided out, so bias
        the cells share cancels; a WBC is divided by the other
  gc    the workflow's own ratio (its bins.tsv: normalised and GC-corrected
        as called), averaged in log2 over the bins wholly inside the truth
        segment holding ERBB2 against the diploid ones

No segmentation, no ploidy fit and no rounding before the end: what is left
is the noise and bias of the reads (and, for `gc`, of the normalisation).
Prints, per kit, the fraction of cells whose rounded oracle ERBB2 lies
within +-1 of the truth, and the fraction of amplified cells at each level
the oracle calls HER2-positive over the cell's true chr17 reference (an
exact reference). The workflow's own figures (cells.tsv) are beside them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow" / "scripts"))
from ctc_profiler.copy_number.bins import is_sex_chromosome, read_bed  # noqa: E402
from ctc_profiler.copy_number.profile import read_counts  # noqa: E402
from ctc_profiler.core.her2_egfr_rules import her2_call  # noqa: E402

MIN_READS = 500_000
CELL_TYPES = ("ctc", "wbc")
ORACLES = ("raw", "wbc", "gc")


def inside(rows: pd.DataFrame, segments: pd.DataFrame) -> np.ndarray:
    """Rows wholly inside one of the segments (same chromosome)."""
    keep = np.zeros(len(rows), dtype=bool)
    for seg in segments.itertuples():
        keep |= ((rows["chrom"] == seg.chrom) & (rows["start"] >= seg.start) & (rows["end"] <= seg.end)).to_numpy()
    return keep


def density(rows: pd.DataFrame, mask: np.ndarray) -> float:
    length = float((rows.loc[mask, "end"] - rows.loc[mask, "start"]).sum())
    return float(rows.loc[mask, "reads"].sum()) / length if length > 0 else float("nan")


def truth_parts(truth: pd.DataFrame, erbb2_centre: tuple[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The truth segment holding ERBB2, and the diploid autosomal ones."""
    chrom, centre = erbb2_centre
    holding = truth[(truth["chrom"] == chrom) & (truth["start"] <= centre) & (truth["end"] > centre)]
    diploid = truth[(truth["cn"] == 2) & ~truth["chrom"].map(is_sex_chromosome)]
    return holding, diploid


def amplicon_over_diploid(cell_dir: Path, bins: pd.DataFrame, tiles: pd.DataFrame,
                          truth: pd.DataFrame, erbb2_centre: tuple[str, int]) -> float:
    """Reads per base over the truth segment holding ERBB2 (its tiles) against
    the diploid autosomal truth segments (the usable bins)."""
    counts = bins.merge(read_counts(cell_dir / "counts.tsv"), on=["chrom", "start", "end"])
    window = tiles.merge(read_counts(cell_dir / "window_counts.tsv"), on=["chrom", "start", "end"])
    holding, diploid = truth_parts(truth, erbb2_centre)
    amp = inside(window, holding) & (window["window"] == "ERBB2").to_numpy()
    base = inside(counts, diploid) & counts["use"].to_numpy(dtype=bool)
    return density(window, amp) / density(counts, base)


def called_ratio(cell_dir: Path, truth: pd.DataFrame, erbb2_centre: tuple[str, int]) -> float:
    """The called bins' log2 ratio over the truth segment holding ERBB2
    against the diploid ones (NaN when no usable bin lies wholly inside)."""
    bins = pd.read_csv(cell_dir / "bins.tsv", sep="\t", dtype={"chrom": str})
    holding, diploid = truth_parts(truth, erbb2_centre)
    usable = bins["use"].to_numpy(dtype=bool)
    log2 = bins["log2"].to_numpy(dtype=float)
    amp, base = inside(bins, holding) & usable, inside(bins, diploid) & usable
    if not amp.any() or not base.any():
        return float("nan")
    return float(2 ** (log2[amp].mean() - log2[base].mean()))


def oracle_table(run: Path) -> pd.DataFrame:
    cells = pd.read_csv(run / "cells.tsv", sep="\t")
    rows = []
    for seed, seed_cells in cells.groupby("seed"):
        root = run / f"seed{seed}"
        results = root / "results" / "copy_number"
        bins = pd.read_csv(results / "bins" / "genome.tsv", sep="\t", dtype={"chrom": str})
        tiles = pd.read_csv(results / "bins" / "gene_windows.tsv", sep="\t", dtype={"chrom": str})
        reference = next(root.glob("cohorts/*/reference"))
        genes = read_bed(reference / "genes.bed")
        erbb2 = genes[genes["name"] == "ERBB2"].iloc[0]
        centre = (str(erbb2["chrom"]), (int(erbb2["start"]) + int(erbb2["end"])) // 2)
        truth = pd.concat([pd.read_csv(p, sep="\t", dtype={"chrom": str})
                           for p in root.glob("cohorts/*/truth/copy_number.tsv")])
        by_sample = dict(tuple(truth.groupby("sample")))
        true_genes = pd.concat([pd.read_csv(p, sep="\t") for p in root.glob("cohorts/*/truth/genes.tsv")])
        chr17_ref = true_genes[true_genes["gene"] == "ERBB2"].set_index("sample")["chr17_ref_cn"]
        # the cells scored and their WBCs (which share their cohort's depth)
        counted = seed_cells["type"].isin(CELL_TYPES) & ~seed_cells["failed"] & (seed_cells["reads_human"] >= MIN_READS)
        raw = {s: amplicon_over_diploid(results / s, bins, tiles, by_sample[s], centre)
               for s in seed_cells.loc[counted, "sample"]}
        for cell in seed_cells.itertuples():
            if cell.type not in CELL_TYPES or not cell.qc_pass or cell.failed or cell.reads_human < MIN_READS:
                continue
            wbcs = [w for w in raw if w.startswith(f"{cell.patient}_WBC") and w != cell.sample]
            wbc = float(np.mean([raw[w] for w in wbcs])) if wbcs else float("nan")
            rows.append({"kit": cell.kit, "sample": cell.sample, "true_cn": cell.true_erbb2_cn,
                         "true_her2": cell.true_her2, "true_chr17_ref": float(chr17_ref[cell.sample]),
                         "workflow_cn": cell.erbb2_cn, "workflow_positive": cell.her2_status == "positive",
                         "raw": 2 * raw[cell.sample], "wbc": 2 * raw[cell.sample] / wbc,
                         "gc": 2 * called_ratio(results / cell.sample, by_sample[cell.sample], centre)})
    return pd.DataFrame(rows)


def fraction(hits: pd.Series) -> str:
    return f"{int(hits.sum())}/{len(hits)}"


def summary(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for kit, part in [*table.groupby("kit", sort=False), ("all", table)]:
        row = {"kit": kit}
        for name in ("workflow_cn", *ORACLES):
            row[f"±1 {name}"] = fraction((np.round(part[name]) - part["true_cn"]).abs() <= 1)
        for level in sorted(part.loc[part["true_her2"] == "positive", "true_cn"].unique()):
            at = part[(part["true_her2"] == "positive") & (part["true_cn"] == level)]
            row[f"CN {level} workflow"] = fraction(at["workflow_positive"])
            for name in ORACLES:
                row[f"CN {level} {name}"] = fraction(pd.Series(
                    [her2_call(float(np.round(cn)), ref).status == "positive"
                     for cn, ref in zip(at[name], at["true_chr17_ref"])], dtype=bool))
        rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", type=Path, nargs="+")
    args = parser.parse_args()
    for run in args.runs:
        print(f"\n{run}")
        print(summary(oracle_table(run)).to_markdown(index=False))


if __name__ == "__main__":
    main()
