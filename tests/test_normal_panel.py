"""The run's panel of normals: alleles another patient's samples show are
not somatic in this one; hotspot alleles are judged by the population only."""

from __future__ import annotations

from pathlib import Path

from ctc_profiler.variants.normal_panel import GermlineElsewhere, OtherPatients, panel_rows, read_panel
from ctc_profiler.variants.patient import write_table

HEADER = """##fileformat=VCFv4.2
##contig=<ID=chr1,length=100000>
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="reads per allele">
##FORMAT=<ID=ADF,Number=R,Type=Integer,Description="forward reads per allele">
##FORMAT=<ID=ADR,Number=R,Type=Integer,Description="reverse reads per allele">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tWBC1\tWBC2\tCTC1
"""


def record(pos: int, ref: str, alt: str, *reads: tuple[int, int]) -> str:
    samples = [f"{r},{a}:{r - r // 2},{a - a // 2}:{r // 2},{a // 2}" for r, a in reads]
    return "\t".join(["chr1", str(pos), ".", ref, alt, "50", ".", ".", "AD:ADF:ADR", *samples]) + "\n"


def test_panel_rows_name_where_each_patient_shows_an_allele(tmp_path: Path) -> None:
    vcf = tmp_path / "P1.vcf"
    vcf.write_text(HEADER
                   + record(100, "A", "G", (10, 0), (3, 1), (5, 5))  # pooled WBCs: 1 alt read
                   + record(200, "C", "T", (4, 1), (6, 1), (0, 9))  # pooled WBCs: 2 alt reads
                   + record(300, "G", "A", (8, 0), (9, 0), (12, 1)))  # one read anywhere: not kept
    types = {"WBC1": "wbc", "WBC2": "wbc", "CTC1": "ctc"}
    rows = panel_rows("P1", vcf, types, min_alt_reads=2)
    assert [(r["pos"], r["seen_in"]) for r in rows] == [(100, "tumour"), (200, "normal")]


def test_a_patient_does_not_count_as_its_own_evidence(tmp_path: Path) -> None:
    rows = [
        {"chrom": "chr1", "pos": 200, "ref": "C", "alt": "T", "patient": "P1", "seen_in": "normal"},
        {"chrom": "chr1", "pos": 200, "ref": "C", "alt": "T", "patient": "007", "seen_in": "normal"},
        {"chrom": "chr1", "pos": 100, "ref": "A", "alt": "G", "patient": "P1", "seen_in": "tumour"},
    ]
    path = tmp_path / "panel.tsv"
    write_table(rows, list(rows[0]), path)
    panel = read_panel(path, "P1")
    assert panel.showing(("chr1", 200, "C", "T")) == ["007"]  # IDs stay text
    assert panel.showing(("chr1", 100, "A", "G")) == []
    assert read_panel(None, "P1").showing(("chr1", 200, "C", "T")) == []


def test_known_germline_from_other_patients_except_at_hotspots_and_from_the_population() -> None:
    others = OtherPatients([{"chrom": "chr1", "pos": 5, "ref": "C", "alt": "T", "patient": "P2"}], "P1")
    frequencies = {("chr1", 9, "A", "G"): 0.2, ("chr1", 11, "A", "C"): 0.0001}
    elsewhere = GermlineElsewhere(others, lambda *allele: frequencies.get(allele), min_af=0.001)
    assert elsewhere.known(("chr1", 5, "C", "T"), hotspot=False)
    assert not elsewhere.known(("chr1", 5, "C", "T"), hotspot=True)
    assert elsewhere.known(("chr1", 9, "A", "G"), hotspot=True)
    assert not elsewhere.known(("chr1", 11, "A", "C"), hotspot=False)  # rarer than min_af
    assert elsewhere.evidence(("chr1", 9, "A", "G")) == ([], 0.2)
    assert not GermlineElsewhere().known(("chr1", 5, "C", "T"), hotspot=False)
