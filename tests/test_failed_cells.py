"""Failed cells do not fail their patient: an empty FASTQ, a cell with 50
reads and a cell of unmappable reads finish as not assessable, with their
reason, and every other sample's call is unchanged."""

from __future__ import annotations

import csv
import gzip
import random
import shutil
from pathlib import Path

import pytest

from conftest import snakemake

pytestmark = pytest.mark.workflow


def write_fastq(path: Path, reads: list[tuple[str, str]]) -> None:
    with gzip.open(path, "wt") as handle:
        for name, seq in reads:
            handle.write(f"@{name}\n{seq}\n+\n{'I' * len(seq)}\n")


def summary(workdir: Path) -> dict[str, dict[str, str]]:
    with (workdir / "results/copy_number/summary.tsv").open() as handle:
        return {row["sample"]: row for row in csv.DictReader(handle, delimiter="\t")}


def test_failed_cells_are_reported_and_change_nothing_else(demo_run: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "with_failed_cells"
    shutil.copytree(demo_run, workdir, symlinks=True)
    reads = workdir / "failed"
    reads.mkdir()
    with gzip.open(workdir / "demo/reads/P1_WBC01.lowpass_wgs.R1.fastq.gz", "rt") as handle:
        lines = [next(handle) for _ in range(200)]
    fifty = [(lines[i][1:].split()[0], lines[i + 1].strip()) for i in range(0, 200, 4)]
    rng = random.Random(1)
    garbage = [(f"g{i}", "".join(rng.choice("ACGT") for _ in range(100))) for i in range(3000)]
    write_fastq(reads / "empty.fastq.gz", [])
    write_fastq(reads / "fifty.fastq.gz", fifty)
    write_fastq(reads / "garbage.fastq.gz", garbage)
    samples = (workdir / "demo/samples.tsv").read_text()
    units = (workdir / "demo/units.tsv").read_text()
    for cell in ("empty", "fifty", "garbage"):
        samples += f"P1\tP1_{cell}\tctc\tPicoPLEX\t\n"
        units += f"P1_{cell}\tlowpass_wgs\tlowpass_wgs\tfailed/{cell}.fastq.gz\t\n"
    (workdir / "samples.tsv").write_text(samples)
    (workdir / "units.tsv").write_text(units)
    config = (workdir / "config.yaml").read_text()
    config = config.replace("demo/samples.tsv", "samples.tsv").replace("demo/units.tsv", "units.tsv")
    (workdir / "config.yaml").write_text(config)

    result = snakemake(workdir, "--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]

    before, after = summary(demo_run), summary(workdir)
    for sample, row in before.items():
        assert after[sample] == row, f"{sample} changed by the failed cells"
    for cell in ("P1_empty", "P1_fifty", "P1_garbage"):
        assert after[cell]["qc_pass"] == "False"
        assert after[cell]["her2_status"] == "not_assessable"
        assert after[cell]["qc_reason"]
    assert after["P1_empty"]["qc_reason"].startswith("no reads in usable bins")
    assert after["P1_garbage"]["reads"] == "0"
    assert int(after["P1_fifty"]["reads"]) <= 50
    assert (workdir / "results/multiqc/multiqc_report.html").is_file()
