"""CTC versus primary tumour, feature by feature: HER2 status, EGFR
amplification and every hotspot mutation.

A difference is only called where both sides were really measured: a CTC
that failed QC, a hotspot without coverage, or a mutation of the primary that
a cell may have lost to allelic dropout gives `not_assessable`, never `loss`;
`loss` needs the strong evidence of `status/loss.py`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ctc_profiler.core.tables import with_columns
from ctc_profiler.core.words import (
    CN_QC_CALLED,
    CN_QC_NOISY,
    DROPOUT_POSSIBLE,
    MUTANT,
    NEGATIVE,
    NO_COVERAGE,
    NOT_ASSESSABLE,
    POSITIVE,
    PRIMARY,
    WILDTYPE,
    is_mismatch,
)
from ctc_profiler.status.loss import LossEvidence, LossSettings, carrier_prior, loss_evidence

PRIMARY_TYPES = (PRIMARY,)
DISCORDANCE_COLUMNS = [
    "patient", "ctc", "primary", "feature", "primary_value", "ctc_value", "call",
    "ctc_cn_qc", "primary_evidence", "ctc_evidence", "note",
]
HER2_ORDER = {NEGATIVE: 0, POSITIVE: 1}


def primary_of(status: pd.DataFrame, patient: str) -> pd.Series | None:
    """The patient's primary tumour sample (the first listed), or None."""
    rows = status[(status["patient"] == patient) & status["type"].isin(PRIMARY_TYPES)]
    return rows.iloc[0] if len(rows) else None


def compare_levels(primary: str, ctc: str, order: dict[str, int]) -> str:
    """gain / loss / concordant between two ordered levels; not_assessable otherwise."""
    if primary not in order or ctc not in order:
        return "concordant" if primary == ctc and primary != NOT_ASSESSABLE else NOT_ASSESSABLE
    if order[ctc] > order[primary]:
        return "gain"
    if order[ctc] < order[primary]:
        return "loss"
    return "concordant"


def mutation_value(state: str) -> str:
    """present / absent / not_seen (dropout possible) / not_assessable."""
    return {MUTANT: "present", WILDTYPE: "absent", DROPOUT_POSSIBLE: "not_seen"}.get(
        state, NOT_ASSESSABLE
    )


def mutation_call(primary_state: str, ctc_state: str, loss: LossEvidence | None = None,
                  min_loss_posterior: float = LossSettings.min_loss_posterior) -> tuple[str, str]:
    """The call for one hotspot and why, when it is not plain. `loss`: how
    sure the CTC lacks the primary's mutation (needed for a `loss`)."""
    if primary_state not in (MUTANT, WILDTYPE):
        return NOT_ASSESSABLE, f"primary {primary_state}"
    if ctc_state == NO_COVERAGE or ctc_state not in (MUTANT, WILDTYPE, DROPOUT_POSSIBLE):
        return NOT_ASSESSABLE, f"CTC {ctc_state}"
    if ctc_state == MUTANT:
        return ("concordant", "") if primary_state == MUTANT else ("gain", "")
    if primary_state == WILDTYPE:
        # Nothing seen on either side; dropout cannot turn this into a gain.
        return "concordant", ""
    if ctc_state == DROPOUT_POSSIBLE:
        return NOT_ASSESSABLE, "mutation of the primary not seen; allelic dropout possible"
    if loss is None or loss.probability < min_loss_posterior:
        why = f": {loss.describe()} < {min_loss_posterior:g}" if loss is not None else ""
        return NOT_ASSESSABLE, f"mutation of the primary not seen; dropout cannot be excluded{why}"
    return "loss", loss.describe()


def _evidence(row: pd.Series | dict) -> str:
    """State and reads, and for a call (mutant, wildtype) how sure it is."""
    return f"{row['state']} alt {row['alt_reads']}/{row['depth']} reads{_posterior(row)}"


