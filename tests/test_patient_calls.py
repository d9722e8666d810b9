"""Rule call_copy_number's one process per patient: each sample's folder
holds what its own call gives, and a sample whose call fails leaves the
other samples' calls and says why in its status."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from conftest import BIN_BP as BIN
from conftest import genome_bins
from ctc_profiler.copy_number.patient_calls import SAMPLE_FILES, SampleInputs, call_patient
from ctc_profiler.copy_number.sample_call import SampleCallSettings, sample_call
from ctc_profiler.core.tables import read_positions, read_tsv

REGIONS = pd.DataFrame({"chrom": ["chr17", "chr17", "chr7", "chr7"],
                        "start": [31 * BIN + 5000, 10 * BIN, 10 * BIN, 40 * BIN],
                        "end": [31 * BIN + 47000, 20 * BIN, 10 * BIN + 90_000, 50 * BIN],
                        "name": ["ERBB2", "chr17_ref", "EGFR", "chr7_ref"]})


def write_inputs(tmp_path, rng) -> tuple[list[SampleInputs], str, list[str]]:
    """Bins, gene windows (none), regions, two WBCs' normals table and three
    cells' counts: an amplified CTC, a plain one, and one whose counts file
    is broken."""
    bins = genome_bins({"chr1": 120, "chr7": 80, "chr17": 60}, rng)
    bins.to_csv(tmp_path / "bins.tsv", sep="\t", index=False)
    pd.DataFrame(columns=["chrom", "start", "end", "gc", "n_fraction", "window"]).to_csv(
        tmp_path / "windows.tsv", sep="\t", index=False)
    (tmp_path / "windows.counts").write_text("")
    REGIONS.iloc[[0, 2]].to_csv(tmp_path / "genes.bed", sep="\t", index=False, header=False)
    REGIONS.iloc[[1, 3]].to_csv(tmp_path / "regions.bed", sep="\t", index=False, header=False)
    bias = np.exp(2.0 * (bins["gc"] - 0.45))
    bins[["chrom", "start", "end"]].assign(W1=bias / bias.median(), W2=bias / bias.median()).to_csv(
        tmp_path / "normals.tsv", sep="\t", index=False)
    inputs = []
    for name, amplified in (("CTC1", True), ("CTC2", False), ("CTC3", False)):
        truth = np.full(len(bins), 2.0)
        if amplified:
            truth[(bins["chrom"] == "chr17") & bins["start"].between(30 * BIN, 33 * BIN)] = 8.0
        counts = bins[["chrom", "start", "end"]].assign(reads=rng.poisson(truth / 2 * 300 * bias))
        counts.to_csv(tmp_path / f"{name}.counts", sep="\t", index=False, header=False)
        row = {"patient": "P", "sample": name, "type": "ctc", "wga": "PicoPLEX", "purity": float("nan")}
        inputs.append(SampleInputs(row, str(tmp_path / "bins.tsv"), str(tmp_path / f"{name}.counts"),
                                   str(tmp_path / "windows.counts"), str(tmp_path / "normals.tsv")))
    (tmp_path / "CTC3.counts").write_text("chrom\tstart\nbroken\n")
    return inputs, str(tmp_path / "windows.tsv"), [str(tmp_path / "genes.bed"), str(tmp_path / "regions.bed")]


def test_each_sample_gets_its_own_call_and_a_failed_one_says_why(tmp_path) -> None:
    inputs, windows, regions = write_inputs(tmp_path, np.random.default_rng(3))
    log = (tmp_path / "call.log").open("w")
    failed = call_patient(inputs, windows, regions, SampleCallSettings(), tmp_path / "out", log=log)
    log.close()
    assert failed == ["CTC3"]
    for sample in ("CTC1", "CTC2", "CTC3"):
        assert sorted(p.name for p in (tmp_path / "out" / sample).iterdir()) == sorted(SAMPLE_FILES)
    # the same call as the sample's own, one process each
    bins = pd.read_csv(tmp_path / "bins.tsv", sep="\t")
    normals = pd.read_csv(tmp_path / "normals.tsv", sep="\t")
    counts = pd.read_csv(tmp_path / "CTC1.counts", sep="\t", header=None, names=["chrom", "start", "end", "reads"])
    own = sample_call(inputs[0].row, bins, counts, None, None, REGIONS, SampleCallSettings(), normals)
    status = read_tsv(tmp_path / "out" / "CTC1" / "status.tsv").iloc[0]
    assert status["her2_status"] == own.status["her2_status"] == "positive"
    assert status["reference"] == own.reference
    assert read_tsv(tmp_path / "out" / "CTC2" / "status.tsv").iloc[0]["her2_status"] == "negative"
    called = read_positions(tmp_path / "out" / "CTC1" / "bins.tsv")
    assert (called["cn"].to_numpy() == own.bins["cn"].to_numpy()).all()
    # the failed sample: not assessable, the error named, empty tables
    broken = read_tsv(tmp_path / "out" / "CTC3" / "status.tsv").iloc[0]
    assert broken["her2_status"] == broken["egfr_amplified"] == "not_assessable"
    assert broken["cn_qc"] == "fail" and "the copy-number call failed" in broken["qc_reason"]
    assert read_positions(tmp_path / "out" / "CTC3" / "bins.tsv").empty
    assert read_tsv(tmp_path / "out" / "CTC3" / "segments.tsv").empty
    assert json.loads((tmp_path / "out" / "CTC3" / "qc.json").read_text()) == {}
    text = (tmp_path / "call.log").read_text()
    assert "CTC3: the copy-number call failed" in text and "Traceback" in text
    assert f"CTC1: normalised to {own.reference}" in text
