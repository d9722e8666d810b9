"""A patient's tables from a joint VCF: germline labels, ADO from WBC het
sites, joint evidence, a zero-read cell and a patient without normals."""

from __future__ import annotations

from pathlib import Path

import pysam

from ctc_profiler.variants.dropout import AdoSettings
from ctc_profiler.variants.origin import OriginSettings
from ctc_profiler.variants.patient import Sample, genotype_patient
from ctc_profiler.variants.states import StateSettings

SAMPLES = ["P_WBC01", "P_WBC02", "P_primary", "P_CTC01", "P_CTC02"]


def _vcf(path: Path, records: list[tuple[int, str, str, list[tuple[int, int, int, int]]]], names: list[str]) -> Path:
    """records: (pos, ref, alt, per sample (ref_fwd, ref_rev, alt_fwd, alt_rev))."""
    lines = [
        "##fileformat=VCFv4.2",
        "##contig=<ID=chr7,length=1000000>",
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="x">',
        '##FORMAT=<ID=ADF,Number=R,Type=Integer,Description="x">',
        '##FORMAT=<ID=ADR,Number=R,Type=Integer,Description="x">',
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(names),
    ]
    for pos, ref, alt, per_sample in records:
        fields = [f"{rf + rr},{af + ar}:{rf},{af}:{rr},{ar}" for rf, rr, af, ar in per_sample]
        lines.append(f"chr7\t{pos}\t.\t{ref}\t{alt}\t50\tPASS\t.\tAD:ADF:ADR\t" + "\t".join(fields))
    path.write_text("\n".join(lines) + "\n")
    return path


def _run(tmp_path: Path, samples: list[Sample], records) -> object:
    fasta = tmp_path / "ref.fa"
    fasta.write_text(">chr7\n" + "A" * 1000 + "\n")
    pysam.faidx(str(fasta))
    vcf = _vcf(tmp_path / "p.vcf", records, [s.name for s in samples])
    return genotype_patient(
        "P", samples, vcf, {}, [], [("chr7", 0, 100000, "EGFR")], fasta,
        settings=StateSettings(), ado_settings=AdoSettings(), origin=OriginSettings(),
        ado_priors={"default": 0.2}, min_bq=13, min_mq=20,
    )


HET = (5, 5, 5, 5)  # both alleles, 20 reads
REF_ONLY = (10, 10, 0, 0)
NONE = (0, 0, 0, 0)


def cohort() -> list[Sample]:
    return [Sample("P_WBC01", "wbc", "MDA"), Sample("P_WBC02", "wbc", "MDA"),
            Sample("P_primary", "primary", "none", 0.8), Sample("P_CTC01", "ctc", "MDA"),
            Sample("P_CTC02", "ctc", "MDA")]


def records() -> list:
    # 20 kb apart: independent dropout observations
    germline = [(1000 + 20_000 * i, "C", "G", [HET, HET, HET, REF_ONLY if i < 3 else HET, NONE])
                for i in range(10)]
    somatic = [(500, "T", "G", [REF_ONLY, REF_ONLY, (10, 10, 8, 8), (3, 3, 4, 4), NONE])]
    # alt reads in one WBC only and none in the deep primary: an amplification
    # error (a germline SNP would need LOH in the tumour and 0 of 30 reads at 0.1)
    wbc_error = [(700, "G", "A", [(3, 3, 2, 2), REF_ONLY, (15, 15, 0, 0), REF_ONLY, NONE])]
    return germline + somatic + wbc_error


def test_germline_somatic_labels_and_states(tmp_path: Path) -> None:
    result = _run(tmp_path, cohort(), records())
    rows = {(r["pos"], r["sample"]): r for r in result.mutations}
    assert {r["origin"] for r in result.mutations if r["pos"] >= 1000} == {"germline"}
    assert rows[(500, "P_CTC01")]["origin"] == "somatic"
    assert rows[(500, "P_CTC01")]["state"] == "mutant"
    assert rows[(500, "P_primary")]["state"] == "mutant"
    assert rows[(500, "P_WBC01")]["state"] == "wildtype"
    assert rows[(500, "P_CTC02")]["state"] == "no_coverage"
    assert rows[(500, "P_CTC01")]["gene"] == "EGFR"
    assert rows[(500, "P_CTC01")]["hotspot"] == "false"
    assert 700 not in {r["pos"] for r in result.mutations}  # not germline, and no tumour carries it


def test_cell_metrics_measure_ado_and_name_a_zero_read_cell(tmp_path: Path) -> None:
    metrics = {m["sample"]: m for m in _run(tmp_path, cohort(), records()).metrics}
    assert metrics["P_CTC01"]["germline_het_sites"] == 10
    assert metrics["P_CTC01"]["ado_rate"] == 0.3
    assert metrics["P_WBC01"]["ado_rate"] == 0.0
    assert "no reads" in metrics["P_CTC02"]["note"]
    assert "bulk" in metrics["P_primary"]["note"]


def test_patient_without_normals_says_so(tmp_path: Path) -> None:
    samples = [s for s in cohort() if s.type != "wbc"]
    recs = [(pos, ref, alt, per[2:]) for pos, ref, alt, per in records()]
    result = _run(tmp_path, samples, recs)
    origin = {r["pos"]: r["origin"] for r in result.mutations}
    # the primary alone: its SNPs at 1/2 are germline; the somatic site (0.44
    # in a primary of purity 0.8, clonal 0.4) cannot be told from germline
    assert {origin[pos] for pos in origin if pos >= 1000} == {"germline"}
    assert origin[500] != "somatic"
    for metric in result.metrics:
        if metric["sample"].startswith("P_CTC"):
            assert metric["ado_rate"] == ""
            assert "no WBC/normal in patient" in metric["note"]
            assert "ADO prior 0.2" in metric["note"]
    rows = {(r["pos"], r["sample"]): r for r in result.mutations}
    assert rows[(500, "P_CTC01")]["state"] == "mutant"


def test_patient_of_ctcs_alone_has_every_origin_unresolved(tmp_path: Path) -> None:
    samples = [s for s in cohort() if s.type == "ctc"]
    recs = [(pos, ref, alt, per[3:]) for pos, ref, alt, per in records()]
    result = _run(tmp_path, samples, recs)
    assert {r["origin"] for r in result.mutations} == {"unresolved"}
    rows = {(r["pos"], r["sample"]): r for r in result.mutations}
    # no other sample shows it (the other CTC has no reads there): it cannot
    # be told from an early amplification error
    assert rows[(500, "P_CTC01")]["state"] == "private_unconfirmed"
