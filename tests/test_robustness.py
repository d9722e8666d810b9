"""Faults during a run, with real Snakemake on a small simulated cohort (one
patient: a primary, a WBC, two CTCs; low-pass WGS and a paired panel):

* truncated or broken FASTQs, and mates of different lengths, fail their own
  unit, naming the file(s); with --keep-going every other sample completes,
  and no file is made from them;
* a run killed mid-alignment (SIGTERM or SIGKILL to its process group) leaves
  no partial BAM under a final name and resumes to the same results;
* FASTQ paths with spaces work and nothing is written outside `results`;
* two runs give identical BAM records, copy-number tables, status,
  discordance and patient tables, and VCF records.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
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
    made = run([sys.executable, str(ROOT / "workflow/scripts/simulate_cohort.py"),
                "--outdir", "mini", "--seed", "3", *COHORT], cwd=directory)
    assert made.returncode == 0, made.stderr
    indexed = run(["bwa", "index", "mini/reference/genome.fa"], cwd=directory)
    assert indexed.returncode == 0, indexed.stderr
    return directory / "mini"


def workdir_for(cohort: Path, workdir: Path, results: str = "results") -> Path:
    """A working directory holding a copy of the cohort and its config."""
    shutil.copytree(cohort, workdir / "mini")
    config = (ROOT / "config" / "config.yaml").read_text()
    config = (config.replace("config/samples.tsv", "mini/samples.tsv")
              .replace("config/units.tsv", "mini/units.tsv")
              .replace("demo/", "mini/")
              .replace("results: results", f"results: {results}"))
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
def test_damaged_fastqs_fail_their_unit_and_the_rest_completes(cohort: Path, tmp_path: Path) -> None:
    workdir = workdir_for(cohort, tmp_path)
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

    result = snakemake(workdir, "--cores", "2", "--keep-going", *targets())
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Error in rule check_fastq" in output
    logs = workdir / "results" / "logs" / "check_fastq"
    cut_log = (logs / "P1_CTC02.lowpass_wgs.log").read_text()
    assert ("'mini/reads/P1_CTC02.lowpass_wgs.R1.fastq.gz' ends in the middle of its gzip "
            "stream") in cut_log and "the file is truncated" in cut_log
    broken_log = (logs / "P1_WBC01.panel.log").read_text()
    assert ("'mini/reads/P1_WBC01.panel.R2.fastq.gz' line 1201: the record of read "
            "'P1_WBC01:panel:301' has") in broken_log and "quality values" in broken_log
    short_log = (logs / "P1_primary.panel.log").read_text()
    assert ("fq1 'mini/reads/P1_primary.panel.R1.fastq.gz' holds 2400 reads but fq2 "
            "'mini/reads/P1_primary.panel.R2.fastq.gz' 500") in short_log
    # the console names the file too, beside Snakemake's pointer to the log
    assert "P1_CTC02.lowpass_wgs.R1.fastq.gz' ends in the middle" in output

    results = workdir / "results"
    damaged = {"P1_CTC02.lowpass_wgs", "P1_WBC01.panel", "P1_primary.panel"}
    for unit in damaged:  # nothing is made from a damaged file
        assert not (results / "trimmed" / f"{unit}.fastq.gz").exists()
        assert not (results / "qc" / "fastp" / f"{unit}.fastp.json").exists()
        assert not (results / "bam" / f"{unit}.bam").exists()
    assert not list(results.rglob("*.part")), "a partial file was left"
    for bam in BAMS:
        if Path(bam).stem not in damaged:
            assert (results / bam).is_file(), f"{bam} missing: one unit's damage stopped it"
    for sample in ("P1_primary", "P1_WBC01", "P1_CTC01"):
        assert (results / "copy_number" / sample / "genes.tsv").is_file(), sample
    assert not (results / "copy_number" / "P1_CTC02" / "genes.tsv").exists()


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
