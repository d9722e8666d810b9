"""A unit whose FASTQ fails the check: its verdict, the reason its sample is
not assessable, and how status, discordance and the patient row carry it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
from test_discordance import HOTSPOT_COLUMNS, NO_METRICS, cn_row, hotspot, sheet

from ctc_profiler.core.tables import read_tsv
from ctc_profiler.inputs import fastq_verdicts as fastq_verdicts
from ctc_profiler.inputs.fastq_verdicts import (
    failure_report,
    one_line,
    read_failure_reasons,
    unit_verdict,
    verdict_table,
    write_verdict,
    write_verdict_table,
)
from ctc_profiler.status.discordance import build_discordance
from ctc_profiler.status.patients import build_patients
from ctc_profiler.status.samples import build_status


def fastq(path: Path, reads: int) -> Path:
    with gzip.open(path, "wt") as handle:
        for i in range(reads):
            handle.write(f"@r{i}\nACGTACGTAC\n+\nIIIIIIIIII\n")
    return path


def test_a_sound_unit_is_counted_without_a_problem(tmp_path: Path) -> None:
    r1, r2 = fastq(tmp_path / "R1.fastq.gz", 5), fastq(tmp_path / "R2.fastq.gz", 5)
    verdict = unit_verdict("P1_CTC01", "panel", str(r1), str(r2))
    assert verdict == {"sample": "P1_CTC01", "unit": "panel", "fq1": str(r1), "fq2": str(r2),
                       "reads": 5, "problem": None}


def test_a_damaged_unit_is_a_verdict_with_the_checks_message(tmp_path: Path) -> None:
    r1 = fastq(tmp_path / "R1.fastq.gz", 2000)
    r1.write_bytes(r1.read_bytes()[:3000])  # an interrupted copy
    verdict = unit_verdict("P1_CTC02", "lowpass", str(r1), None)
    assert verdict["reads"] is None and verdict["fq2"] is None
    assert verdict["problem"].startswith(f"'{r1}' ends in the middle of its gzip stream")
    assert "the file is truncated" in verdict["problem"]


def test_mates_of_different_lengths_are_a_verdict(tmp_path: Path) -> None:
    r1, r2 = fastq(tmp_path / "R1.fastq.gz", 5), fastq(tmp_path / "R2.fastq.gz", 3)
    problem = unit_verdict("S", "u", str(r1), str(r2))["problem"]
    assert problem.startswith(f"fq1 '{r1}' holds 5 reads but fq2 '{r2}' 3")


def test_errors_of_the_check_itself_are_not_verdicts(tmp_path: Path, monkeypatch) -> None:
    """A bug or a vanished file fails the job, never a sample."""
    with pytest.raises(FileNotFoundError):
        unit_verdict("S", "u", str(tmp_path / "gone.fastq.gz"), None)

    def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(fastq_verdicts, "check_unit", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        unit_verdict("S", "u", str(fastq(tmp_path / "R1.fastq.gz", 1)), None)


def test_one_line_keeps_a_message_within_a_tsv_cell() -> None:
    assert one_line("line 1 is 'read\tcount',\nnot '@'") == "line 1 is 'read count', not '@'"


def verdicts(tmp_path: Path, *units: tuple[str, str, str | None]) -> Path:
    """A patient's verdict table from (sample, unit, problem) rows, through
    the JSON files and the table the rules write."""
    tmp_path.mkdir(exist_ok=True)
    paths = []
    for sample, unit, problem in units:
        path = tmp_path / f"{sample}.{unit}.json"
        write_verdict({"sample": sample, "unit": unit, "fq1": f"{sample}.{unit}.R1.fastq.gz",
                       "fq2": None, "reads": None if problem else 100, "problem": problem}, path)
        paths.append(path)
    table = tmp_path / "P1.tsv"
    write_verdict_table(verdict_table(paths), table)
    return table


def test_reasons_name_every_damaged_unit_of_a_sample(tmp_path: Path) -> None:
    table = verdicts(tmp_path, ("c1", "lowpass", None), ("c2", "lowpass", "'a' is cut"),
                     ("c2", "panel", "'b' line 5: broken"), ("w1", "panel", None))
    assert read_tsv(table)["reads"].tolist()[0] == 100  # counts stay integers
    assert read_failure_reasons(table) == {
        "c2": "FASTQ check failed: unit c2.lowpass: 'a' is cut | unit c2.panel: 'b' line 5: broken"}


def test_the_run_ends_with_every_damaged_unit_named(tmp_path: Path) -> None:
    sound = read_tsv(verdicts(tmp_path / "a", ("c1", "lowpass", None)))
    assert failure_report([sound]) is None
    damaged = read_tsv(verdicts(tmp_path / "b", ("c2", "lowpass", "'a' is cut"),
                                ("p", "panel", "fq1 'x' holds 3 reads but fq2 'y' 2")))
    report = failure_report([sound, damaged])
    assert report is not None
    assert report.startswith("Error: 2 unit(s) failed the FASTQ check; sample(s) c2, p are "
                             "not_assessable")
    assert "  unit c2.lowpass: 'a' is cut\n" in report
    assert "  unit p.panel: fq1 'x' holds 3 reads but fq2 'y' 2\n" in report


def test_verdict_json_is_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    write_verdict({"sample": "s", "problem": None}, path)
    assert json.loads(path.read_text()) == {"sample": "s", "problem": None}
    assert not list(tmp_path.glob("*.part"))


# ---------------------------------------------------------------- the tables
REASON = "FASTQ check failed: unit c2.lowpass: 'c2.R1.fastq.gz' ends in the middle of its gzip stream"


def cohort(unchecked: dict[str, str]):
    """A primary, a WBC and two CTCs; the unchecked samples have no copy
    number or genotypes, as in a run that left them out."""
    samples = sheet(("P1", "prim", "primary"), ("P1", "w1", "wbc"), ("P1", "c1", "ctc"),
                    ("P1", "c2", "ctc")).assign(purity=[0.6, None, None, None])
    cn = [cn_row(s, her2) for s, her2 in
          (("prim", "negative"), ("w1", "negative"), ("c1", "positive"), ("c2", "positive"))
          if s not in unchecked]
    spots = [hotspot(s, "L858R", "wildtype") for s in ("prim", "w1", "c1", "c2")
             if s not in unchecked]
    spots_frame = pd.DataFrame(spots, columns=HOTSPOT_COLUMNS)
    status = build_status(samples, pd.DataFrame(cn), spots_frame, NO_METRICS, unchecked)
    discordance = build_discordance(status, spots_frame, unchecked)
    return status, discordance, build_patients(status, discordance, 1, unchecked)


def test_an_unchecked_sample_is_not_assessable_with_the_checks_message() -> None:
    status, _, _ = cohort({"c2": REASON})
    row = status.set_index("sample").loc["c2"]
    assert (row["qc_pass"], row["qc_reason"]) == ("false", REASON)
    assert row["her2_status"] == row["egfr_amplified"] == row["egfr_status"] == "not_assessable"
    assert pd.isna(row["reads"]) and row["egfr_mutations"] == ""
    # the others keep their calls
    assert status.set_index("sample").loc["c1", "her2_status"] == "positive"


def test_an_unchecked_ctc_carries_its_reason_into_discordance_and_the_patient_row() -> None:
    _, discordance, patients = cohort({"c2": REASON})
    mine = discordance[discordance["ctc"] == "c2"]
    assert set(mine["feature"]) == {"HER2", "EGFR_amplification"}  # no genotypes
    assert set(mine["call"]) == {"not_assessable"}
    assert set(mine["note"]) == {f"CTC failed QC: {REASON}"}
    assert discordance.set_index(["ctc", "feature"]).loc[("c1", "HER2"), "call"] == "gain"
    row = patients.iloc[0]
    assert (row["ctcs"], row["ctcs_qc_pass"], row["her2_gain_in_ctcs"]) == (2, 1, "true")
    assert row["note"] == f"not assessable: c2 ({REASON})"


def test_an_unchecked_primary_leaves_every_comparison_not_assessable() -> None:
    primary_reason = "FASTQ check failed: unit prim.panel: fq1 'a' holds 3 reads but fq2 'b' 2"
    _, discordance, patients = cohort({"prim": primary_reason, "c2": REASON})
    assert set(discordance["call"]) == {"not_assessable"}
    c1 = discordance[discordance["ctc"] == "c1"]
    assert set(c1["feature"]) == {"HER2", "EGFR_amplification", "EGFR:L858R"}
    assert set(c1["note"]) == {f"primary not assessable: {primary_reason}"}
    c2 = discordance[discordance["ctc"] == "c2"]
    assert set(c2["note"]) == {f"primary not assessable: {primary_reason}; CTC failed QC: {REASON}"}
    row = patients.iloc[0]
    assert row["primary_her2_status"] == row["her2_gain_in_ctcs"] == "not_assessable"
    assert row["note"] == f"not assessable: prim ({primary_reason}); c2 ({REASON})"


def test_an_unchecked_wbc_is_no_control() -> None:
    _, _, patients = cohort({"w1": "FASTQ check failed: unit w1.panel: broken"})
    row = patients.iloc[0]
    assert row["wbc_controls"] == 0
    assert row["note"] == ("no WBC/normal control; not assessable: w1 (FASTQ check failed: "
                           "unit w1.panel: broken)")
    _, _, checked = cohort({})
    assert checked.iloc[0]["wbc_controls"] == 1 and checked.iloc[0]["note"] == ""
