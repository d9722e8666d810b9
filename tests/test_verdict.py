"""One verdict line per patient, from the status, discordance and patient tables."""

from __future__ import annotations

import pandas as pd

from ctc_profiler.report.verdict import verdict_comment


def status_row(sample: str, type_: str, her2: str, qc: str = "pass", reason: str = "", limit: str = "",
               amplified: str = "false", group: str = "", z: float = float("nan")) -> dict:
    return {"patient": "P1", "sample": sample, "type": type_, "qc_pass": str(qc == "pass").lower(), "cn_qc": qc,
            "qc_reason": reason, "her2_status": her2, "her2_group": group, "erbb2_z": z,
            "erbb2_detectable_cn": limit, "egfr_amplified": amplified}


STATUS = pd.DataFrame([
    status_row("prim", "primary", "negative"),
    status_row("c1", "ctc", "positive"), status_row("c2", "ctc", "negative", limit="5"),
    status_row("c3", "ctc", "indeterminate", limit=">40"),
    status_row("c4", "ctc", "not_assessable", qc="fail", reason="median reads per bin 26 < 60"),
    status_row("c5", "ctc", "negative", amplified="true"),
    # noisy profiles: a strong gain counts, a weak one is no answer
    status_row("c6", "ctc", "positive", qc="noisy", reason="MAPD 0.81 > 0.7", group="1", z=7.2),
    status_row("c7", "ctc", "indeterminate", qc="noisy", reason="MAPD 0.9 > 0.7", group="1", z=2.1),
    status_row("w1", "wbc", "negative"),
])
DISCORDANCE = pd.DataFrame([
    {"patient": "P1", "ctc": "c2", "feature": "EGFR:L858R", "call": "gain", "ctc_cn_qc": "pass"},
    {"patient": "P1", "ctc": "c5", "feature": "EGFR:L858R", "call": "gain", "ctc_cn_qc": "pass"},
    {"patient": "P1", "ctc": "c1", "feature": "EGFR:T790M", "call": "loss", "ctc_cn_qc": "pass"},
    {"patient": "P1", "ctc": "c4", "feature": "EGFR:T790M", "call": "gain", "ctc_cn_qc": "fail"},
])
PATIENTS = pd.DataFrame([{"patient": "P1", "her2_gain_in_ctcs": "true", "primary_her2_status": "negative"}])


def test_the_verdict_names_cells_counts_and_reasons() -> None:
    line = verdict_comment(PATIENTS, STATUS, DISCORDANCE)
    assert line.startswith('<span class="ctc-verdict"><b>P1</b>: HER2 gain in CTCs: <b>yes</b>')
    # c3 and c7 (indeterminate) and c4 (failed) give no HER2 answer; c6's strong gain counts
    assert "2 of 4 CTCs with a HER2 call HER2-positive (c1, c6); primary HER2 negative" in line
    assert "EGFR mutations gained: L858R in c2, c5" in line
    assert "lost: T790M in c1" in line and "T790M in c4" not in line  # a failed cell counts for nothing
    assert "EGFR amplified in c5" in line
    assert "c3 HER2 indeterminate (no ERBB2 gain up to 40 copies would show)" in line
    assert "c7 HER2 indeterminate (ERBB2 gain at z 2.1, within what the cell's noise makes)" in line
    assert "c6" not in line.split("no answer from")[1]
    assert "c4 failed QC (median reads per bin 26 &lt; 60)" in line


def test_values_are_escaped_and_every_patient_gets_a_line() -> None:
    patients = pd.concat([PATIENTS, pd.DataFrame([{"patient": "P<2>", "her2_gain_in_ctcs": "not_assessable",
                                                   "primary_her2_status": "not_assessable"}])])
    comment = verdict_comment(patients, STATUS, DISCORDANCE)
    assert comment.count('class="ctc-verdict"') == 2
    assert "<b>P&lt;2&gt;</b>: HER2 gain in CTCs: <b>not assessable</b>: 0 of 0 CTCs with a HER2 call" in comment
    assert "EGFR amplified in no CTC with a call" in comment
    assert verdict_comment(PATIENTS.iloc[0:0], STATUS, DISCORDANCE) == "No patient could be assessed."



def test_a_patient_lacking_a_primary_a_control_or_a_called_ctc_is_told_in_words() -> None:
    status = pd.DataFrame([status_row("c1", "ctc", "not_assessable", qc="fail", reason="no reads in usable bins"),
                           status_row("c2", "ctc", "indeterminate", limit=">40")]).assign(patient="P2")
    patients = pd.DataFrame([{"patient": "P2", "her2_gain_in_ctcs": "not_assessable",
                              "primary_her2_status": "not_assessable"}])
    line = verdict_comment(patients, status, DISCORDANCE.iloc[0:0])
    assert "no primary tumour sample, so no discordance (CTC-only results)" in line
    assert "no WBC or normal control" in line and "no CTC gives a HER2 call" in line
    only_controls = pd.DataFrame([status_row("p", "primary", "negative"), status_row("w", "wbc", "negative")])
    line = verdict_comment(PATIENTS, only_controls, DISCORDANCE.iloc[0:0])
    assert "no CTC in the sample sheet" in line and "no primary" not in line and "no WBC" not in line
    # the demo-like patient lacks nothing
    assert "no primary" not in verdict_comment(PATIENTS, STATUS, DISCORDANCE)


def test_a_mismatched_cell_is_left_out_named_and_the_her2_clone_and_warnings_are_told() -> None:
    status = STATUS.assign(identity="match")
    status.loc[status["sample"] == "c1", "identity"] = "mismatch: looks like P2"
    clones = pd.DataFrame([{"patient": "P1", "clone": "C1", "cells": 2, "members": "c1, c6",
                            "her2_status": "positive", "relation": "subclone of the primary"},
                           {"patient": "P1", "clone": "C2", "cells": 1, "members": "c2",
                            "her2_status": "negative", "relation": "like the primary"}])
    line = verdict_comment(PATIENTS, status, DISCORDANCE, clones,
                           ["patients P1 and P1b share their germline at 40 of 40 sites"])
    assert line.startswith("<b>Warning: patients P1 and P1b share their germline")
    # c1 is another person's: not among the HER2-positive CTCs, its T790M loss not counted, named
    assert "1 of 3 CTCs with a HER2 call HER2-positive (c6)" in line
    assert "lost: none" in line
    assert "<b>c1 left out: mismatch: looks like P2</b>" in line
    assert "HER2-positive clone C1 (2 cells: c1, c6; subclone of the primary)" in line and "C2" not in line
