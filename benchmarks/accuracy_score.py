"""Scoring the workflow's copy-number calls against the simulator's truth.

Inputs are the workflow's own outputs: `results/copy_number/summary.tsv`, or
the per-sample `status.tsv` files when a job failed and the summary was not
written; a sample without either counts as not passing QC. Truth is
`truth/samples.tsv` (failed cells) and the ERBB2 rows of `truth/genes.tsv`.

HER2 is scored as a binary call, positive against anything else (negative,
equivocal), since positive is what selects a patient for anti-HER2 therapy.

Cells failing QC have no HER2 call. To see what QC costs, the "ignoring QC"
figures apply the workflow's own HER2 rule (ctc_profiler.core.her2_egfr_rules) to the copy
numbers the workflow reports for every cell, QC or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ctc_profiler.core.her2_egfr_rules import her2_call

CELL_TYPES = ("ctc", "wbc")
NOT_AVAILABLE = "not available"  # features the workflow does not call yet


def read_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)


def load_truth(cohort_dir: Path) -> pd.DataFrame:
    """One row per sample: type, clone, failed, true ERBB2 copy number and HER2
    status, true EGFR copy number and amplification."""
    samples = read_table(cohort_dir / "truth" / "samples.tsv")
    genes = read_table(cohort_dir / "truth" / "genes.tsv")
    erbb2 = genes.loc[genes["gene"] == "ERBB2", ["sample", "cn", "her2_status", "egfr_cn", "egfr_amplified"]]
    erbb2 = erbb2.rename(columns={"cn": "true_erbb2_cn", "her2_status": "true_her2", "egfr_cn": "true_egfr_cn",
                                  "egfr_amplified": "true_egfr_amplified"})
    truth = samples[["patient", "sample", "type", "clone", "failed", "failure"]].merge(
        erbb2, on="sample", how="left", validate="one_to_one"
    )
    truth["true_egfr_cn"] = pd.to_numeric(truth["true_egfr_cn"], errors="coerce")
    truth["true_egfr_amplified"] = truth["true_egfr_amplified"].str.lower() == "true"
    truth["failed"] = truth["failed"] == "true"
    truth["true_erbb2_cn"] = truth["true_erbb2_cn"].astype(int)
    return truth


def load_calls(workdir: Path, samples: list[str]) -> pd.DataFrame:
    """The workflow's status row of each sample that has one."""
    summary = workdir / "results" / "copy_number" / "summary.tsv"
    if summary.is_file():
        return read_table(summary)
    tables = [
        read_table(path)
        for sample in samples
        if (
            path := workdir / "results" / "copy_number" / sample / "status.tsv"
        ).is_file()
    ]
    return pd.concat(tables) if tables else pd.DataFrame(columns=["sample"])


def _number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce")


def score_cells(truth: pd.DataFrame, calls: pd.DataFrame) -> pd.DataFrame:
    """Truth and call side by side, one row per sample."""
    keep = [
        "sample", "qc_pass", "cn_qc", "qc_reason", "her2_status", "erbb2_cn", "chr17_ref_cn",
        "ploidy", "median_reads_per_bin", "mapd", "gini", "egfr_cn", "egfr_amplified", "erbb2_z", "egfr_z",
        "erbb2_detectable_cn", "egfr_detectable_cn",
    ]  # fmt: skip
    present = calls[[c for c in keep if c in calls.columns]]
    cells = truth.merge(present, on="sample", how="left", validate="one_to_one")
    cells["called"] = cells["qc_pass"].notna()
    cells["qc_pass"] = cells["qc_pass"].fillna("False").str.lower() == "true"
    cells["her2_status"] = cells["her2_status"].fillna("no_output")
    cells["qc_reason"] = cells["qc_reason"].fillna("no output from the workflow")
    for column in (
        "erbb2_cn",
        "chr17_ref_cn",
        "ploidy",
        "median_reads_per_bin",
        "mapd",
        "gini",
    ):
        cells[column] = _number(cells.get(column, pd.Series(np.nan, index=cells.index)))
    cells["true_positive_her2"] = cells["true_her2"] == "positive"
    cells["called_positive_her2"] = cells["her2_status"] == "positive"
    cells["positive_ignoring_qc"] = [
        her2_call(erbb2, chr17).status == "positive"
        for erbb2, chr17 in zip(cells["erbb2_cn"], cells["chr17_ref_cn"])
    ]
    cells["cn_error"] = cells["erbb2_cn"] - cells["true_erbb2_cn"]
    return cells


@dataclass(frozen=True)
class Fraction:
    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else float("nan")

    def __str__(self) -> str:
        if not self.total:
            return "n/a (0 cells)"
        return f"{self.value:.2f} ({self.hits}/{self.total})"


def fraction(mask: pd.Series, within: pd.Series) -> Fraction:
    return Fraction(int((mask & within).sum()), int(within.sum()))


def _test_name(clause: str) -> str:
    """The QC test a reason names: its words before the first number."""
    words = []
    for word in clause.split():
        try:
            float(word)
            break
        except ValueError:
            words.append(word)
    return " ".join(words)


