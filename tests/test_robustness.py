"""Faults during a run, with real Snakemake on a small simulated cohort (one
patient: a primary, a WBC, two CTCs; low-pass WGS and a paired panel):

* truncated or broken FASTQs, and mates of different lengths, make their
  sample not_assessable with the check's message in status, discordance,
  patient table and report; every other sample is called, nothing is made
  from the damaged files, and the run ends non-zero naming every damaged unit,
  the same on a second start;
* a MultiQC title with an apostrophe reaches the report (shell arguments are
  quoted by Snakemake);
* a run killed mid-alignment (SIGTERM or SIGKILL to its process group) leaves
  no partial BAM under a final name and resumes to the same results;
* FASTQ paths with spaces work and nothing is written outside `results`;
* two runs give identical BAM records, copy-number tables, status,
  discordance and patient tables, and VCF records.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ROOT, run, snakemake

pytestmark = pytest.mark.workflow

SAMPLES = ["P1_primary", "P1_WBC01", "P1_CTC01", "P1_CTC02"]
LIBRARIES = ["lowpass_wgs", "panel"]
BAMS = [f"bam/{s}.{lib}.bam" for s in SAMPLES for lib in LIBRARIES]
TABLES = ["copy_number/summary.tsv"] + [
    f"copy_number/{s}/{name}" for s in SAMPLES for name in ("bins.tsv", "segments.tsv", "genes.tsv")
]
# the cohort's answer: byte-identical tables and identical VCF records
FINAL = ["status.tsv", "discordance.tsv", "patients.tsv", "variants/P1.vcf.gz"]
COHORT = ["--ctcs", "2", "--amplified-ctcs", "1", "--egfr-l858r-ctcs", "0", "--wbcs", "1",
          "--reads-per-cell", "25000", "--primary-reads", "30000", "--panel-reads", "800",
          "--scale-divisor", "55"]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The simulated cohort, its reference indexed once for every run."""
    directory = tmp_path_factory.mktemp("robustness_cohort")
    made = run([sys.executable, str(ROOT / "simulator/simulate_cohort.py"),
                "--outdir", "mini", "--seed", "3", *COHORT], cwd=directory)
    assert made.returncode == 0, made.stderr
    indexed = run(["bwa", "index", "mini/reference/genome.fa"], cwd=directory)
    assert indexed.returncode == 0, indexed.stderr
    return directory / "mini"


def workdir_for(cohort: Path, workdir: Path, results: str = "results") -> Path:
    """A working directory holding a copy of the cohort and its config."""
    shutil.copytree(cohort, workdir / "mini")
    config = (workdir / "mini" / "config.yaml").read_text()
    config = config.replace("results: results", f"results: {results}")
    (workdir / "config.yaml").write_text(config)
    return workdir


LOWPASS_BAMS = [path for path in BAMS if "lowpass_wgs" in path]


def targets(results: str = "results", bams: list[str] = BAMS) -> list[str]:
    return [f"{results}/{path}" for path in bams + ["copy_number/summary.tsv"]]


def records_digest(bam: Path) -> str:
    """MD5 of a BAM's records (no header: it holds paths and command lines)."""
    view = subprocess.run(["samtools", "view", str(bam)], capture_output=True, check=True)
    return hashlib.md5(view.stdout).hexdigest()


def final_outputs(results: Path) -> dict[str, str]:
    """Digest of the status tables and of the patient VCF's records (its
    header holds command lines and dates)."""
    digests = {path: hashlib.md5((results / path).read_bytes()).hexdigest()
               for path in FINAL if path.endswith(".tsv")}
    view = subprocess.run(["bcftools", "view", "-H", str(results / FINAL[-1])],
                          capture_output=True, check=True)
    return digests | {FINAL[-1]: hashlib.md5(view.stdout).hexdigest()}


def outputs(results: Path, bams: list[str] = BAMS) -> dict[str, str]:
    """Digest of the BAMs' records and of every copy-number table."""
    digests = {path: records_digest(results / path) for path in bams}
    digests |= {path: hashlib.md5((results / path).read_bytes()).hexdigest() for path in TABLES}
    return digests


