"""How well a cell's ERBB2 detection limit (`erbb2_detectable_cn`) predicts
what the workflow misses, on a finished accuracy grid.

    .venv/bin/python benchmarks/accuracy.py --outdir /tmp/acc_b500 --grid bins500
    .venv/bin/python benchmarks/detection_limit.py /tmp/acc_b500 [--min-reads 500000]

Per kit, over QC-passing, non-failed cells at >= --min-reads (human-equivalent):
the limits of the CTCs without an amplification (their chr17 background is
the amplified CTCs', so their limit is what an amplicon there would have had
to reach), and from them the predicted sensitivity at each simulated ERBB2
level (the share of those limits at or below it) beside the sensitivity the
amplified CTCs show. The limit is only worth reading if the two agree.
(Amplified cells called equivocal carry a limit too, but theirs is measured
from the diluted gain already in their profile, so it is not compared.)
Beside them, the EGFR limits (`egfr_detectable_cn`) of the cells called not
EGFR-amplified, CTCs and WBCs (the `limits_*` grids plant EGFR amplicons;
`benchmarks/copy_number_targets.py` sets both limits against amplified cells
directly).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

LEVELS = (6, 10)


def limits(values: pd.Series) -> pd.Series:
    """`erbb2_detectable_cn` as numbers: `>N` (nothing up to N) as infinity."""
    text = values.fillna("").astype(str)
    return pd.to_numeric(text.where(~text.str.startswith(">"), "inf"), errors="coerce")


def spread(limit: pd.Series) -> str:
    """Median (IQR) of limits, `inf` for none up to the search's end."""
    if not len(limit):
        return "n/a"
    return f"{np.median(limit):g} ({np.quantile(limit, 0.25):g}-{np.quantile(limit, 0.75):g})"


def kit_row(cells: pd.DataFrame) -> dict[str, object]:
    ctc = cells["type"] == "ctc"
    background = cells[ctc & ~cells["true_positive_her2"]]
    limit = limits(background["erbb2_detectable_cn"]).dropna()
    row: dict[str, object] = {"negative CTCs": len(limit), "limit median (IQR)": spread(limit)}
    for level in LEVELS:
        amplified = cells[ctc & (cells["true_erbb2_cn"] == level)]
        observed = int(amplified["called_positive_her2"].sum())
        predicted = float((limit <= level).mean()) if len(limit) else float("nan")
        row[f"CN {level}: predicted / observed sens."] = (
            f"{predicted:.2f} / {observed / len(amplified):.2f} ({observed}/{len(amplified)})"
            if len(amplified) else "n/a")
    if "egfr_detectable_cn" in cells:
        egfr = limits(cells["egfr_detectable_cn"]).dropna()
        row["cells not EGFR-amplified"] = len(egfr)
        row["EGFR limit median (IQR)"] = spread(egfr)
    return row


def detection_table(cells: pd.DataFrame, min_reads: int) -> pd.DataFrame:
    scored = cells[cells["type"].isin(["ctc", "wbc"]) & ~cells["failed"] & cells["qc_pass"]
                   & (cells["reads_human"] >= min_reads)]
    rows = [{"kit": kit, **kit_row(group)} for kit, group in scored.groupby("kit", sort=False)]
    rows.append({"kit": "all", **kit_row(scored)})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", type=Path, help="a finished benchmarks/accuracy.py run (its cells.tsv)")
    parser.add_argument("--min-reads", type=int, default=500_000)
    args = parser.parse_args()
    cells = pd.read_csv(args.outdir / "cells.tsv", sep="\t",
                        dtype={"erbb2_detectable_cn": str, "egfr_detectable_cn": str})
    if "erbb2_detectable_cn" not in cells:
        raise SystemExit(f"{args.outdir}/cells.tsv has no erbb2_detectable_cn: rerun the call step "
                         "with the current workflow, then benchmarks/accuracy.py --score-only")
    print(detection_table(cells, args.min_reads).to_markdown(index=False))


if __name__ == "__main__":
    main()
