"""The copy-number targets per kit, and whether each `negative` earns its
name, on finished `limits_*` accuracy runs.

    .venv/bin/python benchmarks/accuracy.py --outdir /tmp/lim_flat17 --grid limits_flat17 --seeds 1 2
    .venv/bin/python benchmarks/accuracy.py --outdir /tmp/lim_17q --grid limits_17q --seeds 1 2
    .venv/bin/python benchmarks/copy_number_targets.py --flat17 /tmp/lim_flat17 --gain17q /tmp/lim_17q

Cells are the single cells the simulator did not make fail, at >= --min-reads
(human-equivalent). A cell *answers* when its copy-number QC is `pass` or
`noisy` (`cn_qc`) and its call is a call (positive, negative or equivocal;
EGFR true or false): `indeterminate` and `not_assessable` are no answer.

- flat17 (chr17 at 2 copies): HER2 sensitivity at ERBB2 >= 6 and specificity
  in QC-passing cells, ERBB2 within +-1 of the truth in QC-passing cells, and
  the same over every answering cell (noisy ones included).
- Negatives against their own limits, both layouts, ERBB2 and EGFR: of the
  truly amplified CTCs that answered, those called negative although their
  amplicon was at or above the detection limit the cell stated (a negative
  that broke its own promise), and those called negative at all.
- 17q gain (chr17 reference at 3 copies): sensitivity at ratio >= 2.5 (8 and
  12 copies); at ratio 2.0 (6 copies) the number of `negative` calls, which
  must be 0; the cells at ratio 1 (ERBB2 and reference both at 3, a
  polysomy) called positive, which must be 0.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from detection_limit import limits

ANSWERS_HER2 = ("positive", "negative", "equivocal")
ANSWERED_QC = ("pass", "noisy")


def read_cells(outdir: Path, min_reads: int) -> pd.DataFrame:
    cells = pd.read_csv(outdir / "cells.tsv", sep="\t", dtype={"erbb2_detectable_cn": str, "egfr_detectable_cn": str,
                                                                "egfr_amplified": str, "cn_qc": str})
    if "cn_qc" not in cells:
        raise SystemExit(f"{outdir}/cells.tsv has no cn_qc: rerun benchmarks/accuracy.py --score-only "
                         "on a run of the current workflow")
    cells = cells[cells["type"].isin(["ctc", "wbc"]) & ~cells["failed"] & (cells["reads_human"] >= min_reads)]
    cells = cells.copy()
    cells["egfr_amplified"] = cells["egfr_amplified"].fillna("").str.lower()
    cells["erbb2_limit"] = limits(cells["erbb2_detectable_cn"])
    cells["egfr_limit"] = limits(cells["egfr_detectable_cn"])
    return cells


def share(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "n/a (0)"


def her2_answers(cells: pd.DataFrame) -> pd.Series:
    return cells["cn_qc"].isin(ANSWERED_QC) & cells["her2_status"].isin(ANSWERS_HER2)


def egfr_answers(cells: pd.DataFrame) -> pd.Series:
    return cells["cn_qc"].isin(ANSWERED_QC) & cells["egfr_amplified"].isin(["true", "false"])


def broken_negatives(cells: pd.DataFrame) -> dict[str, str]:
    """Amplified CTCs called negative, at all and at or above their own limit."""
    ctc = cells["type"] == "ctc"
    her2 = cells[ctc & (cells["true_her2"] == "positive") & her2_answers(cells)]
    her2_negative = her2["her2_status"] == "negative"
    egfr = cells[ctc & cells["true_egfr_amplified"] & egfr_answers(cells)]
    egfr_negative = egfr["egfr_amplified"] == "false"
    return {
        "HER2+ CTCs answering": str(len(her2)),
        "HER2: negative at/above own limit": share(int((her2_negative & (her2["erbb2_limit"] <= her2["true_erbb2_cn"]))
                                                       .sum()), len(her2)),
        "HER2: negative at all": share(int(her2_negative.sum()), len(her2)),
        "EGFR-amp CTCs answering": str(len(egfr)),
        "EGFR: not amplified at/above own limit": share(
            int((egfr_negative & (egfr["egfr_limit"] <= egfr["true_egfr_cn"])).sum()), len(egfr)),
        "EGFR: not amplified at all": share(int(egfr_negative.sum()), len(egfr)),
    }


def flat17_row(cells: pd.DataFrame) -> dict[str, str]:
    passing = cells["cn_qc"] == "pass"
    answering = her2_answers(cells)
    amplified = (cells["type"] == "ctc") & (cells["true_her2"] == "positive") & (cells["true_erbb2_cn"] >= 6)
    negative = cells["true_her2"] != "positive"
    positive_call = cells["her2_status"] == "positive"
    within = (cells["erbb2_cn"] - cells["true_erbb2_cn"]).abs() <= 1
    egfr_amp = (cells["type"] == "ctc") & cells["true_egfr_amplified"]
    egfr_call = cells["egfr_amplified"] == "true"
    return {
        "cells": str(len(cells)),
        "QC pass": share(int(passing.sum()), len(cells)),
        "noisy": share(int((cells["cn_qc"] == "noisy").sum()), len(cells)),
        "HER2 answered": share(int(answering.sum()), len(cells)),
        "sens. CN>=6 (pass)": share(int((positive_call & amplified & passing).sum()), int((amplified & passing).sum())),
        "spec. (pass)": share(int((~positive_call & negative & passing).sum()), int((negative & passing).sum())),
        "ERBB2 +-1 (pass)": share(int((within & passing).sum()), int(passing.sum())),
        "sens. CN>=6 (answering)": share(int((positive_call & amplified & answering).sum()),
                                          int((amplified & answering).sum())),
        "spec. (answering)": share(int((~positive_call & negative & answering).sum()),
                                   int((negative & answering).sum())),
        "EGFR sens. (answering)": share(int((egfr_call & egfr_amp & egfr_answers(cells)).sum()),
                                        int((egfr_amp & egfr_answers(cells)).sum())),
        "EGFR spec. (answering)": share(int((~egfr_call & ~cells["true_egfr_amplified"] & egfr_answers(cells)).sum()),
                                        int((~cells["true_egfr_amplified"] & egfr_answers(cells)).sum())),
    }


def gain17q_row(cells: pd.DataFrame) -> dict[str, str]:
    passing = cells["cn_qc"] == "pass"
    answering = her2_answers(cells)
    ctc = cells["type"] == "ctc"
    high = ctc & (cells["true_erbb2_cn"] >= 8) & (cells["true_her2"] == "positive")
    at_cutoff = ctc & (cells["true_erbb2_cn"] == 6)
    polysomy = ctc & (cells["true_erbb2_cn"] == 3)
    positive_call = cells["her2_status"] == "positive"
    negative_call = cells["her2_status"] == "negative"
    return {
        "cells": str(len(cells)),
        "QC pass": share(int(passing.sum()), len(cells)),
        "sens. ratio>=2.5 (pass)": share(int((positive_call & high & passing).sum()), int((high & passing).sum())),
        "sens. ratio>=2.5 (answering)": share(int((positive_call & high & answering).sum()),
                                              int((high & answering).sum())),
        "ratio 2.0: negative / answering": f"{int((at_cutoff & answering & negative_call).sum())}"
                                           f" / {int((at_cutoff & answering).sum())}",
        "ratio 2.0: positive / equivocal / indeterminate": " / ".join(
            str(int((at_cutoff & (cells["her2_status"] == s)).sum()))
            for s in ("positive", "equivocal", "indeterminate")),
        "polysomy 3:3 positive / answering": f"{int((polysomy & answering & positive_call).sum())}"
                                             f" / {int((polysomy & answering).sum())}",
    }


def per_kit(cells: pd.DataFrame, row) -> pd.DataFrame:
    rows = [{"kit": kit, **row(group)} for kit, group in cells.groupby("kit", sort=False)]
    not_mda = cells[cells["kit"] != "MDA"]
    rows.append({"kit": "all but MDA", **row(not_mda)})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flat17", type=Path, help="a finished limits_flat17 run")
    parser.add_argument("--gain17q", type=Path, help="a finished limits_17q run")
    parser.add_argument("--min-reads", type=int, default=500_000)
    args = parser.parse_args()
    runs = {name: read_cells(path, args.min_reads) for name, path in
            (("flat17", args.flat17), ("17q gain", args.gain17q)) if path is not None}
    if "flat17" in runs:
        print("## chr17 at 2 copies (limits_flat17)\n")
        print(per_kit(runs["flat17"], flat17_row).to_markdown(index=False))
    if "17q gain" in runs:
        print("\n## 17q gain, chr17 reference at 3 copies (limits_17q)\n")
        print(per_kit(runs["17q gain"], gain17q_row).to_markdown(index=False))
    for name, cells in runs.items():
        print(f"\n## Negatives against their own detection limits ({name})\n")
        print(per_kit(cells, broken_negatives).to_markdown(index=False))
    seeds = sorted({int(s) for cells in runs.values() for s in np.unique(cells["seed"])})
    print(f"\nseeds {', '.join(map(str, seeds))}; cells at >= {args.min_reads:,} reads (human-equivalent)")


if __name__ == "__main__":
    main()
