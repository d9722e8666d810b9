"""Sample/unit sheet validation: every broken sheet fails before any job runs,
with a message naming the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SCHEMAS, edit, snakemake
from conftest import load_cohort_sheets as load
from ctc_profiler.inputs.sheets import SheetError, load_sheets


def test_valid_sheets_load_with_defaults(toy_cohort: Path) -> None:
    sheets = load(toy_cohort)
    assert list(sheets.samples["sample"]) == ["P1_primary", "P1_CTC01"]
    assert sheets.samples.loc["P1_primary", "purity"] == pytest.approx(0.6)
    assert sheets.samples.loc["P1_CTC01", "purity"] is None
    assert sheets.units.loc[("P1_primary", "lowpass"), "fq2"] is None
    assert sheets.units.loc[("P1_CTC01", "panel"), "fq2"] == "reads/cell.R2.fastq.gz"


# (sheet, text to replace, replacement, expected fragments of the message)
BROKEN = {
    "duplicate_sample": ("samples.tsv", "P1\tP1_CTC01\tctc", "P1\tP1_primary\tctc",
                         ["samples.tsv lines 2, 3", "'P1_primary' appears 2 times"]),
    "unknown_type": ("samples.tsv", "\tctc\t", "\tcirculating\t",
                     ["samples.tsv line 3", "'type' is 'circulating'", "one of primary"]),
    "bad_id_characters": ("samples.tsv", "P1_CTC01\tctc", "P1 CTC;01\tctc",
                          ["samples.tsv line 3", "'P1 CTC;01'", "only letters"]),
    "missing_column": ("samples.tsv", "patient\tsample\ttype\twga\tpurity", "patient\tsample\ttype\tpurity",
                       ["samples.tsv", "missing column(s) wga"]),
    "unit_for_unknown_sample": ("units.tsv", "P1_CTC01\tpanel", "P1_CTC09\tpanel",
                                ["units.tsv line 3", "'P1_CTC09', which is not in"]),
    "fastq_does_not_exist": ("units.tsv", "reads/cell.R2.fastq.gz", "reads/cell.R3.fastq.gz",
                             ["units.tsv line 3", "fq2 'reads/cell.R3.fastq.gz' does not exist"]),
    "unknown_library": ("units.tsv", "\tlowpass_wgs\t", "\tshallow\t",
                        ["units.tsv line 2", "'library' is 'shallow'", "one of lowpass_wgs"]),
    "same_fastq_twice": ("units.tsv", "reads/cell.R2.fastq.gz", "reads/primary.R1.fastq.gz",
                         ["units.tsv line 3", "already listed on line 2"]),
    "purity_out_of_range": ("samples.tsv", "none\t0.6", "none\t60",
                            ["samples.tsv line 2", "'purity' is '60.0'"]),
    "cell_without_kit": ("samples.tsv", "ctc\tPicoPLEX", "ctc\tnone",
                         ["samples.tsv line 3", "single cell (ctc) but wga is 'none'"]),
    "id_starting_with_a_dash": ("samples.tsv", "P1_CTC01\tctc", "-P1_CTC01\tctc",
                                ["samples.tsv line 3: column 'sample' is '-P1_CTC01'; start it "
                                 "with a letter or digit"]),
    "patient_id_of_dots": ("samples.tsv", "P1\tP1_primary", "..\tP1_primary",
                           ["samples.tsv line 2: column 'patient' is '..'; start it with a "
                            "letter"]),
    "id_with_two_dots": ("units.tsv", "\tlowpass\t", "\tlow..pass\t",
                         ["units.tsv line 2: column 'unit' is 'low..pass'; IDs become parts of "
                          "file paths, where '..' names the parent folder; use single dots"]),
    "samples_differing_in_case": ("samples.tsv", "P1\tP1_CTC01\tctc", "P1\tp1_PRIMARY\tctc",
                                  ["samples.tsv lines 2, 3: sample IDs 'P1_primary' and "
                                   "'p1_PRIMARY' differ only in case; on a case-insensitive "
                                   "file system (macOS, Windows)", "rename one"]),
    "patients_differing_in_case": ("samples.tsv", "P1\tP1_CTC01", "p1\tP1_CTC01",
                                   ["samples.tsv lines 2, 3: patient IDs 'P1' and 'p1' differ only "
                                    "in case; spell the ID the same way on every line"]),
    "two_primaries": ("samples.tsv", "P1_CTC01\tctc\tPicoPLEX\t", "P1_CTC01\tprimary\tnone\t",
                      ["samples.tsv lines 2, 3: patient 'P1' has 2 primary samples (P1_primary, "
                       "P1_CTC01); CTCs are compared with one primary only: keep one and set the "
                       "type of the other(s) to metastasis"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_sheet_names_file_line_and_problem(toy_cohort: Path, case: str) -> None:
    sheet, old, new, expected = BROKEN[case]
    edit(toy_cohort / sheet, old, new)
    with pytest.raises(SheetError) as raised:
        load(toy_cohort)
    for fragment in expected:
        assert fragment in str(raised.value)


@pytest.mark.parametrize("name", ["bins", "References", "summary", "summary.tsv", "status",
                                  "P1.heatmap.png"])
def test_sample_names_the_results_use_are_refused(toy_cohort: Path, name: str) -> None:
    edit(toy_cohort / "samples.tsv", "P1\tP1_CTC01", f"P1\t{name}")
    edit(toy_cohort / "units.tsv", "P1_CTC01\tpanel", f"{name}\tpanel")
    with pytest.raises(SheetError) as raised:
        load(toy_cohort)
    assert str(raised.value) == (
        f"{toy_cohort / 'samples.tsv'} line 3: sample '{name}' is named like results the "
        "workflow writes beside the sample folders in results/copy_number/ (bins, references, "
        "summary, summary.tsv, status, <patient>.heatmap.png are reserved); rename the sample")


def test_a_heatmap_name_of_another_patient_is_no_clash(toy_cohort: Path) -> None:
    edit(toy_cohort / "samples.tsv", "P1\tP1_CTC01", "P1\tP2.heatmap.png")
    edit(toy_cohort / "units.tsv", "P1_CTC01\tpanel", "P2.heatmap.png\tpanel")
    assert "P2.heatmap.png" in load(toy_cohort).samples.index


def test_units_whose_outputs_share_a_name_are_refused(toy_cohort: Path) -> None:
    # P1_CTC01 + lane.1 and P1_CTC01.lane + 1 both make P1_CTC01.lane.1
    edit(toy_cohort / "samples.tsv", "P1\tP1_CTC01\tctc\tPicoPLEX\t\n",
         "P1\tP1_CTC01\tctc\tPicoPLEX\t\nP1\tP1_CTC01.lane\tctc\tPicoPLEX\t\n")
    edit(toy_cohort / "units.tsv", "P1_CTC01\tpanel\tpanel", "P1_CTC01\tlane.1\tpanel")
    (toy_cohort / "reads" / "other.R1.fastq.gz").write_bytes(
        (toy_cohort / "reads" / "primary.R1.fastq.gz").read_bytes())
    with (toy_cohort / "units.tsv").open("a") as handle:
        handle.write("P1_CTC01.lane\t1\tpanel\treads/other.R1.fastq.gz\t\n")
    with pytest.raises(SheetError) as raised:
        load(toy_cohort)
    assert str(raised.value) == (
        f"{toy_cohort / 'units.tsv'} lines 3, 4: sample 'P1_CTC01' unit 'lane.1' and sample "
        "'P1_CTC01.lane' unit '1' both name their outputs 'P1_CTC01.lane.1' (<sample>.<unit>), "
        "so they would be one job; rename one of the units")


def test_a_byte_order_mark_and_windows_line_ends_are_read(toy_cohort: Path) -> None:
    for sheet in ("samples.tsv", "units.tsv"):
        path = toy_cohort / sheet
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    sheets = load(toy_cohort)
    assert list(sheets.samples.columns[:2]) == ["patient", "sample"]
    assert sheets.samples.loc["P1_primary", "purity"] == pytest.approx(0.6)
    assert sheets.units.loc[("P1_primary", "lowpass"), "fq2"] is None
    assert sheets.units.loc[("P1_CTC01", "panel"), "fq2"] == "reads/cell.R2.fastq.gz"
    edit(toy_cohort / "samples.tsv", "\tctc\t", "\tctx\t")
    with pytest.raises(SheetError, match=r"samples.tsv line 3: column 'type' is 'ctx';"):
        load(toy_cohort)


def test_a_sheet_not_in_utf8_is_named(toy_cohort: Path) -> None:
    path = toy_cohort / "samples.tsv"
    path.write_bytes(path.read_bytes().replace(b"PicoPLEX", "PicoPLEX\u00e9".encode("latin-1")))
    with pytest.raises(SheetError, match=r"samples.tsv line 3: not UTF-8 text; save the sheet "
                                         r"as UTF-8"):
        load(toy_cohort)


def test_every_problem_is_reported_at_once(toy_cohort: Path) -> None:
    edit(toy_cohort / "samples.tsv", "\tctc\t", "\tcirculating\t")
    edit(toy_cohort / "samples.tsv", "P1\tP1_primary", "P 1\tP1_primary")
    with pytest.raises(SheetError) as raised:
        load(toy_cohort)
    assert "line 2" in str(raised.value) and "line 3" in str(raised.value)


def test_panel_unit_without_targets_names_the_config_key(toy_cohort: Path) -> None:
    with pytest.raises(SheetError, match="set targets: panel: in the config"):
        load_sheets(toy_cohort / "samples.tsv", toy_cohort / "units.tsv", SCHEMAS,
                    base=toy_cohort, targets={"panel": None})


def test_comment_lines_keep_line_numbers_true(toy_cohort: Path) -> None:
    edit(toy_cohort / "samples.tsv", "P1\tP1_CTC01\tctc", "# a comment\nP1\tP1_CTC01\tctx")
    with pytest.raises(SheetError, match=r"samples.tsv line 4: column 'type' is 'ctx'"):
        load(toy_cohort)


@pytest.mark.parametrize("case", ["duplicate_sample", "fastq_does_not_exist", "unknown_type"])
def test_snakemake_stops_before_any_job(toy_cohort: Path, case: str) -> None:
    sheet, old, new, expected = BROKEN[case]
    edit(toy_cohort / sheet, old, new)
    result = snakemake(toy_cohort, "--cores", "1")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Invalid sample sheets" in output
    for fragment in expected:
        assert fragment in output
    assert "Traceback" not in output
    assert not (toy_cohort / "results").exists()


def test_config_error_is_named(toy_cohort: Path) -> None:
    edit(toy_cohort / "config.yaml", "build: toy", "build: toy\n  fasta_index: x")
    result = snakemake(toy_cohort, "--cores", "1", "-n")
    assert result.returncode != 0
    assert "fasta_index" in result.stdout + result.stderr


def test_missing_reference_is_named(toy_cohort: Path) -> None:
    edit(toy_cohort / "config.yaml", "fasta: genome.fa", "fasta: genome2.fa")
    result = snakemake(toy_cohort, "--cores", "1", "-n")
    assert result.returncode != 0
    assert "reference.fasta 'genome2.fa' does not exist" in result.stdout + result.stderr
