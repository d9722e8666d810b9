"""The demo cohort through a real SLURM cluster with the project's slurm profile.

`make slurm` (tests/slurm/start_cluster.sh) starts a single-node cluster with
accounting; CI does so before `make test`. The run is checked with SLURM's own
accounting (sacct): every job ran as a SLURM job named after the run and
commented with its rule (or its group of per-cell rules), and the results
equal the local demo run's.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pysam
import pytest

from conftest import ROOT, component_missing, snakemake

pytestmark = pytest.mark.workflow

# rules whose jobs run as one SLURM job per sample and library (profile groups)
CELL_GROUP_RULES = {"fastp", "bwa_mem", "merge_markdup", "bin_counts"}
# the FASTQ checks before the chains: up to 20 units per SLURM job
CHECKS_PER_JOB = 20
# rules that run as jobs of their own
SINGLE_RULES = {"link_reference", "place_resource", "bwa_index", "copy_number_bins", "gene_windows",
                "reference_normals", "call_copy_number", "copy_number_summary"}


def command_output(*cmd: str, timeout: int = 20) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def cluster_problem() -> str | None:
    """Why no SLURM cluster can be used here, or None when sinfo reaches one."""
    if not shutil.which("sinfo"):
        return "sinfo is not installed; `make slurm` installs and starts a single-node cluster"
    try:
        states = command_output("sinfo", "-h", "-o", "%T")
    except subprocess.TimeoutExpired:
        return "sinfo timed out; start the cluster with `make slurm`"
    if states.returncode != 0:
        return f"sinfo cannot reach a cluster ({states.stderr.strip()}); run `make slurm`"
    if not re.search(r"^(idle|mixed|allocated)", states.stdout, re.M):
        return f"no SLURM node is up (sinfo: {states.stdout.strip()}); run `make slurm`"
    return None


def node_limits() -> tuple[int, int]:
    """CPUs and memory (MB) of the smallest node of the default partition."""
    out = command_output("sinfo", "-h", "-N", "-o", "%c %m").stdout.split()
    cpus = [int(c) for c in out[0::2]]
    memory = [int(m.rstrip("+")) for m in out[1::2]]
    return min(cpus), min(memory)


def sample_libraries(workdir: Path) -> set[tuple[str, str]]:
    return {(row["sample"], row["library"]) for row in tsv(workdir / "demo" / "units.tsv")}


def panel_cell(workdir: Path) -> str:
    return sorted(s for s, lib in sample_libraries(workdir) if lib == "panel" and "CTC" in s)[0]


def chains(workdir: Path) -> set[tuple[str, str]]:
    """(sample, library) of the BAMs the SLURM run makes: every sample's
    low-pass library (its copy number) and one cell's panel library."""
    samples = {s for s, _ in sample_libraries(workdir)}
    return {(s, "lowpass_wgs") for s in samples} | {(panel_cell(workdir), "panel")}


def targets(workdir: Path) -> list[str]:
    """The copy-number summary (with the status tables and BAMs it is made of)
    and one cell's panel BAM, so both library kinds pass through SLURM. The
    other panel chains, plots, metrics, variants and MultiQC are left out to
    keep the test short on two cores; they use the same executor and profile."""
    return ["results/copy_number/summary.tsv", f"results/bam/{panel_cell(workdir)}.panel.bam"]


