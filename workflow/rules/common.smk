import functools
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pysam
import yaml

from snakemake import __version__ as SNAKEMAKE_VERSION
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

WORKFLOW_DIR = Path(workflow.basedir) / "workflow"
sys.path.insert(0, str(WORKFLOW_DIR / "scripts"))
from ctc_profiler.core.words import BULK_TYPES, LIBRARIES, NORMAL_TYPES  # noqa: E402
from ctc_profiler.inputs.config_checks import config_problems  # noqa: E402
from ctc_profiler.inputs.germline_resource import (  # noqa: E402
    germline_resource_problems,
)
from ctc_profiler.inputs.reference_check import (  # noqa: E402
    contig_names,
    contig_table,
    fasta_format_problems,
    fasta_index_for,
    fasta_problems,
    region_file_problems,
)
from ctc_profiler.inputs.resource_placement import place  # noqa: E402
from ctc_profiler.inputs.hotspot_table import (  # noqa: E402
    HotspotTableError,
    read_hotspots,
    reference_allele_problems,
)
from ctc_profiler.copy_number.reference_normals import normals_name  # noqa: E402
from ctc_profiler.copy_number.patient_calls import SAMPLE_FILES  # noqa: E402
from ctc_profiler.inputs.retired_settings import retired_settings  # noqa: E402
from ctc_profiler.inputs.sheets import (  # noqa: E402
    SheetError,
    cohort_warnings,
    load_sheets,
    unit_warnings,
)

if retired := retired_settings(config):
    raise WorkflowError("\n".join(retired))
# one line per problem (a typo'd key with its nearest valid key), not the
# schema dumped; then validate() fills in the defaults
CONFIG_SCHEMA = yaml.safe_load(
    (WORKFLOW_DIR / "schemas" / "config.schema.yaml").read_text()
)
if problems := config_problems(config, CONFIG_SCHEMA):
    raise WorkflowError("Invalid config:\n" + "\n".join(problems))
validate(config, schema="../schemas/config.schema.yaml")
RESULTS = config["results"].rstrip("/")
REFERENCE = config["reference"]["fasta"]
if not Path(REFERENCE).is_file():
    raise WorkflowError(
        f"reference.fasta '{REFERENCE}' does not exist; fix the path in the config"
    )
if problems := fasta_format_problems(REFERENCE):
    raise WorkflowError("\n".join(problems))

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
for warning in cohort_warnings(samples, config["samples"]):
    print(f"Warning: {warning}", file=sys.stderr)
for warning in unit_warnings(units, config["units"]):
    print(f"Warning: {warning}", file=sys.stderr)
BWA_INDEX_SUFFIXES = ["amb", "ann", "bwt", "pac", "sa"]


# Lookups built once: input functions run once per job, and scanning the
# sheets in each made the DAG quadratic in the number of cells (docs/hpc.md).
SAMPLE_ROWS = samples.to_dict("index")
UNIT_ROWS = dict(zip(units.index, units.to_dict("records")))
SAMPLE_LIBRARIES = {}
LIBRARY_UNITS = {}
for _row in UNIT_ROWS.values():
    SAMPLE_LIBRARIES.setdefault(_row["sample"], set()).add(_row["library"])
    LIBRARY_UNITS.setdefault((_row["sample"], _row["library"]), []).append(_row["unit"])
PATIENT_SAMPLES = {}
for _sample, _row in SAMPLE_ROWS.items():
    PATIENT_SAMPLES.setdefault(_row["patient"], []).append(_sample)


wildcard_constraints:
    # the ID pattern, not a list of every sample: a list of thousands of names
    # made each file-name match slower. '{sample}.{unit}' still splits where
    # the sheet does: at the last dot, or on the listed units if one has a dot.
    sample="[A-Za-z0-9_.-]+",
    unit=(
        "|".join(map(re.escape, sorted(set(units["unit"]))))
        if units["unit"].str.contains(".", regex=False).any()
        else "[A-Za-z0-9_-]+"
    ),
    library="|".join(LIBRARIES),
    env="[a-z]+",
    bin_set="genome|panel|wes",
    patient="|".join(map(re.escape, samples["patient"].unique())),
    normals=r"(wbc|normal)\.[^/]+",


