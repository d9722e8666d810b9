import re
import sys
from pathlib import Path

from snakemake import __version__ as SNAKEMAKE_VERSION
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

WORKFLOW_DIR = Path(workflow.basedir) / "workflow"
sys.path.insert(0, str(WORKFLOW_DIR / "scripts"))
from ctc_profiler.sheets import SheetError, load_sheets  # noqa: E402

validate(config, schema="../schemas/config.schema.yaml")

try:
    SHEETS = load_sheets(
        config["samples"],
        config["units"],
        schema_dir=WORKFLOW_DIR / "schemas",
        targets=config["targets"],
    )
except SheetError as error:
    raise WorkflowError(f"Invalid sample sheets:\n{error}") from None

samples = SHEETS.samples
units = SHEETS.units
RESULTS = config["results"].rstrip("/")
REFERENCE = config["reference"]["fasta"]
LIBRARIES = ["lowpass_wgs", "panel", "wes", "wgs"]
BWA_INDEX_SUFFIXES = ["amb", "ann", "bwt", "pac", "sa"]
if not Path(REFERENCE).is_file():
    raise WorkflowError(
        f"reference.fasta '{REFERENCE}' does not exist; fix the path in the config"
    )


wildcard_constraints:
    sample="|".join(map(re.escape, samples["sample"])),
    unit="[A-Za-z0-9_.-]+",
    library="|".join(LIBRARIES),
    env="[a-z]+",


# ---------------------------------------------------------------- reference
def reference_with(suffixes):
    """The FASTA whose index files are used: the configured one when it already
    has them (a GRCh38 bwa index takes an hour to build), else a linked copy
    under results/ that the reference rules index."""
    if all(Path(f"{REFERENCE}.{s}").exists() for s in suffixes):
        return REFERENCE
    return f"{RESULTS}/reference/genome.fa"


def fasta_index():
    return reference_with(["fai"]) + ".fai"


def bwa_index():
    prefix = reference_with(BWA_INDEX_SUFFIXES)
    return multiext(prefix, *(f".{s}" for s in BWA_INDEX_SUFFIXES))


# ---------------------------------------------------------------- sheets
def sample_libraries(sample):
    """Library kinds sequenced for a sample; each gets its own BAM."""
    return sorted(set(units.loc[sample, "library"]))


def sample_library_pairs():
    return [(s, lib) for s in samples["sample"] for lib in sample_libraries(s)]


def unit_row(wildcards):
    return units.loc[(wildcards.sample, wildcards.unit)]


def is_paired(wildcards):
    return unit_row(wildcards)["fq2"] is not None


def fastp_input(wildcards):
    row = unit_row(wildcards)
    reads = {"fq1": row["fq1"]}
    if row["fq2"] is not None:
        reads["fq2"] = row["fq2"]
    return reads


def read_group(wildcards):
    sample, unit = wildcards.sample, wildcards.unit
    library = unit_row(wildcards)["library"]
    platform = config["alignment"]["platform"]
    return f"@RG\\tID:{sample}.{unit}\\tSM:{sample}\\tLB:{sample}.{library}\\tPL:{platform}"


def library_units(wildcards):
    """Unit BAMs of one sample and one library kind, merged into its BAM."""
    selected = units[
        (units["sample"] == wildcards.sample) & (units["library"] == wildcards.library)
    ]
    return [
        f"{RESULTS}/bam/units/{wildcards.sample}.{unit}.bam"
        for unit in selected["unit"]
    ]


def mosdepth_regions(wildcards):
    """Targets for capture libraries, fixed windows for genome-wide ones."""
    return config["targets"].get(wildcards.library) or ""


# ---------------------------------------------------------------- outputs
def final_bams():
    return [f"{RESULTS}/bam/{s}.{lib}.bam" for s, lib in sample_library_pairs()]


def qc_reports():
    fastp = [
        f"{RESULTS}/qc/fastp/{row.sample}.{row.unit}.fastp.json"
        for row in units.itertuples()
    ]
    per_bam = []
    for s, lib in sample_library_pairs():
        stem = f"{RESULTS}/qc"
        per_bam += [
            f"{stem}/samtools_stats/{s}.{lib}.txt",
            f"{stem}/samtools_flagstat/{s}.{lib}.txt",
            f"{stem}/mosdepth/{s}.{lib}.mosdepth.global.dist.txt",
            f"{stem}/mosdepth/{s}.{lib}.mosdepth.summary.txt",
        ]
    return fastp + per_bam


# Tools whose versions the report lists, by the env that runs them; the
# version is asked of the same environment the rules use.
VERSION_COMMANDS = {
    "fastp": "fastp --version 2>&1",
    "python": 'python --version; python -c \'import pandas, yaml; print("pandas", pandas.__version__); print("pyyaml", yaml.__version__)\'',
    "bwa": "{ bwa 2>&1 || true; } | grep -i '^version'; samtools --version | head -n 1",
    "samtools": "samtools --version | head -n 1",
    "mosdepth": "mosdepth --version 2>&1",
    "multiqc": "multiqc --version 2>&1",
}
