"""The identity check run by the workflow: a second patient joins the demo
cohort and one CTC of each patient has the other's FASTQs (a swapped tube).
Both swapped cells are named as the other patient's, left out of their
patient's flags and named in the report's verdict; no other sample is
called a mismatch."""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run, snakemake

pytestmark = pytest.mark.workflow

SWAPPED = ("P1_CTC04", "P2_CTC04")


def rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open() as handle:
        table = list(csv.DictReader(handle, delimiter="\t"))
    key = "sample" if "sample" in table[0] else "patient"
    return {row[key]: row for row in table}


@pytest.fixture(scope="module")
def swapped_run(demo_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("identity") / "run"
    shutil.copytree(demo_run, workdir, symlinks=True)
    # another person on the same genome: patient P2 of the demo design for two
    # patients (its P1 is the demo's own, byte for byte)
    made = run([sys.executable, str(ROOT / "simulator/simulate_cohort.py"), "--outdir", "other", "--seed", "1",
                "--patients", "2"], cwd=workdir)
    assert made.returncode == 0, made.stderr

    def with_p2(name: str) -> str:
        lines = (workdir / "other" / name).read_text().splitlines(keepends=True)[1:]
        return (workdir / "demo" / name).read_text() + "".join(line for line in lines if "P2_" in line)

    samples, units = with_p2("samples.tsv"), with_p2("units.tsv")
    # the two CTC04s trade tubes: each one's row names the other's files
    first, second = "demo/reads/P1_CTC04.", "other/reads/P2_CTC04."
    units = units.replace(first, "@@").replace(second, first).replace("@@", second)
    (workdir / "samples.tsv").write_text(samples)
    (workdir / "units.tsv").write_text(units)
    config = (workdir / "config.yaml").read_text()
    (workdir / "config.yaml").write_text(
        config.replace("demo/samples.tsv", "samples.tsv").replace("demo/units.tsv", "units.tsv"))
    result = snakemake(workdir, "--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


def test_swapped_cells_are_named_as_the_other_patients(swapped_run: Path) -> None:
    identity = rows(swapped_run / "results/identity/identity.tsv")
    assert identity["P1_CTC04"]["identity"].startswith("mismatch: looks like P2")
    assert identity["P2_CTC04"]["identity"].startswith("mismatch: looks like P1")
    others = [s for s in identity if s not in SWAPPED]
    assert len(others) == 12
    assert not [s for s in others if identity[s]["identity"].startswith("mismatch")]
    # the bulk samples and WBCs, with the most reads at the panel's SNPs, are sure
    for sample in ("P1_primary", "P2_primary", "P1_WBC01", "P2_WBC01"):
        assert identity[sample]["identity"] == "match", identity[sample]
    status = rows(swapped_run / "results/status.tsv")
    assert status["P1_CTC04"]["identity"] == identity["P1_CTC04"]["identity"]


def test_a_swapped_cell_is_left_out_of_its_patients_flags_and_named_in_the_verdict(swapped_run: Path) -> None:
    patients = rows(swapped_run / "results/patients.tsv")
    assert patients["P1"]["identity_mismatches"] == "P1_CTC04"
    assert patients["P2"]["identity_mismatches"] == "P2_CTC04"
    assert "P1_CTC04 (mismatch: looks like P2" in patients["P1"]["note"]
    # counted without it: the demo patient has 4 CTCs, one of them left out
    assert patients["P1"]["ctcs"] == "3"
    report = (swapped_run / "results/multiqc/multiqc_report.html").read_text()
    assert "P1_CTC04 left out: mismatch: looks like P2" in report


# one patient, low-pass reads alone (no panel), 1 M human-equivalent reads per
# cell (`benchmarks/accuracy_grid.simulated_reads(1_000_000)`), patients
# sharing their common SNPs: the simulator writes their population
# frequencies as resources/population_af.vcf.gz and names it in the config
ONE_PATIENT = ["--patients", "1", "--ctcs", "3", "--wbcs", "2", "--no-panel", "--kit", "PicoPLEX",
               "--reads-per-cell", "38667", "--shared-germline-fraction", "0.9"]


def identities(workdir: Path) -> dict[str, str]:
    return {s: row["identity"] for s, row in rows(workdir / "results/identity/identity.tsv").items()}


@pytest.fixture(scope="module")
def one_patient(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str], Path]:
    """Identity verdicts of a one-patient low-pass run without, then with, resources.germline."""
    workdir = tmp_path_factory.mktemp("one_patient")
    made = run([sys.executable, str(ROOT / "simulator/simulate_cohort.py"), "--outdir", "cohort", "--seed", "1",
                *ONE_PATIENT], cwd=workdir)
    assert made.returncode == 0, made.stderr
    config = (workdir / "cohort/config.yaml").read_text()
    assert "germline: cohort/resources/population_af.vcf.gz" in config
    (workdir / "config.yaml").write_text(config.replace("germline: cohort/resources/population_af.vcf.gz",
                                                        "germline: null"))
    target = "results/identity/identity.tsv"
    result = snakemake(workdir, "--cores", "2", target)
    assert result.returncode == 0, result.stderr[-3000:]
    without = identities(workdir)
    (workdir / "config.yaml").write_text(config)
    result = snakemake(workdir, "--cores", "2", target)
    assert result.returncode == 0, result.stderr[-3000:]
    return without, identities(workdir), workdir


def test_one_patient_low_pass_cells_are_told_from_strangers_with_population_frequencies(one_patient) -> None:
    """Without the resource the only stranger the run knows is drawn from the
    patient itself, so CTCs at 1 M low-pass reads cannot be told from one;
    with it the CTCs match. No sample is ever a mismatch."""
    without, found, workdir = one_patient
    ctcs = [s for s in found if "CTC" in s]
    assert len(ctcs) == 3 and len(found) == 6
    assert not [s for s, said in {**without, **found}.items() if said.startswith("mismatch")]
    matched_without = sum(without[s] == "match" for s in ctcs)
    assert matched_without <= 1
    assert sum(found[s] == "match" for s in ctcs) >= matched_without + 2
    for sample in ("P1_primary", "P1_WBC01", "P1_WBC02"):
        assert found[sample] == "match"
    with (workdir / "results/identity/sites.tsv").open() as handle:
        frequencies = [row["population_af"] for row in csv.DictReader(handle, delimiter="\t")]
    assert sum(bool(f) for f in frequencies) > len(frequencies) / 2  # most sites are known SNPs
