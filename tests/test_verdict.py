"""One verdict line per patient, from the status, discordance and patient tables."""

from __future__ import annotations

import pandas as pd

from ctc_profiler.report.verdict import verdict_comment


def status_row(sample: str, type_: str, her2: str, qc: str = "true", reason: str = "", limit: str = "",
               amplified: str = "false") -> dict:
    return {"patient": "P1", "sample": sample, "type": type_, "qc_pass": qc, "qc_reason": reason,
            "her2_status": her2, "erbb2_detectable_cn": limit, "egfr_amplified": amplified}


STATUS = pd.DataFrame([
    status_row("prim", "primary", "negative"),
    status_row("c1", "ctc", "positive"), status_row("c2", "ctc", "negative", limit="5"),
    status_row("c3", "ctc", "indeterminate", limit=">40"),
    status_row("c4", "ctc", "not_assessable", qc="false", reason="median reads per bin 26 < 60"),
    status_row("c5", "ctc", "negative", amplified="true"),
    status_row("w1", "wbc", "negative"),
])
DISCORDANCE = pd.DataFrame([
    {"patient": "P1", "ctc": "c2", "feature": "EGFR:L858R", "call": "gain", "ctc_qc_pass": "true"},
    {"patient": "P1", "ctc": "c5", "feature": "EGFR:L858R", "call": "gain", "ctc_qc_pass": "true"},
    {"patient": "P1", "ctc": "c1", "feature": "EGFR:T790M", "call": "loss", "ctc_qc_pass": "true"},
    {"patient": "P1", "ctc": "c4", "feature": "EGFR:T790M", "call": "gain", "ctc_qc_pass": "false"},
])
PATIENTS = pd.DataFrame([{"patient": "P1", "her2_gain_in_ctcs": "true", "primary_her2_status": "negative"}])


def test_the_verdict_names_cells_counts_and_reasons() -> None:
    line = verdict_comment(PATIENTS, STATUS, DISCORDANCE)
    assert line.startswith('<span class="ctc-verdict"><b>P1</b>: HER2 gain in CTCs: <b>yes</b>')
    # c3 (indeterminate) and c4 (failed) give no HER2 answer
    assert "1 of 3 passing CTCs with a HER2 call HER2-positive (c1); primary HER2 negative" in line
    assert "EGFR mutations gained: L858R in c2, c5" in line
    assert "lost: T790M in c1" in line and "T790M in c4" not in line  # a failed cell counts for nothing
    assert "EGFR amplified in c5" in line
    assert "c3 HER2 indeterminate (would miss ERBB2 below &gt;40 copies)" in line
    assert "c4 failed QC (median reads per bin 26 &lt; 60)" in line


def test_values_are_escaped_and_every_patient_gets_a_line() -> None:
    patients = pd.concat([PATIENTS, pd.DataFrame([{"patient": "P<2>", "her2_gain_in_ctcs": "not_assessable",
                                                   "primary_her2_status": "not_assessable"}])])
    comment = verdict_comment(patients, STATUS, DISCORDANCE)
    assert comment.count('class="ctc-verdict"') == 2
    assert "<b>P&lt;2&gt;</b>: HER2 gain in CTCs: <b>not assessable</b>: 0 of 0 passing CTCs" in comment
    assert "EGFR amplified in no passing CTC" in comment
    assert verdict_comment(PATIENTS.iloc[0:0], STATUS, DISCORDANCE) == "No patient could be assessed."
