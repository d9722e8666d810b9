"""One row per sample summarising its copy-number call: QC, ploidy, HER2
(ISH-like ratio and ASCO/CAP group) and EGFR amplification."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from ctc_profiler.copy_number.qc import ProfileQc
from ctc_profiler.core.her2_egfr_rules import egfr_amplified, her2_call
from ctc_profiler.core.words import CELL_TYPES, CN_QC_FAIL, CN_QC_NOISY, CN_QC_PASS, NOT_ASSESSABLE

if TYPE_CHECKING:
    from ctc_profiler.copy_number.profile import Normalisation

STATUS_COLUMNS = [
    "patient", "sample", "type", "wga", "reference", "reference_noise", "self_noise", "qc_pass", "cn_qc", "qc_reason",
    "reads",
    "median_reads_per_bin", "mapd", "gini", "ploidy", "erbb2_cn", "erbb2_source", "chr17_ref_cn",
    "her2_ratio", "her2_group", "her2_status", "erbb2_z", "erbb2_detectable_cn", "egfr_cn", "chr7_ref_cn",
    "egfr_ratio", "egfr_amplified", "egfr_z", "egfr_detectable_cn",
]


def cn_qc(qc: ProfileQc, is_cell: bool) -> str:
    """pass / noisy / fail (core.words): only a single cell can be noisy; a
    bulk sample that fails on noise fails."""
    if qc.qc_pass:
        return CN_QC_PASS
    return CN_QC_NOISY if qc.noisy and is_cell else CN_QC_FAIL


def gene_row(genes: pd.DataFrame, name: str) -> pd.Series | None:
    rows = genes[genes["gene"] == name]
    return None if rows.empty else rows.iloc[0]


def gene_cn(genes: pd.DataFrame, name: str, is_cell: bool) -> float:
    """Integer copy number in a cell; the purity-corrected estimate in bulk."""
    row = gene_row(genes, name)
    return math.nan if row is None else float(row["cn"] if is_cell else row["cn_estimate"])


def gene_source(genes: pd.DataFrame, name: str) -> str:
    """Where a gene's copy number came from: its `segment` or its own `window`."""
    row = gene_row(genes, name)
    return "" if row is None else str(row.get("source", "segment"))


def status_row(sample: dict, reference: str, qc: ProfileQc, ploidy: float,
               genes: pd.DataFrame, egfr_min_fold: float, normalisation: Normalisation | None = None) -> dict:
    """The row; `erbb2_detectable_cn` and `egfr_detectable_cn` are left blank
    for `detection_limit` to fill, `erbb2_z` and `egfr_z` NaN for
    `gain_evidence`. A noisy cell's genes are called as a passing cell's,
    for `assessability` to weigh.
    `reference` names the samples the ratio is to, or `self`."""
    is_cell = sample["type"] in CELL_TYPES
    erbb2, chr17 = gene_cn(genes, "ERBB2", is_cell), gene_cn(genes, "chr17_ref", is_cell)
    egfr, chr7 = gene_cn(genes, "EGFR", is_cell), gene_cn(genes, "chr7_ref", is_cell)
    reasons = [qc.qc_reason] if qc.qc_reason else []
    if math.isnan(erbb2) or math.isnan(chr17):
        reasons.append("no usable bins at ERBB2 or the chr17 reference region")
    elif chr17 <= 0:
        reasons.append("chr17 reference region at copy number 0 (no reads on chr17?)")
    quality = cn_qc(qc, is_cell)
    her2 = her2_call(erbb2, chr17, assessable=quality != CN_QC_FAIL and not math.isnan(erbb2))
    egfr_ok = quality != CN_QC_FAIL and not math.isnan(egfr)
    return {
        "patient": sample["patient"], "sample": sample["sample"], "type": sample["type"],
        "wga": sample["wga"], "reference": reference,
        "reference_noise": round(normalisation.reference_noise, 4) if normalisation else math.nan,
        "self_noise": round(normalisation.self_noise, 4) if normalisation else math.nan,
        "qc_pass": qc.qc_pass, "cn_qc": quality,
        "qc_reason": "; ".join(reasons), "reads": qc.reads,
        "median_reads_per_bin": round(qc.median_reads_per_bin, 1),
        "mapd": round(qc.mapd, 4), "gini": round(qc.gini, 4), "ploidy": round(ploidy, 2),
        "erbb2_cn": round(erbb2, 2), "erbb2_source": gene_source(genes, "ERBB2"),
        "chr17_ref_cn": round(chr17, 2),
        "her2_ratio": round(her2.ratio, 2), "her2_group": her2.group if her2.group else "",
        "her2_status": her2.status, "erbb2_z": math.nan, "erbb2_detectable_cn": "",
        "egfr_cn": round(egfr, 2), "chr7_ref_cn": round(chr7, 2),
        "egfr_ratio": round(egfr / chr7, 2) if chr7 and chr7 > 0 else math.nan,
        "egfr_amplified": egfr_amplified(egfr, ploidy, egfr_min_fold) if egfr_ok else NOT_ASSESSABLE,
        "egfr_z": math.nan, "egfr_detectable_cn": "",
    }
