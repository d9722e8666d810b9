"""Entry point of rule software_versions: one MultiQC versions file."""

import sys

from ctc_profiler.report.versions import collect_versions, write_versions

sys.stderr = open(snakemake.log[0], "w")
versions = collect_versions(
    list(snakemake.input), extra={"workflow": {"snakemake": snakemake.params.snakemake}}
)
write_versions(versions, snakemake.output[0])