# ---------------------------------------------------------------- reference
def reference_with(suffixes):
    """The FASTA whose index files are used: the configured one when it already
    has them (a GRCh38 bwa index takes an hour to build), else a linked copy
    under results/ that the reference rules index."""
    if all(Path(f"{REFERENCE}.{s}").exists() for s in suffixes):
        return REFERENCE
    return f"{RESULTS}/reference/genome.fa"


def get_reference_fasta():
    """The FASTA that jobs open, with its .fai beside it: a FASTA opened
    without one (pysam, bcftools) would write one beside the user's file."""
    return reference_with(["fai"])


def get_fasta_index():
    return get_reference_fasta() + ".fai"


def existing_fasta_index():
    """A .fai of the reference that exists now, for start-up checks; never
    built here (nothing is written outside results)."""
    linked = Path(f"{RESULTS}/reference/genome.fa")
    candidates = [f"{REFERENCE}.fai"]
    if linked.exists() and linked.resolve() == Path(REFERENCE).resolve():
        candidates.append(f"{linked}.fai")
    return fasta_index_for(REFERENCE, candidates)


def get_bwa_index():
    prefix = reference_with(BWA_INDEX_SUFFIXES)
    return multiext(prefix, *(f".{s}" for s in BWA_INDEX_SUFFIXES))


def get_reference_indexes():
    """The indexes the jobs use (the user's own where complete beside the
    FASTA, else built under results): named in rule all beside the targets
    that wait for the FASTQ checks' checkpoint, so they are built while the
    checks run (behind the checkpoint, bwa index ran alone before the first
    alignment)."""
    return [get_fasta_index(), *get_bwa_index()]


# ---------------------------------------------------------------- sheets
def sample_libraries(sample):
    """Library kinds sequenced for a sample; each gets its own BAM."""
    return sorted(SAMPLE_LIBRARIES[sample])


def sample_library_pairs():
    return [(s, lib) for s in samples["sample"] for lib in sample_libraries(s)]


def unit_row(wildcards):
    return UNIT_ROWS[(wildcards.sample, wildcards.unit)]


def is_paired(wildcards):
    return unit_row(wildcards)["fq2"] is not None


def get_unit_fastqs(wildcards):
    row = unit_row(wildcards)
    reads = {"fq1": row["fq1"]}
    if row["fq2"] is not None:
        reads["fq2"] = row["fq2"]
    return reads


def get_fastp_input(wildcards):
    """The unit's FASTQs, once read to the end without damage."""
    check = f"{RESULTS}/qc/fastq_check/{wildcards.sample}.{wildcards.unit}.json"
    return get_unit_fastqs(wildcards) | {"check": check}


def get_read_group(wildcards):
    sample, unit = wildcards.sample, wildcards.unit
    library = unit_row(wildcards)["library"]
    platform = config["alignment"]["platform"]
    return f"@RG\\tID:{sample}.{unit}\\tSM:{sample}\\tLB:{sample}.{library}\\tPL:{platform}"


def get_library_units(wildcards):
    """Unit BAMs of one sample and one library kind, merged into its BAM."""
    selected = LIBRARY_UNITS[(wildcards.sample, wildcards.library)]
    return [f"{RESULTS}/bam/units/{wildcards.sample}.{unit}.bam" for unit in selected]


def get_mosdepth_regions(wildcards):
    """Targets for capture libraries, fixed windows for genome-wide ones."""
    return config["targets"].get(wildcards.library) or ""


# ---------------------------------------------------------------- resources
RESOURCE_FORMATS = {"genes": "bed", "reference_regions": "bed", "hotspots": "tsv"}


