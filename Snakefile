from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/reference.smk"
include: "workflow/rules/qc.smk"
include: "workflow/rules/align.smk"
include: "workflow/rules/metrics.smk"
include: "workflow/rules/copy_number.smk"
include: "workflow/rules/variants.smk"
include: "workflow/rules/identity.smk"
include: "workflow/rules/status.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        # the checked samples' outputs, the cohort tables, the report and
        # the run's FASTQ verdict (common.smk, "FASTQ verdicts")
        get_all_targets,
        # planned at once, so indexing runs beside the FASTQ checks
        get_reference_indexes(),
