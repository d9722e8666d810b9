"""A user's own GRCh38 cohort, run as README.md's "Running your own cohort"
says: a copy of the project, the cohort in a folder of its own with its
reference and reads read-only, a config holding only the required keys, and
the README's command from the project root. The cohort is the simulator's
grch38 preset (chr7 and chr17 at real positions), so the shipped GRCh38
tables apply and their rows on other chromosomes are skipped."""

from __future__ import annotations

import csv
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ROOT, run

SECTION = "## Running your own cohort"
# Directories a run may write in the project: its outputs and Snakemake's state.
RUN_DIRS = ("results", ".snakemake")


@dataclass(frozen=True)
class UserRun:
    project: Path
    cohort: Path
    result: subprocess.CompletedProcess
    cohort_before: dict[str, tuple[int, int]]
    cohort_after: dict[str, tuple[int, int]]
    project_before: dict[str, tuple[int, int]]
    project_after: dict[str, tuple[int, int]]


def readme_command(readme: str) -> list[str]:
    """The snakemake command of the README's "Running your own cohort"."""
    assert SECTION in readme, f"README.md has no section {SECTION!r}"
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    lines = [line.strip() for line in section.splitlines()
             if re.match(r"\s*(\S*/)?snakemake\s", line) and "--configfile" in line]
    assert lines, f"no snakemake command with --configfile in README.md's {SECTION!r}"
    command = shlex.split(lines[0])
    assert command[-1] != "--configfile", command
    return command