def get_resource(name):
    """A per-build resource: the configured file, else the shipped one."""
    configured = config["resources"][name]
    if configured:
        return configured
    build = config["reference"]["build"]
    shipped = WORKFLOW_DIR / "resources" / name / f"{build}.{RESOURCE_FORMATS[name]}"
    if shipped.is_file():
        return str(shipped)
    raise WorkflowError(
        f"resources.{name} is not set and nothing is shipped for build "
        f"'{config['reference']['build']}'; set resources.{name} in the config"
    )


def get_placed_resource(name):
    """The resource's rows on the reference's contigs, written by the
    place_resource job: what every job reads, so a reference of some
    chromosomes works."""
    get_resource(name)  # the configured or shipped table must exist
    return f"{RESULTS}/resources/{name}.{RESOURCE_FORMATS[name]}"


def get_germline_resource():
    """The population germline VCF (resources.germline), or None: optional,
    nothing is shipped."""
    return config["resources"].get("germline") or None


def get_germline_resource_files():
    """[VCF, index] of resources.germline for a rule's input, or []."""
    vcf = get_germline_resource()
    if vcf is None:
        return []
    # the .tbi unless only a .csi exists (the start-up check needs one of them)
    index = (
        f"{vcf}.csi"
        if not Path(f"{vcf}.tbi").exists() and Path(f"{vcf}.csi").exists()
        else f"{vcf}.tbi"
    )
    return [vcf, index]


# ---------------------------------------------------------------- copy number
# genome-wide libraries first; a capture library only for samples without one
COPY_NUMBER_LIBRARIES = ["wgs", "lowpass_wgs", "panel", "wes"]


@functools.cache
def copy_number_library(sample):
    """The library a sample's copy number comes from, or None."""
    present = sample_libraries(sample)
    return next((lib for lib in COPY_NUMBER_LIBRARIES if lib in present), None)


def bin_set(sample):
    """Fixed genome bins for genome-wide libraries, the targets for capture ones."""
    library = copy_number_library(sample)
    return library if library in config["targets"] else "genome"


@functools.cache
def copy_number_samples():
    return [s for s in samples["sample"] if copy_number_library(s)]


def get_copy_number_bam(wildcards):
    library = copy_number_library(wildcards.sample)
    return {
        "bam": f"{RESULTS}/bam/{wildcards.sample}.{library}.bam",
        "bai": f"{RESULTS}/bam/{wildcards.sample}.{library}.bam.bai",
    }


def get_sample_bins(wildcards, kind="tsv"):
    return f"{RESULTS}/copy_number/bins/{bin_set(wildcards.sample)}.{kind}"


def get_bin_targets(wildcards):
    """The target BED a capture bin set is made of (none for genome bins)."""
    return config["targets"][wildcards.bin_set] if wildcards.bin_set != "genome" else []


def sample_normals(sample):
    """The group of reference normals a sample belongs to or is normalised by."""
    row = SAMPLE_ROWS[sample]
    return normals_name(row["type"], row["wga"], copy_number_library(sample))


@functools.cache
def normals_groups():
    """(patient, normals name) -> its members, in sheet order."""
    groups = {}
    for s in copy_number_samples():
        if SAMPLE_ROWS[s]["type"] in ("wbc", "normal"):
            key = (SAMPLE_ROWS[s]["patient"], sample_normals(s))
            groups.setdefault(key, []).append(s)
    return groups


def get_normals_members(patient, normals):
    """The members of a group of reference normals whose FASTQs passed the check."""
    failed = failed_samples()
    return [s for s in normals_groups()[(patient, normals)] if s not in failed]


def normalisation_references(sample):
    """Samples whose profiles make the sample's copy-number reference: its
    reference normals without the sample itself; none: normalised to itself."""
    key = (SAMPLE_ROWS[sample]["patient"], sample_normals(sample))
    failed = failed_samples()
    return [s for s in normals_groups().get(key, []) if s != sample and s not in failed]


def get_reference_normals(wildcards):
    """The reference normals table a sample is normalised by, if any."""
    if not normalisation_references(wildcards.sample):
        return []
    patient = SAMPLE_ROWS[wildcards.sample]["patient"]
    return f"{RESULTS}/copy_number/references/{patient}/{sample_normals(wildcards.sample)}.tsv"


