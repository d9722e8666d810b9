"""The cohort's status table: one row per sample with its QC, HER2 status and
EGFR status (amplification from copy number, mutations from the hotspot
genotypes)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ctc_profiler.core.tables import with_columns
from ctc_profiler.core.words import CN_QC_FAIL, MUTANT, NOT_ASSESSABLE, UNRESOLVED_STATES

STATUS_COLUMNS = [
    "patient", "sample", "type", "wga", "purity", "identity", "qc_pass", "cn_qc", "qc_reason", "reads",
    "median_reads_per_bin", "mapd", "gini", "ado_rate", "reference", "ploidy", "erbb2_cn",
    "erbb2_source", "chr17_ref_cn", "her2_ratio", "her2_group", "her2_status", "erbb2_z", "erbb2_detectable_cn",
    "egfr_cn", "egfr_ratio", "egfr_amplified", "egfr_z", "egfr_detectable_cn", "egfr_mutations",
    "egfr_unresolved_hotspots", "egfr_status",
    "other_mutations",
]
HOTSPOT_COLUMNS = ["sample", "gene", "protein_change", "state"]


def egfr_status(amplified: str, mutations: list[str], unresolved: list[str],
                genotyped: bool) -> str:
    """mutant / amplified / mutant_amplified when an alteration is seen;
    wildtype only when copy number and every EGFR hotspot were assessable and
    clean; not_detected when nothing was seen but dropout or missing coverage
    leaves hotspots open; not_assessable when neither source could be read."""
    is_amplified = amplified == "true"
    if mutations and is_amplified:
        return "mutant_amplified"
    if mutations:
        return "mutant"
    if is_amplified:
        return "amplified"
    if amplified == NOT_ASSESSABLE and not genotyped:
        return NOT_ASSESSABLE
    if amplified == "false" and genotyped and not unresolved:
        return "wildtype"
    return "not_detected"


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if pd.isna(value) else str(value)


def build_status(samples: pd.DataFrame, copy_number: pd.DataFrame,
                 hotspots: pd.DataFrame, cell_metrics: pd.DataFrame,
                 unchecked: Mapping[str, str] | None = None,
                 identity: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every sample of the sheet, in sheet order.

    samples: the sample sheet. copy_number: the copy-number summary (one row per
    sample with a genome-wide or capture library). hotspots: per sample x
    hotspot genotypes (gene, protein_change, state). cell_metrics: sample,
    ado_rate. unchecked: samples left out because a unit failed the FASTQ
    check, with the reason (fastq_verdicts.failure_reasons); each is
    not_assessable with that reason as its qc_reason. identity: sample,
    identity (variants/identity.py); None when the check did not run (the
    column is then blank).
    """
    unchecked = unchecked or {}
    hotspots = with_columns(hotspots, HOTSPOT_COLUMNS)
    cell_metrics = with_columns(cell_metrics, ["sample", "ado_rate"])
    cn = copy_number.set_index("sample") if len(copy_number) else None
    ado = (cell_metrics.set_index("sample")["ado_rate"]
           if len(cell_metrics) else pd.Series(dtype=float))
    verdicts = identity.set_index("sample")["identity"] if identity is not None and len(identity) else {}
    rows = []
    for sample in samples.itertuples(index=False):
        name = sample.sample
        row: dict[str, object] = {
            "patient": sample.patient, "sample": name, "type": sample.type,
            "wga": sample.wga, "purity": getattr(sample, "purity", float("nan")),
        }
        if name in unchecked:
            row.update(qc_pass=False, cn_qc=CN_QC_FAIL, qc_reason=unchecked[name],
                       her2_status=NOT_ASSESSABLE, egfr_amplified=NOT_ASSESSABLE)
        elif cn is not None and name in cn.index:
            found = cn.loc[name]
            for column in STATUS_COLUMNS:
                if column in found.index and column not in row:
                    row[column] = found[column]
            row["qc_pass"] = _text(found["qc_pass"]).lower() == "true"
        else:
            row.update(qc_pass=False, cn_qc=CN_QC_FAIL, qc_reason="no genome-wide or capture library for copy number",
                       her2_status=NOT_ASSESSABLE, egfr_amplified=NOT_ASSESSABLE)
        row["ado_rate"] = ado.get(name, float("nan"))
        row["identity"] = verdicts.get(name, NOT_ASSESSABLE if identity is not None else "")
        mine = hotspots[hotspots["sample"] == name]
        egfr = mine[mine["gene"] == "EGFR"]
        mutations = sorted(egfr.loc[egfr["state"] == MUTANT, "protein_change"].unique())
        unresolved = sorted(egfr.loc[egfr["state"].isin(UNRESOLVED_STATES), "protein_change"].unique())
        genotyped = bool(len(egfr)) and len(unresolved) < len(egfr)
        others = mine[(mine["gene"] != "EGFR") & (mine["state"] == MUTANT)]
        row["egfr_mutations"] = ";".join(mutations)
        row["egfr_unresolved_hotspots"] = ";".join(unresolved)
        row["other_mutations"] = ";".join(
            sorted(f"{g}:{p}" for g, p in zip(others["gene"], others["protein_change"]))
        )
        amplified = _text(row.get("egfr_amplified", NOT_ASSESSABLE)).lower() or NOT_ASSESSABLE
        row["egfr_amplified"] = amplified
        row["egfr_status"] = egfr_status(amplified, mutations, unresolved, genotyped)
        rows.append(row)
    table = pd.DataFrame(rows).reindex(columns=STATUS_COLUMNS)
    table["qc_pass"] = table["qc_pass"].map(_text)
    # a group and a read count are integers; read back from a table with
    # blanks (samples without copy number) they are floats
    for column in ("her2_group", "reads"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("Int64")
    return table
