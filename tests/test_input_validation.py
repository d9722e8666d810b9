"""Bad inputs found at start-up, before any job: FASTQs that are not FASTQ,
mates that do not pair, a FASTQ listed twice, hostile sample IDs and paths,
hotspot chromosomes the reference lacks, a population germline VCF that
cannot be used, retired config keys; CTCs without a WBC and single-end units
with a read-2 file beside them only warn."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import edit, snakemake, vcf_text, write_vcf
from conftest import load_cohort_sheets as load
from ctc_profiler.inputs.resource_placement import place
from ctc_profiler.inputs.retired_settings import retired_settings
from ctc_profiler.inputs.sheets import SheetError, cohort_warnings, unit_warnings


def stops_before_any_job(cohort: Path, *fragments: str) -> str:
    result = snakemake(cohort, "--cores", "1")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for fragment in fragments:
        assert fragment in output, output
    assert "Traceback" not in output
    assert not (cohort / "results").exists()
    return output


def test_a_bzip2_file_named_like_a_fastq_is_refused_with_its_line(toy_cohort: Path) -> None:
    (toy_cohort / "reads" / "primary.R1.fastq.gz").write_bytes(b"BZh91AY&SY\x00")
    with pytest.raises(SheetError, match=r"units.tsv line 2: fq1 'reads/primary.R1.fastq.gz' "
                                         r"is a bzip2 file, not FASTQ"):
        load(toy_cohort)


def test_a_text_file_is_refused_before_any_job(toy_cohort: Path) -> None:
    (toy_cohort / "reads" / "primary.R1.fastq.gz").write_text("read\tcount\n")
    stops_before_any_job(toy_cohort, "Invalid sample sheets", "units.tsv line 2",
                         "does not start with a FASTQ header", "give gzip-compressed or plain FASTQ")


def test_mates_of_different_units_are_refused(toy_cohort: Path) -> None:
    with gzip.open(toy_cohort / "reads" / "cell.R2.fastq.gz", "wt") as handle:
        handle.write("@other_read/2\nACGT\n+\nIIII\n")
    with pytest.raises(SheetError) as raised:
        load(toy_cohort)
    message = str(raised.value)
    assert "units.tsv line 3: fq1 'reads/cell.R1.fastq.gz' starts with read 'r1'" in message
    assert "fq2 'reads/cell.R2.fastq.gz' with 'other_read'" in message


def test_the_same_fastq_as_both_mates_is_refused(toy_cohort: Path) -> None:
    edit(toy_cohort / "units.tsv", "reads/cell.R2.fastq.gz", "./reads/cell.R1.fastq.gz")
    with pytest.raises(SheetError, match=r"units.tsv line 3: FASTQ './reads/cell.R1.fastq.gz' "
                                         r"is already listed on line 3"):
        load(toy_cohort)


def test_a_path_with_a_single_quote_is_accepted(toy_cohort: Path) -> None:
    # shell commands quote paths with Snakemake's :q
    (toy_cohort / "reads" / "primary.R1.fastq.gz").rename(toy_cohort / "reads" / "it's.fastq.gz")
    edit(toy_cohort / "units.tsv", "reads/primary.R1.fastq.gz", "reads/it's.fastq.gz")
    assert load(toy_cohort).units.loc[("P1_primary", "lowpass"), "fq1"] == "reads/it's.fastq.gz"


def test_a_plain_fastq_named_gz_is_refused_with_its_line(toy_cohort: Path) -> None:
    (toy_cohort / "reads" / "primary.R1.fastq.gz").write_text("@r1\nACGT\n+\nIIII\n")
    with pytest.raises(SheetError, match=r"units.tsv line 2: fq1 'reads/primary.R1.fastq.gz' ends "
                                         r"in .gz but is not gzip-compressed; compress it \(gzip\) "
                                         r"or drop the .gz from its name"):
        load(toy_cohort)


HOSTILE = ["P1;touch pwned", "$(touch pwned)", "P1 CTC01", "`touch pwned`"]


def test_hostile_sample_ids_never_reach_a_job(toy_cohort: Path) -> None:
    rows = "".join(f"P1\t{name}\tctc\tPicoPLEX\t\n" for name in HOSTILE)
    edit(toy_cohort / "samples.tsv", "P1\tP1_CTC01\tctc\tPicoPLEX\t\n", rows)
    units = "".join(f"{name}\tpanel\tpanel\treads/cell.R1.fastq.gz\t\n" for name in HOSTILE[1:])
    edit(toy_cohort / "units.tsv", "P1_CTC01\tpanel", f"{HOSTILE[0]}\tpanel")
    (toy_cohort / "units.tsv").write_text((toy_cohort / "units.tsv").read_text() + units)
    output = stops_before_any_job(toy_cohort, "Invalid sample sheets")
    for line, name in enumerate(HOSTILE, start=3):
        assert f"samples.tsv line {line}: column 'sample' is '{name}'; use only letters" in output
    assert not (toy_cohort / "pwned").exists()


def test_hostile_unit_id_is_refused(toy_cohort: Path) -> None:
    edit(toy_cohort / "units.tsv", "P1_CTC01\tpanel", "P1_CTC01\tpanel;touch pwned")
    with pytest.raises(SheetError, match="units.tsv line 3: column 'unit' is 'panel;touch pwned'"):
        load(toy_cohort)


def test_ctcs_without_a_wbc_warn_but_run(toy_cohort: Path) -> None:
    sheets = load(toy_cohort)
    (warning,) = cohort_warnings(sheets.samples, "samples.tsv")
    assert "samples.tsv: patient 'P1' has CTCs (P1_CTC01) but no WBC" in warning
    assert "Add WBC cells of patient 'P1' amplified with PicoPLEX" in warning
    add_hotspots(toy_cohort, "chr7")
    result = snakemake(toy_cohort, "--cores", "1", "-n")
    assert result.returncode == 0, result.stderr
    assert "Warning: samples.tsv: patient 'P1' has CTCs (P1_CTC01) but no WBC" in result.stderr


def test_a_single_end_unit_with_a_read_2_file_beside_it_warns(toy_cohort: Path) -> None:
    assert unit_warnings(load(toy_cohort).units, "units.tsv", toy_cohort) == []
    reads = toy_cohort / "reads"
    (reads / "primary.R2.fastq.gz").write_bytes((reads / "primary.R1.fastq.gz").read_bytes())
    assert unit_warnings(load(toy_cohort).units, "units.tsv", toy_cohort) == [
        "units.tsv line 2: fq2 is empty but 'reads/primary.R2.fastq.gz' sits beside fq1 "
        "'reads/primary.R1.fastq.gz'; this unit runs single-end; add it as fq2 if the reads "
        "are paired"]


@pytest.mark.parametrize(("fq1", "mate"), [
    ("x_R1_001.fastq.gz", "x_R2_001.fastq.gz"),
    ("x_1.fq.gz", "x_2.fq.gz"),
    ("lane_1.R1.fq", "lane_1.R2.fq"),  # the R in the name is read first, not the lane
])
def test_read_2_spellings_beside_fq1(tmp_path: Path, fq1: str, mate: str) -> None:
    (tmp_path / "reads").mkdir()
    for name in (fq1, mate):
        (tmp_path / "reads" / name).touch()
    units = pd.DataFrame({"sample": ["S1"], "unit": ["u"], "fq1": [f"reads/{fq1}"],
                          "fq2": [None], "line": [2]})
    (warning,) = unit_warnings(units, "units.tsv", tmp_path)
    assert f"fq2 is empty but 'reads/{mate}' sits beside fq1 'reads/{fq1}'" in warning
    # read 2 run as a unit of its own is listed, so no forgotten mate
    both = pd.concat([units, units.assign(unit="v", fq1=f"reads/{mate}", line=3)])
    assert unit_warnings(both, "units.tsv", tmp_path) == []


def test_wbc_of_another_kit_or_patient_warns(tmp_path: Path) -> None:
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("patient\tsample\ttype\twga\n"
                     "P1\tP1_CTC01\tctc\tPicoPLEX\nP1\tP1_WBC01\twbc\tMDA\n"
                     "P2\tP2_WBC01\twbc\tPicoPLEX\n")
    (warning,) = cohort_warnings(pd.read_csv(sheet, sep="\t"), sheet)
    assert "patient 'P1' has CTCs (P1_CTC01) but no WBC amplified with PicoPLEX" in warning
    edit(sheet, "P1\tP1_WBC01\twbc\tMDA", "P1\tP1_WBC01\twbc\tPicoPLEX")
    assert cohort_warnings(pd.read_csv(sheet, sep="\t"), sheet) == []


def test_hotspot_chromosomes_missing_from_the_reference(tmp_path: Path) -> None:
    hotspots = tmp_path / "hotspots.tsv"
    header = "gene\ttranscript\tprotein_change\tcdna_change\tchrom\tpos\tref\talt\tkind\n"
    hotspots.write_text(header + "EGFR\tNM_005228.5\tL858R\tc.2573T>G\t7\t55191822\tT\tG\tsnv\n")
    (problem,) = place(hotspots, "hotspots", "resources.hotspots", {"chr7", "chr17"}, "ref.fa").problems
    assert f"resources.hotspots '{hotspots}' uses chromosome names (7)" in problem
    assert "'7' there is 'chr7'" in problem and "'chr' prefix" in problem
    hotspots.write_text(header + "MYC\tNM_1\tX1Y\tc.1A>G\tchr8\t100\tA\tG\tsnv\n")
    assert "chr8 absent from reference.fasta 'ref.fa'" in place(
        hotspots, "hotspots", "resources.hotspots", {"chr7"}, "ref.fa").problems[0]
    hotspots.write_text("gene\tposition\nEGFR\t1\n")
    assert "has no 'chrom' column" in place(
        hotspots, "hotspots", "resources.hotspots", {"chr7"}, "ref.fa").problems[0]


def add_hotspots(cohort: Path, chrom: str) -> None:
    """A one-line hotspot table on `chrom` (its reference base G is right on chr7)."""
    (cohort / "hotspots.tsv").write_text(
        "gene\ttranscript\tprotein_change\tcdna_change\tchrom\tpos\tref\talt\tkind\n"
        f"EGFR\tNM_005228.5\tL858R\tc.2573T>G\t{chrom}\t150\tG\tT\tsnv\n")
    config = (cohort / "config.yaml").read_text()
    if "hotspots:" not in config:
        edit(cohort / "config.yaml", "  genes: genes.bed\n", "  genes: genes.bed\n  hotspots: hotspots.tsv\n")


def test_workflow_stops_on_hotspots_named_for_another_reference(toy_cohort: Path) -> None:
    add_hotspots(toy_cohort, "7")
    stops_before_any_job(toy_cohort, "Invalid reference or region files",
                         "resources.hotspots 'hotspots.tsv' uses chromosome names (7)", "'chr' prefix")


def test_reference_with_duplicate_contigs_stops_before_any_job(toy_cohort: Path) -> None:
    fasta = toy_cohort / "genome.fa"
    fasta.write_text(fasta.read_text() + ">chr7\nACGT\n")
    stops_before_any_job(toy_cohort, "reference.fasta 'genome.fa' names contig(s) chr7 more than once")


def set_germline(cohort: Path, path: str) -> None:
    edit(cohort / "config.yaml", "  genes: genes.bed\n", f"  genes: genes.bed\n  germline: {path}\n")


GERMLINE_CASES = {
    "plain": ("germline.vcf", "resources.germline 'germline.vcf' is not bgzip-compressed"),
    "another build": ("germline.vcf.gz", "chr7 159345973 in the VCF, 1000 in the reference"),
}


@pytest.mark.parametrize("case", GERMLINE_CASES)
def test_an_unusable_germline_resource_stops_before_any_job(toy_cohort: Path, case: str) -> None:
    name, message = GERMLINE_CASES[case]
    if case == "plain":
        (toy_cohort / name).write_text(vcf_text())
    if case == "another build":
        write_vcf(toy_cohort, vcf_text(contigs={"chr7": 159345973}))
    set_germline(toy_cohort, name)
    stops_before_any_job(toy_cohort, "Invalid reference or region files", message)


def test_a_usable_germline_resource_passes_the_start_up_checks(toy_cohort: Path) -> None:
    write_vcf(toy_cohort, vcf_text())
    set_germline(toy_cohort, "germline.vcf.gz")
    result = snakemake(toy_cohort, "--cores", "1", "-n")
    assert result.returncode == 0, result.stderr


def test_a_retired_config_key_stops_before_any_job_with_its_fix(toy_cohort: Path) -> None:
    config_path = toy_cohort / "config.yaml"
    config = yaml.safe_load(config_path.read_text())
    config.setdefault("copy_number", {}).setdefault("gene_window", {})["min_z"] = 3.0
    config_path.write_text(yaml.safe_dump(config))
    stops_before_any_job(toy_cohort, "config key copy_number.gene_window.min_z",
                         "gene tiles replaced the gene window's z-test; delete the key")


def test_retired_keys_are_found_only_where_they_were() -> None:
    assert retired_settings({"copy_number": {"gene_window": {"min_bp": 1}}}) == []
    assert retired_settings({"copy_number": {"min_z": 3}}) == []
    assert retired_settings({"copy_number": None}) == []
    assert retired_settings({}) == []
    [message] = retired_settings({"copy_number": {"gene_window": {"min_z": 3.0}}})
    assert message.startswith("config key copy_number.gene_window.min_z: removed on 2026-11-29")


def test_a_wrong_hotspot_allele_gets_the_same_verdict_on_every_start(toy_cohort: Path) -> None:
    """No .fai beside the reference: the first start cannot read the alleles
    and job hotspot_annotation refuses them; later starts do so before any
    job, with the same message. Nothing is written beside the FASTA."""
    add_hotspots(toy_cohort, "chr7")
    edit(toy_cohort / "hotspots.tsv", "\tG\tT\tsnv", "\tT\tG\tsnv")  # chr7:150 is a G
    message = "EGFR L858R at chr7:150 has ref T but the reference reads G"
    target = "results/variants/hotspot_alleles.tsv.gz"
    first = snakemake(toy_cohort, "--cores", "1", target)
    assert first.returncode != 0 and "Error in rule hotspot_annotation" in first.stderr
    assert message in (toy_cohort / "results/logs/variants/hotspot_annotation.log").read_text()
    for _ in range(2):
        again = snakemake(toy_cohort, "--cores", "1", target)
        assert again.returncode != 0 and message in again.stderr
        assert "Error in rule" not in again.stderr  # refused at start-up
    assert not (toy_cohort / "genome.fa.fai").exists()
    assert not (toy_cohort / "results/variants/hotspot_alleles.tsv.gz").exists()