def get_normals_files(wildcards, kind):
    return [
        f"{RESULTS}/copy_number/{s}/{kind}"
        for s in get_normals_members(wildcards.patient, wildcards.normals)
    ]


def get_normals_bins(wildcards):
    """One library kind per group of normals, so one bin set."""
    first = get_normals_members(wildcards.patient, wildcards.normals)[0]
    return f"{RESULTS}/copy_number/bins/{bin_set(first)}.tsv"


def get_patient_call_samples(patient):
    """What rule call_copy_number reads for each of the patient's checked
    copy-number samples (`copy_number.patient_calls.SampleInputs`)."""
    calls = []
    for s in checked_samples(patient):
        if not copy_number_library(s):
            continue
        sample = SimpleNamespace(sample=s)
        calls.append(
            {
                "row": samples.loc[s].to_dict(),
                "bins": get_sample_bins(sample),
                "counts": f"{RESULTS}/copy_number/{s}/counts.tsv",
                "window_counts": f"{RESULTS}/copy_number/{s}/window_counts.tsv",
                "normals": get_reference_normals(sample) or None,
            }
        )
    return calls


def get_patient_call_inputs(wildcards):
    calls = get_patient_call_samples(wildcards.patient)
    return {
        kind: sorted({c[kind] for c in calls if c[kind]})
        for kind in ("bins", "counts", "window_counts", "normals")
    }


def get_patient_copy_number_samples(patient):
    """The patient's samples on its most common bin set (one heatmap grid)."""
    members = [s for s in checked_samples(patient) if copy_number_library(s)]
    sets = [bin_set(s) for s in members]
    common = max(set(sets), key=sets.count)
    return [s for s, b in zip(members, sets) if b == common]


# ---------------------------------------------------------------- variants
def get_patient_sample_bams(patient):
    """Every final BAM of each of the patient's checked samples, by sample."""
    members = checked_samples(patient)
    return {
        s: [f"{RESULTS}/bam/{s}.{lib}.bam" for lib in sample_libraries(s)]
        for s in members
    }


def get_patient_bams(wildcards):
    return [
        b for bams in get_patient_sample_bams(wildcards.patient).values() for b in bams
    ]


def get_patient_samples(patient):
    """The sample-sheet rows (sample, type, wga, purity) of the patient's
    checked samples."""
    rows = samples[samples["sample"].isin(checked_samples(patient))]
    return [
        {k: row[k] for k in ("sample", "type", "wga", "purity")}
        for _, row in rows.iterrows()
    ]


def get_bulk_tumour_segments(patient):
    """Copy-number segments of the patient's bulk tumour samples, by sample:
    their copy number places the allele fractions of germline and somatic
    variants (cells have dropout instead)."""
    return {
        s: f"{RESULTS}/copy_number/{s}/segments.tsv"
        for s in checked_samples(patient)
        if SAMPLE_ROWS[s]["type"] in ("primary", "metastasis")
        and copy_number_library(s)
    }


def get_patient_variant_inputs(wildcards):
    bams = get_patient_bams(wildcards)
    inputs = {
        "vcf": f"{RESULTS}/variants/{wildcards.patient}.vcf.gz",
        "bams": bams,
        "bais": [f"{bam}.bai" for bam in bams],
        "segments": list(get_bulk_tumour_segments(wildcards.patient).values()),
    }
    if config["variants"]["panel_of_normals"]:
        inputs["panel"] = f"{RESULTS}/variants/normal_panel.tsv"
    return inputs


def get_panel_patients(wildcards=None):
    """Patients whose joint VCFs make the run's panel of normals."""
    return variant_patients(checked_cohort())


def get_panel_vcfs(wildcards):
    return [f"{RESULTS}/variants/{p}.vcf.gz" for p in get_panel_patients()]


def get_hotspot_table():
    """The hotspot table in use (its rows on the reference's contigs), or []
    when the build has none (no hotspot genotyping; variants are still called
    over targets and genes)."""
    try:
        return get_placed_resource("hotspots")
    except WorkflowError:
        return []


