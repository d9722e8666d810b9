"""The report's first lines: one verdict per patient, above everything else.

Each line answers what a reader opens the report for: HER2 gain in the CTCs
of the patient (with the cells and "k of n CTCs with a HER2 call"), EGFR mutations
gained or lost (which, in which cells), EGFR amplification, and the CTCs that
give no answer (failed QC, or indeterminate) and why. The lines go into the
MultiQC `report_comment`, which the report shows under its title.
"""

from __future__ import annotations

import html

import pandas as pd

from ctc_profiler.core.words import (
    CN_QC_CALLED,
    EQUIVOCAL,
    INDETERMINATE,
    NEGATIVE,
    NORMAL_TYPES,
    NOT_ASSESSABLE,
    POSITIVE,
    PRIMARY,
)
from ctc_profiler.status.patients import her2_indeterminate_reason, split_strangers

HER2_ANSWER = {"true": "yes", "false": "no", NOT_ASSESSABLE: "not assessable"}
CALLED = (POSITIVE, NEGATIVE, EQUIVOCAL)


def _e(value: object) -> str:
    return html.escape(str(value), quote=False)


def _cells_by_mutation(calls: pd.DataFrame, direction: str) -> str:
    """'L858R in P1_CTC03, P1_CTC04; T790M in P1_CTC05' for one direction."""
    hits = calls[(calls["call"] == direction) & calls["feature"].str.startswith("EGFR:")]
    parts = [f"{_e(feature.split(':', 1)[1])} in {_e(', '.join(sorted(group['ctc'])))}"
             for feature, group in hits.groupby("feature")]
    return "; ".join(parts) if parts else "none"


def _her2(patient: pd.Series, passing: pd.DataFrame) -> str:
    flag = str(patient["her2_gain_in_ctcs"])
    answer = HER2_ANSWER.get(flag, flag)
    called = passing[passing["her2_status"].isin(CALLED)]
    positive = called[called["her2_status"] == POSITIVE]
    count = f"{len(positive)} of {len(called)} CTCs with a HER2 call HER2-positive"
    names = f" ({_e(', '.join(positive['sample']))})" if len(positive) else ""
    primary = _e(patient["primary_her2_status"])
    return f"HER2 gain in CTCs: <b>{_e(answer)}</b>: {count}{names}; primary HER2 {primary}"


def _no_answer(ctcs: pd.DataFrame) -> str:
    """The CTCs that give no HER2 answer, and why."""
    parts = []
    for _, row in ctcs.iterrows():
        if row["cn_qc"] not in CN_QC_CALLED:
            reason = row["qc_reason"] if isinstance(row["qc_reason"], str) and row["qc_reason"] else "no reason given"
            parts.append(f"{_e(row['sample'])} failed QC ({_e(reason)})")
        elif row["her2_status"] == INDETERMINATE:
            parts.append(f"{_e(row['sample'])} HER2 indeterminate ({_e(her2_indeterminate_reason(row))})")
    return "; ".join(parts)


def _missing(mine: pd.DataFrame, answering: pd.DataFrame) -> list[str]:
    """What the patient lacks for a full answer, in words."""
    missing = []
    if not (mine["type"] == PRIMARY).any():
        missing.append("no primary tumour sample, so no discordance (CTC-only results)")
    if not mine["type"].isin(NORMAL_TYPES).any():
        missing.append("no WBC or normal control, so each cell's copy number is to itself and its germline "
                       "unchecked")
    if not (mine["type"] == "ctc").any():
        missing.append("no CTC in the sample sheet")
    elif not answering["her2_status"].isin(CALLED).any():
        missing.append("no CTC gives a HER2 call")
    return missing


def _her2_clones(clones: pd.DataFrame | None, patient: str) -> str:
    """The patient's HER2-positive clones in words, '' for none."""
    if clones is None or clones.empty:
        return ""
    mine = clones[(clones["patient"].astype(str) == patient) & (clones["her2_status"] == POSITIVE)]
    return "; ".join(f"HER2-positive clone {r['clone']} ({r['cells']} cells: {r['members']}; {r['relation']})"
                     for _, r in mine.iterrows())


def patient_verdict(patient: pd.Series, status: pd.DataFrame, discordance: pd.DataFrame,
                    clones: pd.DataFrame | None = None) -> str:
    """One patient's verdict as HTML, every value from the tables escaped."""
    everyone = status[status["patient"] == patient["patient"]]
    mine, strangers = split_strangers(everyone)  # as patients.tsv counts them
    ctcs = mine[mine["type"] == "ctc"]
    answering = ctcs[ctcs["cn_qc"].isin(CN_QC_CALLED)]  # passing or noisy
    calls = discordance[(discordance["patient"] == patient["patient"]) & discordance["ctc_cn_qc"].isin(CN_QC_CALLED)
                        & ~discordance["ctc"].isin(strangers["sample"])]
    amplified = answering[answering["egfr_amplified"].astype(str) == "true"]
    parts = [
        _her2(patient, answering),
        f"EGFR mutations gained: {_cells_by_mutation(calls, 'gain')}",
        f"lost: {_cells_by_mutation(calls, 'loss')}",
        "EGFR amplified in " + (_e(", ".join(amplified["sample"])) if len(amplified) else "no CTC with a call"),
    ]
    if her2_clones := _her2_clones(clones, str(patient["patient"])):
        parts.append(_e(her2_clones))
    if no_answer := _no_answer(ctcs):
        parts.append(f"no answer from {no_answer}")
    parts += [_e(m) for m in _missing(mine, answering)]
    parts += [f"<b>{_e(row['sample'])} left out: {_e(row['identity'])}</b>" for _, row in strangers.iterrows()]
    return f'<span class="ctc-verdict"><b>{_e(patient["patient"])}</b>: {" · ".join(parts)}</span>'


def verdict_comment(patients: pd.DataFrame, status: pd.DataFrame, discordance: pd.DataFrame,
                    clones: pd.DataFrame | None = None, warnings: list[str] | None = None) -> str:
    """Every patient's verdict, one per line, for MultiQC's `report_comment`."""
    if patients.empty:
        return "No patient could be assessed."
    lines = [f"<b>Warning: {_e(w)}</b>" for w in warnings or []]
    return "<br>".join(lines + [patient_verdict(row, status, discordance, clones) for _, row in patients.iterrows()])
