"""Shared fixtures: a tiny hand-made cohort for sheet checks, and the demo
cohort run end to end by the real workflow (once per test session)."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
sys.path.insert(0, str(ROOT / "simulator"))
BIN = Path(sys.executable).parent
# .ci/run sets CI: there a real component (SLURM, Chromium) that cannot start
# fails its test instead of skipping it
IN_CI = bool(os.environ.get("CI"))


def component_missing(problem: str) -> None:
    """Skip a test of a real component that is absent here; fail in CI."""
    if IN_CI:
        pytest.fail(f"{problem} (CI must run this test)")
    pytest.skip(problem)


def run(cmd: list[str], cwd: Path, timeout: int = 1800) -> subprocess.CompletedProcess:
    """Run a command with the venv's tools first on PATH, capturing its output."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def snakemake(workdir: Path, *args: str, timeout: int = 1800) -> subprocess.CompletedProcess:
    """Snakemake on the project's Snakefile with workdir as working directory."""
    cmd = [str(BIN / "snakemake"), "--snakefile", str(ROOT / "Snakefile"),
           "--directory", str(workdir), "--configfile", str(workdir / "config.yaml"), *args]
    return run(cmd, cwd=workdir, timeout=timeout)


SCHEMAS = ROOT / "workflow" / "schemas"
BIN_BP = 100_000  # copy-number bin size of the constructed profiles


def genome_bins(chroms: dict[str, int], rng, gc: tuple[float, float] = (0.35, 0.6)):
    """Usable 100 kb bins over the given chromosomes (name: bins), GC drawn uniformly."""
    import pandas as pd

    rows = [(c, i * BIN_BP, (i + 1) * BIN_BP) for c, n in chroms.items() for i in range(n)]
    bins = pd.DataFrame(rows, columns=["chrom", "start", "end"])
    bins["gc"] = rng.uniform(*gc, len(bins))
    bins["n_fraction"] = 0.0
    bins["blacklisted"] = 0.0
    bins["use"] = True
    return bins


def load_cohort_sheets(cohort: Path):
    """The sheets of a cohort directory (samples.tsv, units.tsv, targets.bed)."""
    from ctc_profiler.inputs.sheets import load_sheets

    return load_sheets(cohort / "samples.tsv", cohort / "units.tsv", SCHEMAS,
                       base=cohort, targets={"panel": "targets.bed", "wes": None})


def edit(path: Path, old: str, new: str) -> None:
    """Replace text that must be in the file."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def write_toy_cohort(directory: Path) -> Path:
    """A two-sample cohort with a 2 kb reference and four tiny FASTQs.

    Returns the directory; it holds config.yaml, samples.tsv and units.tsv.
    """
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "genome.fa").write_text(">chr7\n" + "ACGTTGCA" * 125 + "\n>chr17\n" + "TTGACCAG" * 125 + "\n")
    (directory / "targets.bed").write_text("chr7\t100\t300\tEGFR_exon1\n")
    (directory / "genes.bed").write_text("chr7\t100\t600\tEGFR\t0\t+\nchr17\t200\t700\tERBB2\t0\t+\n")
    (directory / "regions.bed").write_text("chr7\t700\t900\tchr7_ref\nchr17\t0\t150\tchr17_ref\n")
    (directory / "reads").mkdir(exist_ok=True)
    for name in ("cell.R1", "cell.R2", "primary.R1"):
        with gzip.open(directory / "reads" / f"{name}.fastq.gz", "wt") as handle:
            handle.write("@r1\nACGTTGCAACGT\n+\nIIIIIIIIIIII\n")
    (directory / "samples.tsv").write_text(
        "patient\tsample\ttype\twga\tpurity\n"
        "P1\tP1_primary\tprimary\tnone\t0.6\n"
        "P1\tP1_CTC01\tctc\tPicoPLEX\t\n"
    )
    (directory / "units.tsv").write_text(
        "sample\tunit\tlibrary\tfq1\tfq2\n"
        "P1_primary\tlowpass\tlowpass_wgs\treads/primary.R1.fastq.gz\t\n"
        "P1_CTC01\tpanel\tpanel\treads/cell.R1.fastq.gz\treads/cell.R2.fastq.gz\n"
    )
    (directory / "config.yaml").write_text(
        "samples: samples.tsv\nunits: units.tsv\nresults: results\n"
        "reference:\n  fasta: genome.fa\n  build: toy\n"
        "targets:\n  panel: targets.bed\n"
        "resources:\n  genes: genes.bed\n  reference_regions: regions.bed\n"
    )
    return directory


# population germline VCFs (resources.germline)
AF_LINE = '##INFO=<ID=AF,Number=A,Type=Float,Description="Alternate allele frequency">\n'
COLUMNS = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"


def vcf_text(contigs: dict[str, int | None] | None = None, af: bool = True, chrom: str = "chr7") -> str:
    """A one-record germline VCF (AF 0.2 at chrom:100), by default on the toy
    cohort's contigs with their lengths; a length of None: no length given."""
    contigs = {"chr7": 1000, "chr17": 1000} if contigs is None else contigs
    lines = ["##fileformat=VCFv4.2\n"]
    lines += [f"##contig=<ID={name},length={length}>\n" if length else f"##contig=<ID={name}>\n"
              for name, length in contigs.items()]
    lines += [AF_LINE if af else "", COLUMNS, f"{chrom}\t100\t.\tA\tG\t.\t.\t{'AF=0.2' if af else '.'}\n"]
    return "".join(lines)


def write_vcf(directory: Path, text: str, index: bool = True) -> Path:
    """A bgzipped VCF, with a .tbi beside it unless `index` is False."""
    import pysam

    plain, compressed = directory / "germline.vcf", directory / "germline.vcf.gz"
    plain.write_text(text)
    pysam.tabix_compress(str(plain), str(compressed), force=True)
    if index:
        pysam.tabix_index(str(compressed), preset="vcf", force=True)
    return compressed


@pytest.fixture
def toy_cohort(tmp_path: Path) -> Path:
    return write_toy_cohort(tmp_path / "toy")


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate the demo cohort and run the whole workflow on it once.

    Returns the working directory, holding demo/, config.yaml and results/.
    """
    workdir = tmp_path_factory.mktemp("demo_run")
    generated = run([sys.executable, str(ROOT / "simulator/simulate_cohort.py"),
                     "--outdir", "demo", "--seed", "1"], cwd=workdir)
    assert generated.returncode == 0, generated.stderr
    shutil.copy(workdir / "demo" / "config.yaml", workdir / "config.yaml")
    result = snakemake(workdir, "--cores", "2")
    if result.returncode != 0:
        pytest.fail(f"demo run failed:\n{result.stderr[-5000:]}")
    return workdir


@pytest.fixture(scope="session")
def tools_available() -> None:
    missing = [t for t in ("bwa", "samtools", "fastp", "mosdepth") if not shutil.which(t)]
    if missing:
        pytest.fail(f"tools missing: {', '.join(missing)}; run `make setup`")