def get_hotspot_annotation_files():
    """Table, index and header naming hotspot alleles in the VCF, if any."""
    if not get_hotspot_table():
        return []
    stem = f"{RESULTS}/variants/hotspot_alleles"
    return [f"{stem}.tsv.gz", f"{stem}.tsv.gz.tbi", f"{stem}.hdr"]


def hotspot_problems():
    """A hotspot table that cannot be read, or whose alleles the reference
    contradicts. The alleles are checked here when an index of the reference
    exists (beside it, or built under results/), else by the job
    hotspot_annotation, with the same message."""
    if not get_hotspot_table():
        return []
    path = get_resource("hotspots")
    try:
        hotspots = read_hotspots(path)
    except HotspotTableError as error:
        return [str(error)]
    index = existing_fasta_index()
    if index is None:
        return []
    with pysam.FastaFile(REFERENCE, filepath_index=str(index)) as fasta:
        known = set(fasta.references)
        return reference_allele_problems(
            [h for h in hotspots if h.chrom in known],
            lambda chrom, start, end: fasta.fetch(chrom, start, end),
            path,
        )


# ---------------------------------------------------------------- status and report
PATIENTS = list(samples["patient"].unique())
# Config sections whose values change a call; the report lists them.
CALLING_SECTIONS = ["reference", "copy_number", "variants", "discordance", "alignment"]


def get_calling_settings():
    return {key: config[key] for key in CALLING_SECTIONS if key in config}


REPORT_CONTENT = [
    "ctc_patients_mqc.yaml",
    "ctc_clones_mqc.yaml",
    "ctc_status_mqc.yaml",
    "ctc_discordance_matrix_mqc.yaml",
    "ctc_discordance_mqc.yaml",
    "ctc_cell_qc_mqc.yaml",
    "ctc_gene_copy_number_mqc.yaml",
    "ctc_hotspot_depth_mqc.yaml",
    "ctc_run_time_mqc.yaml",
    "ctc_heatmaps_mqc.html",
    "ctc_profiles_mqc.html",
    "ctc_workflow_summary_mqc.yaml",
]


# MultiQC config of the run holding the verdict per patient (report_comment),
# apart from the custom-content files MultiQC parses
REPORT_VERDICT = f"{RESULTS}/qc/report_config/verdict.yaml"


def get_report_content_files():
    return [f"{RESULTS}/qc/report/{name}" for name in REPORT_CONTENT]


def get_status_outputs():
    return [f"{RESULTS}/{name}.tsv" for name in ("status", "discordance", "patients")]


# Tools whose versions the report lists, by the env that runs them; the
# version is asked of the same environment the rules use.
VERSION_COMMANDS = {
    "fastp": "fastp --version 2>&1",
    "python": 'python3 --version; python3 -c \'import pandas, yaml; print("pandas", pandas.__version__); print("pyyaml", yaml.__version__)\'',
    "bwa": "{ bwa 2>&1 || true; } | grep -i '^version'; samtools --version | head -n 1",
    "samtools": "samtools --version | head -n 1",
    "mosdepth": "mosdepth --version 2>&1",
    "multiqc": "multiqc --version 2>&1",
    "bcftools": "bcftools --version | head -n 2",
}


# ---------------------------------------------------------------- FASTQ verdicts
# A unit whose FASTQ fails check_fastq leaves its whole sample out of every job
# made from reads; the sample is reported not_assessable with the check's
# message and the run's last job fails naming it (docs/robustness.md).
# checkpoint fastq_verdicts gathers every unit's verdict in one table, and the
# jobs after the checks are planned from it. One table for the cohort, not one
# per patient: each checkpoint that finishes makes Snakemake update the whole
# DAG, which for 1,000 cells in 10 patients took 40 s in all, against 14 s for
# the one update (docs/hpc.md).
from ctc_profiler.inputs.fastq_verdicts import read_failure_reasons  # noqa: E402

