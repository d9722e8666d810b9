"""HER2 status and ERBB2 copy number of an accuracy-grid run as they would be
for other values of `copy_number.gene_window.min_z`, from the workflow's own
gene tables (window_cn, window_z and the segment's values sit side by side).

    .venv/bin/python benchmarks/accuracy.py --outdir /tmp/focal --grid focal
    PYTHONPATH=workflow/scripts .venv/bin/python benchmarks/gene_windows.py /tmp/focal /tmp/acc

Each OUTDIR is a finished `benchmarks/accuracy.py` run (its cells.tsv and
seed*/results). Scored over QC-passing, non-failed samples: amplified cells
called HER2-positive per true ERBB2 level, samples with a true ERBB2 below 6
called negative and not positive, and ERBB2 within 1 copy of the truth.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd

from ctc_profiler.copy_number_status import gene_cn
from ctc_profiler.her2 import her2_call
from ctc_profiler.window_copy_number import apply_windows

CELL_TYPES = ("ctc", "wbc")


def erbb2_value(genes: pd.DataFrame, min_z: float, is_cell: bool) -> tuple[float, float]:
    """(ERBB2, chr17_ref) copy number as the workflow would report them with
    `min_z`: its own window rule (`apply_windows`) applied again to the
    segment values and window evidence the gene table keeps."""
    segments = genes.assign(cn=genes["segment_cn"], cn_estimate=genes["segment_cn_estimate"])
    segments = segments.drop(columns=["window_cn", "window_z", "source", "segment_cn", "segment_cn_estimate"])
    evidence = genes[["gene", "window_cn", "window_z"]].dropna(subset=["window_cn"])
    called = apply_windows(segments, evidence, min_z)
    return gene_cn(called, "ERBB2", is_cell), gene_cn(called, "chr17_ref", is_cell)


def score(outdir: Path, min_z: float) -> dict:
    cells = pd.read_csv(outdir / "cells.tsv", sep="\t")
    cells = cells[cells["qc_pass"] & ~cells["failed"]]
    rows = []
    for cell in cells.itertuples():
        path = outdir / f"seed{cell.seed}" / "results" / "copy_number" / cell.sample / "genes.tsv"
        genes = pd.read_csv(path, sep="\t")
        erbb2, ref = erbb2_value(genes, min_z, cell.type in CELL_TYPES)
        rows.append((cell.true_erbb2_cn, erbb2, her2_call(erbb2, ref).status))
    scored = pd.DataFrame(rows, columns=["true", "erbb2", "her2"])
    result = {"run": outdir.name, "min_z": min_z}
    for level in sorted(scored.loc[scored["true"] >= 6, "true"].unique()):
        at = scored[scored["true"] == level]
        result[f"positive at CN {level}"] = f"{(at['her2'] == 'positive').sum()}/{len(at)}"
    negative = scored[scored["true"] < 6]
    result["negative called negative"] = f"{(negative['her2'] == 'negative').sum()}/{len(negative)}"
    result["negative not positive"] = f"{(negative['her2'] != 'positive').sum()}/{len(negative)}"
    result["ERBB2 ±1"] = f"{((scored['erbb2'] - scored['true']).abs() <= 1).sum()}/{len(scored)}"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdirs", type=Path, nargs="+", help="benchmarks/accuracy.py output directories")
    parser.add_argument("--min-z", type=float, nargs="+", default=[2.0, 2.5, 3.0, 4.0, math.inf])
    args = parser.parse_args()
    table = pd.DataFrame([score(outdir, z) for outdir in args.outdirs for z in args.min_z])
    print(table.to_markdown(index=False))


if __name__ == "__main__":
    main()