def qc_failures(reasons: pd.Series) -> str:
    """How many failing cells failed each QC test, most frequent first."""
    tests = pd.Series(
        [_test_name(c) for r in reasons if r for c in r.split(";") if c.strip()],
        dtype=str,
    )
    counts = tests.value_counts()
    return ", ".join(f"{name} ({n})" for name, n in counts.items())


def healthy_cells(cells: pd.DataFrame) -> pd.Series:
    """Single cells (CTCs and WBCs) the simulator did not make fail."""
    return cells["type"].isin(CELL_TYPES) & ~cells["failed"]


def amplified_cells(cells: pd.DataFrame, erbb2_cn: int) -> pd.Series:
    """Healthy HER2-positive CTCs whose ERBB2 has this copy number."""
    return (
        healthy_cells(cells)
        & (cells["type"] == "ctc")
        & (cells["true_erbb2_cn"] == erbb2_cn)
        & cells["true_positive_her2"]
    )


def point_metrics(cells: pd.DataFrame, erbb2_cn: int) -> dict[str, object]:
    """Figures of one ERBB2 level within one cohort's cells.

    Amplified cells: CTCs at this level; negative cells: every HER2-negative
    single cell (CTCs and WBCs), shared by the cohort's levels."""
    single = cells["type"].isin(CELL_TYPES)
    amplified = amplified_cells(cells, erbb2_cn)
    negative = healthy_cells(cells) & ~cells["true_positive_her2"]
    scored = amplified | negative
    passing = cells["qc_pass"]
    within_one = cells["cn_error"].abs() <= 1
    failed = single & cells["failed"]
    primary = cells["type"] == "primary"
    return {
        "amplified_cells": int(amplified.sum()),
        "negative_cells": int(negative.sum()),
        "qc_pass": fraction(passing, scored),
        "sensitivity": fraction(cells["called_positive_her2"], amplified & passing),
        "specificity": fraction(~cells["called_positive_her2"], negative & passing),
        "erbb2_cn_within_1": fraction(within_one, scored & passing),
        "amplified_cn_within_1": fraction(within_one, amplified & passing),
        "sensitivity_ignoring_qc": fraction(
            cells["positive_ignoring_qc"], amplified & cells["called"]
        ),
        "specificity_ignoring_qc": fraction(
            ~cells["positive_ignoring_qc"], negative & cells["called"]
        ),
        "cn_within_1_ignoring_qc": fraction(within_one, scored & cells["called"]),
        "equivocal_amplified": fraction(
            cells["her2_status"] == "equivocal", amplified & passing
        ),
        "failed_cells_rejected": fraction(~passing, failed),
        "primary_her2_correct": fraction(
            cells["her2_status"] == cells["true_her2"], primary
        ),
        "median_reads_per_bin": float(
            cells.loc[scored, "median_reads_per_bin"].median()
        ),
        "median_mapd": float(cells.loc[scored, "mapd"].median()),
        "median_gini": float(cells.loc[scored, "gini"].median()),
        "qc_failures": qc_failures(cells.loc[scored & ~passing, "qc_reason"]),
        "egfr_hotspot_detection": NOT_AVAILABLE,
        "discordance_flags": NOT_AVAILABLE,
    }


def pooled_metrics(cells: pd.DataFrame, levels: tuple[int, ...]) -> dict[str, object]:
    """Figures over many cohorts' cells, each cell counted once (the grid
    points count every negative cell once per ERBB2 level)."""
    single = cells["type"].isin(CELL_TYPES)
    healthy = healthy_cells(cells)
    negative = healthy & ~cells["true_positive_her2"]
    passing = cells["qc_pass"]
    positive = cells["called_positive_her2"]
    row: dict[str, object] = {"qc_pass": fraction(passing, healthy),
                              "median_mapd": round(float(cells.loc[healthy, "mapd"].median()), 3)}
    for level in levels:
        row[f"sensitivity_cn{level}"] = fraction(positive, amplified_cells(cells, level) & passing)
    row["specificity"] = fraction(~positive, negative & passing)
    row["erbb2_cn_within_1"] = fraction(cells["cn_error"].abs() <= 1, healthy & passing)
    row["primary_her2_correct"] = fraction(cells["her2_status"] == cells["true_her2"],
                                           cells["type"] == "primary")
    row["failed_cells_rejected"] = fraction(~passing, single & cells["failed"])
    return row


def pooled_table(cells: pd.DataFrame, levels: tuple[int, ...], min_reads: int) -> pd.DataFrame:
    """`pooled_metrics` per kit and over all kits, at `min_reads` (human-equivalent) and more."""
    deep = cells[cells["reads_human"] >= min_reads]
    rows = [{"kit": kit, **pooled_metrics(group, levels)} for kit, group in deep.groupby("kit", sort=False)]
    rows.append({"kit": "all", **pooled_metrics(deep, levels)})
    return pd.DataFrame(rows).astype({c: str for c in rows[0] if c not in ("kit", "median_mapd")})