FASTQ_VERDICTS = f"{RESULTS}/qc/fastq_check/verdicts.tsv"
FASTQ_VERDICT = f"{RESULTS}/qc/fastq_check/all_units_passed.txt"
VARIANT_FILES = [
    "vcf.gz",
    "vcf.gz.tbi",
    "mutations.tsv",
    "hotspots.tsv",
    "cell_metrics.tsv",
]
COPY_NUMBER_FILES = ["bins.tsv", "segments.tsv", "genes.tsv", "profile.png"]


def get_unit_checks():
    return [f"{RESULTS}/qc/fastq_check/{s}.{u}.json" for s, u in UNIT_ROWS]


@functools.cache
def _failure_reasons(path, mtime_ns):
    # read once per version of the table: input functions run once per job
    return read_failure_reasons(path)


def failed_samples():
    """Every sample with a damaged unit, with the reason. Raises
    IncompleteCheckpointException (Snakemake then waits for the verdicts)
    while any unit is unchecked, so only input functions may call it."""
    path = checkpoints.fastq_verdicts.get().output[0]
    return _failure_reasons(path, Path(path).stat().st_mtime_ns)


def checked_samples(patient):
    """The patient's samples whose every unit passed the check, in sheet order."""
    failed = failed_samples()
    return [s for s in PATIENT_SAMPLES[patient] if s not in failed]


def checked_cohort():
    """Every sample whose every unit passed the check."""
    failed = failed_samples()
    return {s for s in SAMPLE_ROWS if s not in failed}


def variant_patients(checked):
    """Patients with a checked sample, whose variants are called."""
    return sorted(p for p in PATIENTS if any(s in checked for s in PATIENT_SAMPLES[p]))


def heatmap_patients(checked):
    return sorted(
        p
        for p in PATIENTS
        if any(s in checked and copy_number_library(s) for s in PATIENT_SAMPLES[p])
    )


# ---------------------------------------------------------------- identity
def germline_samples(patient):
    """The patient's checked samples its germline is called from: its
    normals (WBC cells, bulk normal), else its bulk tumour samples; none when
    it has only CTCs (its samples' identity is then not assessable)."""
    checked = checked_samples(patient)
    normals = [s for s in checked if SAMPLE_ROWS[s]["type"] in NORMAL_TYPES]
    return normals or [s for s in checked if SAMPLE_ROWS[s]["type"] in BULK_TYPES]


def get_patient_germline_bams(wildcards):
    return [
        f"{RESULTS}/bam/{s}.{lib}.bam"
        for s in germline_samples(wildcards.patient)
        for lib in sample_libraries(s)
    ]


def get_identity_germline_files(wildcards):
    return [
        f"{RESULTS}/identity/{p}.germline.bcf"
        for p in variant_patients(checked_cohort())
        if germline_samples(p)
    ]


def get_identity_table(name="identity.tsv"):
    """The identity table (or its warnings), or nothing when the check is off
    (`identity.enabled`)."""
    return [f"{RESULTS}/identity/{name}"] if config["identity"]["enabled"] else []


def get_identity_read_files(wildcards):
    return [
        f"{RESULTS}/identity/{p}.reads.bcf" for p in variant_patients(checked_cohort())
    ]


def get_checked_copy_number_files(name):
    """Input function: a copy-number file of every checked sample."""

    def files(wildcards):
        checked = checked_cohort()
        return [
            f"{RESULTS}/copy_number/{s}/{name}"
            for s in copy_number_samples()
            if s in checked
        ]

    return files


def get_checked_variant_files(name):
    """Input function: a variant table of every patient with a checked sample."""

    def files(wildcards):
        return [
            f"{RESULTS}/variants/{p}.{name}" for p in variant_patients(checked_cohort())
        ]

    return files


def get_checked_heatmaps(wildcards):
    return [
        f"{RESULTS}/copy_number/{p}.heatmap.png"
        for p in heatmap_patients(checked_cohort())
    ]