def _posterior(row: pd.Series | dict) -> str:
    """The call's posterior from its phred-scaled `quality` (capped at 99)."""
    quality = _number(row.get("quality"))
    if row["state"] not in (MUTANT, WILDTYPE) or quality is None or quality <= 0:
        return ""
    if quality >= 40:
        return ", posterior >0.9999"
    return f", posterior {1 - 10 ** (-quality / 10):.4f}".rstrip("0").rstrip(".")


def _detectable(value: object, gene: str = "ERBB2") -> str:
    """The cell's detection limit (`erbb2_detectable_cn`, `egfr_detectable_cn`)
    as evidence: what its negative or equivocal call rules out."""
    text = "" if pd.isna(value) else str(value)
    if not text:
        return ""
    if text.startswith(">"):
        return f"; no {gene} gain up to {text[1:]} copies would show"
    return f"; an {gene} gain would show from {int(float(text))} copies"


def _strength(z: object) -> str:
    """A gain's z against the cell's own noise (`erbb2_z`, `egfr_z`)."""
    number = pd.to_numeric(z, errors="coerce")
    return "" if pd.isna(number) else f", z {float(number):.1f}"


def _noisy(row: pd.Series) -> str:
    return f"; noisy profile ({row['qc_reason']})" if row.get("cn_qc") == CN_QC_NOISY else ""


# A bulk primary's copy number is read at purity 1 when the sheet gives none:
# normal DNA then dilutes its ERBB2 gain, and at 10% purity and less a real
# HER2-positive primary read negative (docs/real_amplicon.md)
NO_PURITY_NOTE = ("primary's purity not in the sample sheet, so its copy number was read at purity 1; "
                  "a HER2-positive primary of low purity can read negative: give its purity")


def purity_unknown(primary: pd.Series) -> bool:
    """A primary whose sheet leaves its purity empty."""
    return primary["type"] in PRIMARY_TYPES and pd.isna(pd.to_numeric(primary.get("purity"), errors="coerce"))


def _her2_evidence(row: pd.Series) -> str:
    if row["her2_status"] == NOT_ASSESSABLE:
        return str(row["qc_reason"])
    purity = ""
    if row["type"] in PRIMARY_TYPES:
        purity = ", purity not given" if purity_unknown(row) else f", purity {row['purity']}"
    return (f"ERBB2 {row['erbb2_cn']} copies, ratio {row['her2_ratio']}, "
            f"ASCO/CAP group {row['her2_group']}{purity}{_strength(row.get('erbb2_z'))}"
            f"{_detectable(row.get('erbb2_detectable_cn'))}{_noisy(row)}")


def _blank_primary(primary: pd.Series | None) -> bool:
    return primary is None or primary["qc_pass"] != "true"


def _number(value: object) -> float | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)


def _loss(cell: dict, primary_spot: dict, ctc: pd.Series, primary: pd.Series,
          settings: LossSettings) -> LossEvidence:
    # the status table holds the copy number of ERBB2 and EGFR, the genes of most hotspots
    copy_number = _number(primary.get(f"{str(primary_spot.get('gene', '')).lower()}_cn"))
    prior = carrier_prior(int(_number(primary_spot["alt_reads"]) or 0), int(_number(primary_spot["depth"]) or 0),
                          _number(primary.get("purity")), settings.default_purity, copy_number)
    return loss_evidence(int(_number(cell["alt_reads"]) or 0), int(_number(cell["depth"]) or 0), prior,
                         str(ctc.get("wga", "")), _number(ctc.get("ado_rate")), settings)


