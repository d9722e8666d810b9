"""Sample/unit sheet validation: every broken sheet fails before any job runs,
with a message naming the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SCHEMAS, edit, snakemake
from conftest import load_cohort_sheets as load

from ctc_profiler.sheets import SheetError, load_sheets


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
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_sheet_names_file_line_and_problem(toy_cohort: Path, case: str) -> None:
    sheet, old, new, expected = BROKEN[case]
    edit(toy_cohort / sheet, old, new)
    with pytest.raises(SheetError) as raised:
        load(toy_cohort)
    for fragment in expected:
        assert fragment in str(raised.value)


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