def get_checked_clone_summaries(wildcards):
    return [
        f"{RESULTS}/copy_number/{p}.clone_summary.tsv"
        for p in heatmap_patients(checked_cohort())
    ]


def get_checked_qc_reports(wildcards):
    """The reports MultiQC reads: fastp per unit, alignment metrics per BAM,
    bcftools per patient, of the checked samples only."""
    checked = checked_cohort()
    fastp = [
        f"{RESULTS}/qc/fastp/{row.sample}.{row.unit}.fastp.json"
        for row in units.itertuples()
        if row.sample in checked
    ]
    per_bam = []
    for s, lib in sample_library_pairs():
        if s not in checked:
            continue
        stem = f"{RESULTS}/qc"
        per_bam += [
            f"{stem}/samtools_stats/{s}.{lib}.txt",
            f"{stem}/samtools_flagstat/{s}.{lib}.txt",
            f"{stem}/mosdepth/{s}.{lib}.mosdepth.global.dist.txt",
            f"{stem}/mosdepth/{s}.{lib}.mosdepth.summary.txt",
            f"{stem}/mosdepth/{s}.{lib}.mosdepth.region.dist.txt",
        ]
    bcftools = [
        f"{RESULTS}/qc/bcftools_stats/{p}.txt" for p in variant_patients(checked)
    ]
    return fastp + per_bam + bcftools


def get_all_targets(wildcards):
    """The default target's inputs: the checked samples' BAMs and copy
    number, every patient's variants and heatmap, the cohort tables and the
    report, and last the FASTQ verdict of the run (it fails when a unit
    was damaged, after all of the rest was made)."""
    checked = checked_cohort()
    bams = [
        f"{RESULTS}/bam/{s}.{lib}.bam"
        for s, lib in sample_library_pairs()
        if s in checked
    ]
    copy_number = [
        f"{RESULTS}/copy_number/{s}/{name}"
        for s in copy_number_samples()
        if s in checked
        for name in COPY_NUMBER_FILES
    ]
    heatmaps = [
        f"{RESULTS}/copy_number/{p}.heatmap.png" for p in heatmap_patients(checked)
    ]
    variants = [
        f"{RESULTS}/variants/{p}.{name}"
        for p in variant_patients(checked)
        for name in VARIANT_FILES
    ]
    cohort = [f"{RESULTS}/copy_number/summary.tsv", *get_status_outputs()]
    cohort += [f"{RESULTS}/multiqc/multiqc_report.html", FASTQ_VERDICT]
    return bams + copy_number + heatmaps + variants + cohort


# ---------------------------------------------------------------- start-up checks
def reference_problems():
    """Every disagreement between the reference and the region files in use;
    rows of the gene, hotspot and region tables on contigs the reference
    lacks are skipped with a warning (resource_placement)."""
    index = existing_fasta_index()
    germline = get_germline_resource()
    # the germline check needs the lengths: one pass over the FASTA gives both
    contig_rows = contig_table(REFERENCE, index) if germline else None
    contigs = (
        [n for n, _ in contig_rows]
        if contig_rows is not None
        else contig_names(REFERENCE, index)
    )
    problems = fasta_problems(REFERENCE, contigs)
    for kind, bed in config["targets"].items():
        if bed:
            problems += region_file_problems(
                bed, f"targets.{kind}", set(contigs), REFERENCE
            )
    tables = ["genes", "reference_regions"] + (
        ["hotspots"] if get_hotspot_table() else []
    )
    for table in tables:
        path = get_resource(table)
        placed = place(path, table, f"resources.{table}", set(contigs), REFERENCE)
        problems += placed.problems
        for warning in placed.warnings:
            print(f"Warning: {warning}", file=sys.stderr)
    if germline:
        problems += germline_resource_problems(germline, dict(contig_rows), REFERENCE)
    return problems


if problems := reference_problems():
    raise WorkflowError("Invalid reference or region files:\n" + "\n".join(problems))
if problems := hotspot_problems():
    raise WorkflowError("Invalid hotspot table:\n" + "\n".join(problems))