def ctc_rows(ctc: pd.Series, primary: pd.Series | None, hotspots: pd.DataFrame,
             primary_unchecked: str | None = None, loss_settings: LossSettings | None = None) -> list[dict]:
    """Every feature of one CTC against the primary. primary_unchecked: why
    the primary was left out (a unit failed the FASTQ check), if it was: it
    is then compared as no primary, with that reason as the note."""
    base = {"patient": ctc["patient"], "ctc": ctc["sample"],
            "primary": "" if primary is None else primary["sample"],
            "ctc_cn_qc": ctc["cn_qc"]}
    failed = ctc["cn_qc"] not in CN_QC_CALLED
    rows = []

    def add(feature: str, primary_value: str, ctc_value: str, call: str,
            primary_evidence: str, ctc_evidence: str, note: str = "") -> None:
        if primary is None:
            call, note = NOT_ASSESSABLE, "no primary tumour sample"
        elif primary_unchecked:
            call, note = NOT_ASSESSABLE, f"primary not assessable: {primary_unchecked}"
            if failed:
                note += f"; CTC failed QC: {ctc['qc_reason']}"
        elif failed:
            call, note = NOT_ASSESSABLE, f"CTC failed QC: {ctc['qc_reason']}"
        rows.append({**base, "feature": feature, "primary_value": primary_value,
                     "ctc_value": ctc_value, "call": call,
                     "primary_evidence": primary_evidence, "ctc_evidence": ctc_evidence,
                     "note": note})

    p_her2 = NOT_ASSESSABLE if _blank_primary(primary) else primary["her2_status"]
    her2 = compare_levels(p_her2, ctc["her2_status"], HER2_ORDER)
    add("HER2", p_her2, ctc["her2_status"], her2,
        "" if primary is None else _her2_evidence(primary), _her2_evidence(ctc),
        NO_PURITY_NOTE if her2 == "gain" and purity_unknown(primary) else "")
    p_egfr = NOT_ASSESSABLE if _blank_primary(primary) else primary["egfr_amplified"]
    add("EGFR_amplification", p_egfr, ctc["egfr_amplified"],
        compare_levels(p_egfr, ctc["egfr_amplified"], {"false": 0, "true": 1}),
        "" if primary is None else f"EGFR {primary['egfr_cn']} copies",
        f"EGFR {ctc['egfr_cn']} copies{_strength(ctc.get('egfr_z'))}"
        f"{_detectable(ctc.get('egfr_detectable_cn'), 'EGFR')}{_noisy(ctc)}")

    mine = hotspots[hotspots["sample"] == ctc["sample"]]
    theirs = (hotspots[hotspots["sample"] == primary["sample"]] if primary is not None
              else hotspots.iloc[0:0])
    keyed = {(r.gene, r.protein_change): r._asdict() for r in theirs.itertuples(index=False)}
    settings = loss_settings or LossSettings()
    for hotspot in mine.itertuples(index=False):
        cell = hotspot._asdict()
        other = keyed.get((hotspot.gene, hotspot.protein_change))
        p_state = other["state"] if other else "not_genotyped"
        loss = (_loss(cell, other, ctc, primary, settings)
                if other and p_state == MUTANT and hotspot.state == WILDTYPE else None)
        call, note = mutation_call(p_state, hotspot.state, loss, settings.min_loss_posterior)
        add(f"{hotspot.gene}:{hotspot.protein_change}", mutation_value(p_state),
            mutation_value(hotspot.state), call,
            _evidence(other) if other else "", _evidence(cell), note)
    return rows


def build_discordance(status: pd.DataFrame, hotspots: pd.DataFrame,
                      unchecked: Mapping[str, str] | None = None,
                      loss_settings: LossSettings | None = None) -> pd.DataFrame:
    """One row per CTC x feature, for every patient. unchecked: samples left
    out for a unit that failed the FASTQ check, with the reason."""
    unchecked = unchecked or {}
    hotspots = with_columns(hotspots, ["sample", "gene", "protein_change", "state",
                                       "alt_reads", "depth", "quality"])
    rows: list[dict] = []
    for patient in status["patient"].unique():
        primary = primary_of(status, patient)
        ctcs = status[(status["patient"] == patient) & (status["type"] == "ctc")]
        for _, ctc in ctcs.iterrows():
            reason = unchecked.get(primary["sample"]) if primary is not None else None
            found = ctc_rows(ctc, primary, hotspots, reason, loss_settings)
            if is_mismatch(ctc.get("identity", "")):  # left out of the patient's flags (patients.py)
                for row in found:
                    row["note"] = "; ".join(filter(None, [f"identity {ctc['identity']}", row.get("note", "")]))
            rows += found
    return pd.DataFrame(rows, columns=DISCORDANCE_COLUMNS)
