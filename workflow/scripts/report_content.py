"""Entry point of rule report_content: the MultiQC custom-content files."""

import sys
from pathlib import Path

from ctc_profiler.core.tables import read_tsv, read_tsvs
from ctc_profiler.report.content_files import ReportSettings, write_content_files

sys.stderr = open(snakemake.log[0], "w")
params = snakemake.params
write_content_files(
    read_tsv(snakemake.input.status), read_tsv(snakemake.input.patients), read_tsv(snakemake.input.discordance),
    read_tsvs(snakemake.input.hotspots), list(snakemake.input.heatmaps), list(snakemake.input.profiles),
    snakemake.output,
    ReportSettings(params.min_positive_ctcs, params.settings, params.workflow_dir, params.inline_profiles,
                   Path(params.report_dir), params.min_depth, Path(params.benchmarks_dir)),
    read_tsvs(snakemake.input.clones),
    [line for path in snakemake.input.identity_warnings for line in Path(path).read_text().splitlines() if line],
)