@pytest.fixture(scope="module")
def baseline(cohort: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An uninterrupted run of the cohort."""
    workdir = workdir_for(cohort, tmp_path_factory.mktemp("baseline"))
    result = snakemake(workdir, "--cores", "2", *targets(), *(f"results/{p}" for p in FINAL))
    assert result.returncode == 0, result.stderr[-3000:]
    return outputs(workdir / "results") | final_outputs(workdir / "results")


# ---------------------------------------------------------------- damaged input
DAMAGED = {  # sample: the start of its verdict, as check_fastq words it
    "P1_CTC02": "FASTQ check failed: unit P1_CTC02.lowpass_wgs: 'mini/reads/P1_CTC02.lowpass_wgs.R1"
                ".fastq.gz' ends in the middle of its gzip stream after line ",
    "P1_WBC01": "FASTQ check failed: unit P1_WBC01.panel: 'mini/reads/P1_WBC01.panel.R2.fastq.gz' "
                "line 1201: the record of read 'P1_WBC01:panel:301' has 100 bases but 19 quality values",
    "P1_primary": "FASTQ check failed: unit P1_primary.panel: fq1 'mini/reads/P1_primary.panel.R1"
                  ".fastq.gz' holds 2400 reads but fq2 'mini/reads/P1_primary.panel.R2.fastq.gz' 500",
}
TITLE = "Anne's cohort"


@pytest.fixture(scope="module")
def damaged_run(cohort: Path, tmp_path_factory: pytest.TempPathFactory):
    """The cohort with three damaged units (a cut gzip, a record without its
    quality line, an R2 shorter than its R1) and a MultiQC title with an
    apostrophe, run twice to the default target; returns the working
    directory and both runs."""
    workdir = workdir_for(cohort, tmp_path_factory.mktemp("damaged"))
    config = yaml.safe_load((workdir / "config.yaml").read_text())
    config.setdefault("multiqc", {})["title"] = TITLE
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    reads = workdir / "mini" / "reads"
    cut = reads / "P1_CTC02.lowpass_wgs.R1.fastq.gz"
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) // 2])  # a copy interrupted half-way
    broken = reads / "P1_WBC01.panel.R2.fastq.gz"
    with gzip.open(broken, "rt") as handle:
        lines = handle.readlines()
    del lines[4 * 300 + 3]  # the quality line of read 301
    with gzip.open(broken, "wt") as handle:
        handle.writelines(lines)
    short = reads / "P1_primary.panel.R2.fastq.gz"  # a valid gzip with fewer reads than R1
    with gzip.open(short, "rt") as handle:
        lines = handle.readlines()
    with gzip.open(short, "wt") as handle:
        handle.writelines(lines[: 4 * 500])
    first = snakemake(workdir, "--cores", "2")
    tables = {name: (workdir / "results" / name).read_bytes() for name in FINAL[:3]}
    second = snakemake(workdir, "--cores", "2")
    return workdir, first, tables, second


def tsv_rows(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_damaged_fastqs_make_their_sample_not_assessable_and_the_rest_is_called(damaged_run) -> None:
    workdir, result, _, _ = damaged_run
    assert result.returncode != 0
    output = result.stdout + result.stderr
    # found as each unit is read, on the console beside the log...
    assert "Error: unit P1_CTC02.lowpass_wgs: 'mini/reads/P1_CTC02.lowpass_wgs.R1.fastq.gz' ends in " \
           "the middle" in output
    logs = workdir / "results" / "logs" / "check_fastq"
    assert "the record of read 'P1_WBC01:panel:301' has" in (logs / "P1_WBC01.panel.log").read_text()
    # ...and the run's last job names every damaged unit
    assert "Error in rule fastq_failures" in output
    assert ("Error: 3 unit(s) failed the FASTQ check; sample(s) P1_CTC02, P1_WBC01, P1_primary "
            "are not_assessable") in output
    for reason in DAMAGED.values():
        assert f"  {reason.removeprefix('FASTQ check failed: ')}" in output
    assert "Error in rule check_fastq" not in output

    results = workdir / "results"
    status = {row["sample"]: row for row in tsv_rows(results / "status.tsv")}
    assert list(status) == SAMPLES
    for sample, reason in DAMAGED.items():
        row = status[sample]
        assert row["qc_pass"] == "false" and row["qc_reason"].startswith(reason), row
        assert row["her2_status"] == row["egfr_status"] == "not_assessable"
    # the sound cell is called as usual, normalised to itself: the damaged
    # WBC is no member of its reference
    cell = status["P1_CTC01"]
    assert cell["qc_pass"] == "true" and cell["her2_status"] == "positive", cell
    assert cell["reference"] == "self" and cell["egfr_status"] != "not_assessable"
    hotspots = tsv_rows(results / "variants" / "P1.hotspots.tsv")
    assert {row["sample"] for row in hotspots} == {"P1_CTC01"}
    vcf_samples = subprocess.run(["bcftools", "query", "-l", str(results / "variants" / "P1.vcf.gz")],
                                 capture_output=True, text=True, check=True).stdout.split()
    assert vcf_samples == ["P1_CTC01"]

    discordance = tsv_rows(results / "discordance.tsv")
    assert {row["ctc"] for row in discordance} == {"P1_CTC01", "P1_CTC02"}
    assert {row["call"] for row in discordance} == {"not_assessable"}  # the primary is damaged
    for row in discordance:
        assert row["note"].startswith(f"primary not assessable: {DAMAGED['P1_primary']}"), row
        if row["ctc"] == "P1_CTC02":
            assert f"; CTC failed QC: {DAMAGED['P1_CTC02']}" in row["note"], row
    patient = tsv_rows(results / "patients.tsv")[0]
    assert (patient["ctcs"], patient["ctcs_qc_pass"], patient["wbc_controls"]) == ("2", "1", "0")
    assert f"not assessable: P1_primary ({DAMAGED['P1_primary']}" in patient["note"]
    assert f"; P1_CTC02 ({DAMAGED['P1_CTC02']}" in patient["note"]
    report = results / "multiqc" / "multiqc_report.html"
    assert report.is_file()
    status_section = (results / "qc" / "report" / "ctc_status_mqc.yaml").read_text()
    assert "FASTQ check failed: unit P1_CTC02.lowpass_wgs" in status_section

    # nothing is made from a damaged file, nor from its sample's other units
    assert sorted(p.name for p in (results / "bam").glob("*.bam")) == [
        "P1_CTC01.lowpass_wgs.bam", "P1_CTC01.panel.bam"]
    assert sorted(p.name for p in (results / "qc" / "fastp").glob("*.json")) == [
        "P1_CTC01.lowpass_wgs.fastp.json", "P1_CTC01.panel.fastp.json"]
    assert not list(results.glob("trimmed/P1_CTC02*")) and not list(results.glob("bam/units/*"))
    for sample in DAMAGED:
        assert not (results / "copy_number" / sample).exists()
    assert not list(results.rglob("*.part")), "a partial file was left"
    assert not (results / "qc" / "fastq_check" / "all_units_passed.txt").exists()


def test_a_second_start_of_a_damaged_run_ends_the_same(damaged_run) -> None:
    workdir, _, tables, second = damaged_run
    assert second.returncode != 0
    output = second.stdout + second.stderr
    assert "Error: 3 unit(s) failed the FASTQ check" in output
    ran = set(re.findall(r"^(?:local)?(?:rule|checkpoint) (\w+):", output, re.MULTILINE))
    assert ran == {"fastq_failures"}, ran  # everything else was up to date
    assert {name: (workdir / "results" / name).read_bytes() for name in tables} == tables


def test_a_title_with_an_apostrophe_reaches_the_report(damaged_run) -> None:
    workdir, _, _, _ = damaged_run
    report = (workdir / "results" / "multiqc" / "multiqc_report.html").read_text()
    assert f"<title>{TITLE}: MultiQC Report</title>" in report


def test_a_cohort_whose_every_unit_is_damaged_still_gets_its_tables(cohort: Path, tmp_path: Path) -> None:
    workdir = workdir_for(cohort, tmp_path)
    for fastq in (workdir / "mini" / "reads").glob("*.fastq.gz"):
        data = fastq.read_bytes()
        fastq.write_bytes(data[: len(data) // 2])
    result = snakemake(workdir, "--cores", "2")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Error in rule fastq_failures" in output and "Error: 8 unit(s) failed" in output
    results = workdir / "results"
    status = tsv_rows(results / "status.tsv")
    assert [row["sample"] for row in status] == SAMPLES
    assert all(row["qc_reason"].startswith("FASTQ check failed: unit ") for row in status)
    assert (results / "multiqc" / "multiqc_report.html").is_file()
    assert not (results / "bam").exists() and not (results / "variants" / "P1.vcf.gz").exists()


# ---------------------------------------------------------------- interruption
def group_processes(pgid: int) -> list[str]:
    """Command names of the live processes of a process group."""
    names = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1: stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            names.append(name)
    return names


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_mid_alignment_resumes_to_identical_results(
        cohort: Path, baseline: dict[str, str], tmp_path: Path, sig: signal.Signals) -> None:
    workdir = workdir_for(cohort, tmp_path)
    cmd = [str(BIN / "snakemake"), "--snakefile", str(ROOT / "Snakefile"), "--directory",
           str(workdir), "--configfile", str(workdir / "config.yaml"), "--cores", "2",
           *targets(bams=LOWPASS_BAMS)]
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    log = (tmp_path / "killed_run.log").open("w")
    process = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 300
    while "bwa" not in group_processes(process.pid):
        assert process.poll() is None, "the run ended before any alignment started"
        assert time.monotonic() < deadline, "no alignment started within 5 minutes"
        time.sleep(0.02)
    os.killpg(process.pid, sig)
    process.wait(timeout=120)
    for _ in range(100):  # the group's last processes exit
        if not group_processes(process.pid):
            break
        time.sleep(0.1)
    results = workdir / "results"
    finished = [path for path in LOWPASS_BAMS if (results / path).exists()]
    assert len(finished) < len(LOWPASS_BAMS), "killed too late: every BAM was already made"
    for path in finished:  # a BAM under its final name is complete
        assert records_digest(results / path) == baseline[path], f"partial {path}"
    for bam in (results / "bam" / "units").glob("*.bam"):
        check = subprocess.run(["samtools", "quickcheck", str(bam)], capture_output=True)
        assert check.returncode == 0, f"truncated unit BAM {bam.name} under its final name"

    if sig == signal.SIGKILL:  # Snakemake had no chance to release its lock
        locked = snakemake(workdir, "--cores", "2", *targets(bams=LOWPASS_BAMS))
        assert locked.returncode != 0
        assert "It can be removed with the --unlock argument" in locked.stderr
        assert snakemake(workdir, "--unlock").returncode == 0
    resumed = snakemake(workdir, "--cores", "2", "--rerun-incomplete", *targets(bams=LOWPASS_BAMS))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    expected = {path: digest for path, digest in baseline.items()
                if path not in BAMS and path not in FINAL}
    expected |= {path: baseline[path] for path in LOWPASS_BAMS}
    assert outputs(results, LOWPASS_BAMS) == expected


# ---------------------------------------------------------------- paths, determinism
@pytest.fixture(scope="module")
def spaced_run(cohort: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """A run whose FASTQs and reference sit under names with spaces and whose
    results go to a subdirectory; returns the working directory and the files
    outside the results that were added or changed by the run."""
    workdir = workdir_for(cohort, tmp_path_factory.mktemp("spaced run"), "out/results")
    (workdir / "mini" / "reads").rename(workdir / "mini" / "raw reads")
    for fastq in (workdir / "mini" / "raw reads").iterdir():
        fastq.rename(fastq.with_name(fastq.name.replace(".", " ", 1)))
    units = (workdir / "mini" / "units.tsv").read_text()
    for sample in SAMPLES:
        units = units.replace(f"mini/reads/{sample}.", f"mini/raw reads/{sample} ")
    (workdir / "mini" / "units.tsv").write_text(units)
    (workdir / "mini" / "reference").rename(workdir / "mini" / "ref genome")
    config = (workdir / "config.yaml").read_text().replace("mini/reference/", "mini/ref genome/")
    (workdir / "config.yaml").write_text(config)

    def snapshot() -> dict[str, tuple[int, int]]:
        found = {}
        for path in workdir.rglob("*"):
            relative = path.relative_to(workdir)
            if relative.parts[0] == ".snakemake" or relative.parts[:2] == ("out", "results"):
                continue
            stat = path.lstat()
            found[str(relative)] = (stat.st_size, stat.st_mtime_ns)
        return found

    before = snapshot()
    result = snakemake(workdir, "--cores", "2", *targets("out/results"),
                       *(f"out/results/{p}" for p in FINAL))
    assert result.returncode == 0, result.stderr[-3000:]
    after = snapshot()
    changed = {path for path, state in after.items() if before.get(path) != state}
    return workdir, changed


def test_paths_with_spaces_work_end_to_end(spaced_run: tuple[Path, set[str]]) -> None:
    workdir, _ = spaced_run
    results = workdir / "out" / "results"
    for path in BAMS:
        assert (results / path).is_file()
    assert "mini/raw reads/P1_CTC01 panel.R2.fastq.gz" in (workdir / "mini" / "units.tsv").read_text()
    summary = (results / "copy_number" / "summary.tsv").read_text()
    assert all(sample in summary for sample in SAMPLES)


def test_nothing_is_written_outside_the_results(spaced_run: tuple[Path, set[str]]) -> None:
    _, changed = spaced_run
    assert changed == {"out"}, f"written outside out/results: {sorted(changed - {'out'})}"


def test_two_runs_give_identical_records_and_tables(
        spaced_run: tuple[Path, set[str]], baseline: dict[str, str]) -> None:
    workdir, _ = spaced_run
    results = workdir / "out" / "results"
    assert outputs(results) | final_outputs(results) == baseline


def test_full_run_writes_nothing_outside_results(demo_run: Path) -> None:
    """The whole demo, MultiQC included: only results/ and .snakemake/ are new."""
    made = {p.name for p in demo_run.iterdir()} - {"demo", "config.yaml"}
    assert made <= {"results", ".snakemake"}, sorted(made)