def tsv(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def mapped_reads(bam: Path) -> dict[str, int]:
    """Reads per contig (samtools idxstats: mapped + unmapped)."""
    return {line.split("\t")[0]: int(line.split("\t")[2]) + int(line.split("\t")[3])
            for line in pysam.idxstats(str(bam)).splitlines()}


@pytest.fixture(scope="session")
def slurm_run(demo_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo of the local run (same reads, same config) run again through SLURM."""
    if problem := cluster_problem():
        component_missing(f"no SLURM cluster: {problem}")
    workdir = tmp_path_factory.mktemp("slurm_run")
    shutil.copytree(demo_run / "demo", workdir / "demo")
    shutil.copy(demo_run / "config.yaml", workdir / "config.yaml")
    cpus, memory = node_limits()
    args = [
        # as the workflow profile, in place of profiles/default (docs/hpc.md)
        "--workflow-profile", str(ROOT / "profiles" / "slurm"),
        # each job (a group too) asks for at most half the node's CPUs, so two
        # jobs share a small node: demo jobs spend most of their time starting
        # Snakemake and Python, one CPU each
        "--cores", str(max(1, cpus // 2)),
        "--jobs", "10",
        # the demo's jobs take seconds: poll sacct sooner than the default 40 s
        "--slurm-init-seconds-before-status-checks", "5",
        "--latency-wait", "10",
        "--retries", "0",
        # keep the SLURM logs of successful jobs to check what ran inside them
        "--slurm-keep-successful-logs",
    ]
    if memory < 17000:
        # bwa's memory is sized for a human genome; the demo genome needs < 300 MB
        args += ["--set-resources", f"bwa_mem:mem_mb={memory // 3}",
                 f"bwa_index:mem_mb={memory // 3}"]
    result = snakemake(workdir, *args, *targets(workdir), timeout=1500)
    (workdir / "snakemake.log").write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        pytest.fail(f"SLURM run failed:\n{(result.stdout + result.stderr)[-5000:]}")
    return workdir


def run_ids(workdir: Path) -> set[str]:
    log = (workdir / "snakemake.log").read_text()
    return set(re.findall(r"SLURM run ID: (\S+)", log))


def sacct_jobs(run_id: str) -> list[dict[str, str]]:
    result = command_output(
        "sacct", "-X", "--parsable2", "--starttime", "now-1days", "--name", run_id,
        "--format", "JobIDRaw,JobName,Comment,State,ExitCode,AllocCPUS,ReqMem,Elapsed")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    header = lines[0].split("|")
    return [dict(zip(header, line.split("|"))) for line in lines[1:]]


def test_jobs_ran_as_slurm_jobs(slurm_run: Path) -> None:
    ids = run_ids(slurm_run)
    assert len(ids) == 1, f"expected one SLURM run ID in the log, found {ids}"
    jobs = sacct_jobs(ids.pop())
    assert jobs, "sacct knows no job of this run"
    assert all(job["State"] == "COMPLETED" and job["ExitCode"] == "0:0" for job in jobs), jobs
    # no job, not even a group of parallel steps, asked for more CPUs than --cores
    cpus, _ = node_limits()
    assert all(0 < int(job["AllocCPUS"]) <= max(1, cpus // 2) for job in jobs), jobs
    comments = [job["Comment"] for job in jobs]
    # the plugin comments each job with rule_<rule>[_wildcards_<values>]
    single = {c.removeprefix("rule_").split("_wildcards_")[0] for c in comments
              if not c.startswith(("rule_cell_", "rule_checks_"))}
    assert single == SINGLE_RULES, single
    # every unit of the sheet is checked (the summary needs every patient's
    # verdicts), a group of checks per job
    checks = [c for c in comments if c.startswith("rule_checks_")]
    units = len(tsv(slurm_run / "demo" / "units.tsv"))
    assert len(checks) == -(-units // CHECKS_PER_JOB), comments
    # the per-cell chain is one job per sample and library, commented with
    # its group and (the first five of) its rules, not one job per rule
    groups = [c for c in comments if c.startswith("rule_cell_")]
    assert len(groups) == len(chains(slurm_run)), comments
    for comment in groups:
        assert "bwa_mem" in comment and "fastp" in comment, comment
    # the copy-number library's chain also counts reads per bin
    assert sum("bin_counts" in c for c in groups) == len(
        {s for s, _ in sample_libraries(slurm_run)}), groups


def test_group_jobs_ran_every_rule_of_the_chain(slurm_run: Path) -> None:
    logs = sorted((slurm_run / ".snakemake" / "slurm_logs").rglob("*.log"))
    group_logs = [p.read_text() for p in logs if "group_cell" in str(p)]
    assert len(group_logs) == len(chains(slurm_run)), logs
    for rule in CELL_GROUP_RULES:
        assert any(f"rule {rule}:" in text for text in group_logs), rule
    for text in group_logs:
        assert all(f"rule {rule}:" in text for rule in ("fastp", "bwa_mem", "merge_markdup"))
    check_logs = [p.read_text() for p in logs if "group_checks" in str(p)]
    assert check_logs and all("rule check_fastq:" in text for text in check_logs)
    for unit in tsv(slurm_run / "demo" / "units.tsv"):
        verdict = f"results/qc/fastq_check/{unit['sample']}.{unit['unit']}.json"
        assert any(verdict in text for text in check_logs), verdict


def test_results_equal_the_local_run(slurm_run: Path, demo_run: Path) -> None:
    summary = "results/copy_number/summary.tsv"
    assert tsv(slurm_run / summary) == tsv(demo_run / summary)
    statuses = sorted((demo_run / "results" / "copy_number").glob("*/status.tsv"))
    assert len(statuses) == len({s for s, _ in sample_libraries(demo_run)})
    for local in statuses:
        relative = local.relative_to(demo_run)
        assert tsv(slurm_run / relative) == tsv(local), relative
    bams = sorted(p.name for p in (slurm_run / "results" / "bam").glob("*.bam"))
    assert bams == sorted(f"{s}.{lib}.bam" for s, lib in chains(slurm_run))
    for name in bams:
        local = demo_run / "results" / "bam" / name
        assert mapped_reads(slurm_run / "results" / "bam" / name) == mapped_reads(local), name
