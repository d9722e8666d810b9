"""One row per patient: how many CTCs were assessable, how many are
HER2-positive, and the flags a clinician-scientist asks about first."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ctc_profiler.core.words import (
    CN_QC_CALLED,
    CN_QC_NOISY,
    CN_QC_PASS,
    EQUIVOCAL,
    INDETERMINATE,
    NEGATIVE,
    NORMAL_TYPES,
    NOT_ASSESSABLE,
    POSITIVE,
    PRIMARY,
    is_mismatch,
)
from ctc_profiler.status.discordance import NO_PURITY_NOTE, purity_unknown

PATIENT_COLUMNS = [
    "patient", "primary", "primary_her2_status", "primary_egfr_mutations", "ctcs",
    "ctcs_qc_pass", "ctcs_noisy", "her2_positive_ctcs", "her2_positive_ctc_names", "her2_indeterminate_ctcs",
    "her2_gain_in_ctcs", "identity_mismatches",
    "egfr_mutation_gained", "egfr_mutations_gained", "egfr_mutation_lost",
    "egfr_mutations_lost", "wbc_controls", "note",
]


# ASCO/CAP groups of a gain: a noisy cell's indeterminate call from one of
# these is a gain within its noise, from the others a negative it cannot vouch for
GAIN_GROUPS = ("1", "3", "4")


def her2_indeterminate_reason(row: pd.Series) -> str:
    """Why a CTC's HER2 is `indeterminate`, in words."""
    group = str(row.get("her2_group", "")).strip().removesuffix(".0")
    if group in GAIN_GROUPS:
        return f"ERBB2 gain at z {row.get('erbb2_z')}, within what the cell's noise makes"
    limit = str(row.get("erbb2_detectable_cn", "") or "").strip()
    if limit.startswith(">"):
        return f"no ERBB2 gain up to {limit[1:]} copies would show"
    if limit and limit != "nan":
        return f"would miss ERBB2 below {limit} copies"
    return "noisy profile without a detection limit"


def her2_gain_flag(primary_her2: str | None, positive_ctcs: int, passing_ctcs: int,
                   min_positive: int) -> str:
    """true when a HER2-negative primary has at least min_positive passing
    HER2-positive CTCs; not_assessable without a negative/positive primary or
    without a passing CTC with a HER2 call (an `indeterminate` cell has none)."""
    if primary_her2 not in (NEGATIVE, POSITIVE) or passing_ctcs == 0:
        return NOT_ASSESSABLE
    return "true" if primary_her2 == NEGATIVE and positive_ctcs >= min_positive else "false"


def mutation_flag(calls: pd.DataFrame, direction: str, min_ctcs: int) -> tuple[str, list[str]]:
    """Whether an EGFR mutation was gained (or lost) in at least min_ctcs CTCs."""
    egfr = calls[calls["feature"].str.startswith("EGFR:")]
    hits = egfr[egfr["call"] == direction]
    counts = hits.groupby("feature")["ctc"].nunique()
    features = sorted(f.split(":", 1)[1] for f, n in counts.items() if n >= min_ctcs)
    if features:
        return "true", features
    if (egfr["call"] != NOT_ASSESSABLE).any():
        return "false", []
    return NOT_ASSESSABLE, []


def unchecked_note(samples: list[str], unchecked: Mapping[str, str]) -> str:
    """The samples of a patient left out for a unit that failed the FASTQ
    check, and why, or '' for none."""
    left_out = [f"{s} ({unchecked[s]})" for s in samples if s in unchecked]
    return f"not assessable: {'; '.join(left_out)}" if left_out else ""


def split_strangers(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A patient's status rows as (its own, those whose `identity` is a
    mismatch): another person's sample says nothing about this patient."""
    if "identity" not in rows:
        return rows, rows.iloc[:0]
    strangers = rows["identity"].map(is_mismatch).astype(bool)
    return rows[~strangers], rows[strangers]


def build_patients(status: pd.DataFrame, discordance: pd.DataFrame,
                   min_positive_ctcs: int,
                   unchecked: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per patient. unchecked: samples left out for a unit that
    failed the FASTQ check, with the reason: named in the note, and not
    counted as controls."""
    unchecked = unchecked or {}
    rows = []
    for patient in status["patient"].unique():
        everyone = status[status["patient"] == patient]
        mine, strangers = split_strangers(everyone)
        primaries = mine[mine["type"] == PRIMARY]
        primary = primaries.iloc[0] if len(primaries) else None
        ctcs = mine[mine["type"] == "ctc"]
        answering = ctcs[ctcs["cn_qc"].isin(CN_QC_CALLED)]  # passing or noisy
        positive = answering[answering["her2_status"] == POSITIVE]
        called = answering[answering["her2_status"].isin([POSITIVE, NEGATIVE, EQUIVOCAL])]
        indeterminate = answering[answering["her2_status"] == INDETERMINATE]
        calls = discordance[(discordance["patient"] == patient)
                            & discordance["ctc_cn_qc"].isin(CN_QC_CALLED)
                            & ~discordance["ctc"].isin(strangers["sample"])]
        notes = []
        if primary is None:
            notes.append("no primary tumour sample: CTC-only results")
            primary_her2 = None
            gained = lost = (NOT_ASSESSABLE, [])
        else:
            primary_her2 = (primary["her2_status"] if primary["qc_pass"] == "true"
                            else NOT_ASSESSABLE)
            gained = mutation_flag(calls, "gain", min_positive_ctcs)
            lost = mutation_flag(calls, "loss", min_positive_ctcs)
        controls = mine[mine["type"].isin(NORMAL_TYPES) & ~mine["sample"].isin(list(unchecked))]
        if not len(controls):
            notes.append("no WBC/normal control")
        her2_gain = her2_gain_flag(primary_her2, len(positive), len(called), min_positive_ctcs)
        if len(indeterminate):
            why = "; ".join(f"{r['sample']}: {her2_indeterminate_reason(r)}" for _, r in indeterminate.iterrows())
            notes.append(f"HER2 indeterminate in {len(indeterminate)} CTC(s) ({why})")
        if her2_gain == "true" and purity_unknown(primary):
            notes.append(NO_PURITY_NOTE)
        if note := unchecked_note(list(mine["sample"]), unchecked):
            notes.append(note)
        if len(strangers):
            notes.append("left out, not this patient's germline: "
                         + "; ".join(f"{r['sample']} ({r['identity']})" for _, r in strangers.iterrows()))
        rows.append({
            "patient": patient,
            "primary": "" if primary is None else primary["sample"],
            "primary_her2_status": primary_her2 or NOT_ASSESSABLE,
            "primary_egfr_mutations": "" if primary is None else primary["egfr_mutations"],
            "ctcs": len(ctcs), "ctcs_qc_pass": int((ctcs["cn_qc"] == CN_QC_PASS).sum()),
            "ctcs_noisy": int((ctcs["cn_qc"] == CN_QC_NOISY).sum()),
            "her2_positive_ctcs": len(positive),
            "her2_positive_ctc_names": ";".join(positive["sample"]),
            "her2_indeterminate_ctcs": len(indeterminate),
            "her2_gain_in_ctcs": her2_gain,
            "identity_mismatches": ";".join(strangers["sample"]),
            "egfr_mutation_gained": gained[0], "egfr_mutations_gained": ";".join(gained[1]),
            "egfr_mutation_lost": lost[0], "egfr_mutations_lost": ";".join(lost[1]),
            "wbc_controls": len(controls),
            "note": "; ".join(notes),
        })
    return pd.DataFrame(rows, columns=PATIENT_COLUMNS)