def listing(root: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    """Every file and folder under root (relative path: size, mtime in ns),
    leaving out the top-level folders in skip."""
    found: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here == root:
            dirs[:] = [d for d in dirs if d not in skip]
        for name in dirs + files:
            path = here / name
            info = path.lstat()
            found[str(path.relative_to(root))] = (
                0 if stat.S_ISDIR(info.st_mode) else info.st_size, info.st_mtime_ns)
    return found


def copy_project(destination: Path) -> None:
    """The project's tracked files, as a user's checkout holds them."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def make_read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


@pytest.fixture(scope="module")
def user_run(tmp_path_factory: pytest.TempPathFactory) -> UserRun:
    base = tmp_path_factory.mktemp("user_cohort")
    cohort = base / "cohort"
    project = base / "project"
    simulated = run([sys.executable, str(ROOT / "simulator/simulate_cohort.py"),
                     "--outdir", str(cohort), "--preset", "grch38", "--seed", "1"], cwd=base)
    assert simulated.returncode == 0, simulated.stderr
    # A user's FASTA need not come indexed; the run must not index it in place.
    (cohort / "reference" / "genome.fa.fai").unlink()
    for folder in ("reference", "reads"):
        make_read_only(cohort / folder)

    project.mkdir()
    copy_project(project)
    # The README's command starts with .venv/bin/snakemake, as in a set-up checkout.
    (project / ".venv").symlink_to(BIN.parent, target_is_directory=True)
    command = readme_command((project / "README.md").read_text())
    # the config file goes where the README's command looks for it
    config = project / command[command.index("--configfile") + 1]
    config.write_text(yaml.safe_dump({
        "reference": {"fasta": str(cohort / "reference" / "genome.fa"), "build": "GRCh38"},
        "samples": str(cohort / "samples.tsv"),
        "units": str(cohort / "units.tsv"),
        "targets": {"panel": str(cohort / "reference" / "panel_targets.bed")},
        "results": "results",
    }, sort_keys=False))

    cohort_before, project_before = listing(cohort), listing(project, RUN_DIRS)
    try:
        result = run(command, cwd=project, timeout=1500)
    finally:
        make_writable(cohort)
    return UserRun(project, cohort, result, cohort_before, listing(cohort),
                   project_before, listing(project, RUN_DIRS))


def tsv(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")),
                                   delimiter="\t"))


def truth_status(run: UserRun) -> dict[str, str]:
    """The true HER2 status of each CTC."""
    rows = tsv(run.cohort / "truth" / "genes.tsv")
    types = {r["sample"]: r["type"] for r in tsv(run.cohort / "truth" / "samples.tsv")}
    return {r["sample"]: r["her2_status"] for r in rows
            if r["gene"] == "ERBB2" and types[r["sample"]] == "ctc"}


@pytest.mark.workflow
def test_the_readme_command_succeeds(user_run: UserRun) -> None:
    assert user_run.result.returncode == 0, user_run.result.stderr[-6000:]
    assert (user_run.project / "results" / "status.tsv").is_file()


@pytest.mark.workflow
def test_skipped_rows_on_absent_chromosomes_are_named_in_a_warning(user_run: UserRun) -> None:
    output = user_run.result.stdout + user_run.result.stderr
    warnings = [line for line in output.splitlines()
                if "warning" in line.lower() and "skip" in line.lower()]
    assert warnings, output[-4000:]
    text = "\n".join(warnings)
    # genes on chr8 and chr11, hotspots on chr3: none of them is in the reference
    for name in ("chr3", "chr8", "chr11", "FGFR1", "MYC", "CCND1"):
        assert name in text, (name, text)


@pytest.mark.workflow
def test_the_shipped_grch38_genes_and_human_bin_sizes_were_used(user_run: UserRun) -> None:
    results = user_run.project / "results" / "copy_number"
    ctc = next(iter(truth_status(user_run)))
    genes = {r["gene"]: r for r in tsv(results / ctc / "genes.tsv")}
    assert genes["ERBB2"]["chrom"] == "chr17"
    assert abs(int(genes["ERBB2"]["start"]) - 39_687_913) < 10_000
    assert genes["EGFR"]["chrom"] == "chr7"
    assert abs(int(genes["EGFR"]["start"]) - 55_019_016) < 10_000
    bins = tsv(results / ctc / "bins.tsv")
    sizes = {int(r["end"]) - int(r["start"]) for r in bins}
    assert sizes == {500_000}, sizes
    windows = [r for r in tsv(results / "bins" / "gene_windows.tsv") if r["window"] == "ERBB2"]
    assert {int(r["end"]) - int(r["start"]) for r in windows} == {50_000}
    # 1.5 Mb of 50 kb tiles on each side of the gene's window
    assert len(windows) > 50


@pytest.mark.workflow
def test_erbb2_is_read_at_17q12(user_run: UserRun) -> None:
    truth = truth_status(user_run)
    called = {r["sample"]: r for r in tsv(user_run.project / "results" / "status.tsv")}
    positive = [s for s, status in truth.items() if status == "positive"]
    negative = [s for s, status in truth.items() if status == "negative"]
    assert positive and negative, truth
    for sample in positive:
        assert called[sample]["her2_status"] == "positive", called[sample]
    for sample in negative:
        assert called[sample]["her2_status"] != "positive", called[sample]


@pytest.mark.workflow
def test_egfr_amplification_is_read_at_7p11(user_run: UserRun) -> None:
    types = {r["sample"]: r["type"] for r in tsv(user_run.cohort / "truth" / "samples.tsv")}
    truth = {r["sample"]: r["egfr_amplified"] for r in tsv(user_run.cohort / "truth" / "genes.tsv")
             if r["gene"] == "EGFR" and types[r["sample"]] == "ctc"}
    called = {r["sample"]: r for r in tsv(user_run.project / "results" / "status.tsv")}
    assert sorted(truth.values()) == ["false", "false", "true"], truth  # the preset's EGFR amplicon
    for sample, amplified in truth.items():
        assert called[sample]["egfr_amplified"] == amplified, called[sample]
    (amplified,) = [s for s, a in truth.items() if a == "true"]
    assert called[amplified]["egfr_status"] == "amplified"
    assert float(called[amplified]["egfr_z"]) >= 4


@pytest.mark.workflow
def test_nothing_is_written_in_the_cohort_folder(user_run: UserRun) -> None:
    assert user_run.cohort_after == user_run.cohort_before
    assert not (user_run.cohort / "reference" / "genome.fa.fai").exists()


@pytest.mark.workflow
def test_the_project_is_written_only_under_results_and_snakemake(user_run: UserRun) -> None:
    assert user_run.project_after == user_run.project_before


def test_readme_command_is_read_from_its_section() -> None:
    readme = ("# x\n\n## Quick start\n\n.venv/bin/snakemake --configfile other.yaml\n\n"
              f"{SECTION}\n\n1. Sheets.\n   ```bash\n   .venv/bin/snakemake --profile "
              "profiles/default --configfile my_cohort.yaml\n   ```\n\n## Next\n")
    assert readme_command(readme) == [".venv/bin/snakemake", "--profile", "profiles/default",
                                      "--configfile", "my_cohort.yaml"]
    with pytest.raises(AssertionError, match="no snakemake command"):
        readme_command(readme.replace("--configfile my_cohort.yaml", ""))


def test_listing_sees_new_and_touched_files_but_not_skipped_folders(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    (tmp_path / "a.txt").write_text("a")
    before = listing(tmp_path, ("results",))
    (tmp_path / "results" / "out.tsv").write_text("x")
    assert listing(tmp_path, ("results",)) == before
    os.utime(tmp_path / "a.txt", ns=(0, 0))
    (tmp_path / "a.txt.fai").write_text("")
    after = listing(tmp_path, ("results",))
    assert after["a.txt"] != before["a.txt"] and "a.txt.fai" in after
