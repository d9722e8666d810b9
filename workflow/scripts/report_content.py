"""Entry point of rule report_content: the MultiQC custom-content files."""

import sys
from datetime import datetime, timezone
from pathlib import Path

from ctc_profiler.core.atomic import write_text
from ctc_profiler.core.tables import read_tsv
from ctc_profiler.report import multiqc_content as rc
from ctc_profiler.report.verdict import verdict_comment

sys.stderr = open(snakemake.log[0], "w")
status = read_tsv(snakemake.input.status)
patients = read_tsv(snakemake.input.patients)
discordance = read_tsv(snakemake.input.discordance)
out = snakemake.output
rc.write_yaml({"report_comment": verdict_comment(patients, status, discordance)}, out.verdict)
rc.write_yaml(rc.patients_section(patients, snakemake.params.min_positive_ctcs), out.patients)
rc.write_yaml(rc.status_section(status), out.status)
rc.write_yaml(rc.discordance_matrix_section(discordance), out.discordance_matrix)
rc.write_yaml(rc.discordance_section(discordance), out.discordance)
rc.write_yaml(rc.cell_qc_generalstats(status), out.cell_qc)
rc.write_yaml(rc.gene_copy_number_section(status), out.gene_copy_number)
# Date and version are read when the report is made, not passed as params, so
# a new day or commit alone never reruns the cohort.
run_date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
version = rc.workflow_version(snakemake.params.workflow_dir)
rc.write_yaml(rc.workflow_summary(snakemake.params.settings, version, run_date), out.summary)
heatmaps = [(Path(p).name.split(".")[0], p) for p in snakemake.input.heatmaps]
write_text(rc.image_gallery("ctc_heatmaps", "Copy-number heatmaps per patient",
                            "Integer copy number of every sample of a patient along the genome; "
                            "rows are samples, CTCs and WBC controls together.", heatmaps), out.heatmaps)
profiles = {Path(p).parent.name: p for p in snakemake.input.profiles}
ordered = [(sample, profiles[sample]) for sample in rc.profile_order(status, list(profiles))]
write_text(rc.image_gallery("ctc_profiles", "Copy-number profiles per sample",
                            "Copy number of every bin (dots) and segment (lines) with ERBB2 and EGFR marked; "
                            "cells with a gain called first, then indeterminate ones.",
                            ordered, snakemake.params.inline_profiles, Path(snakemake.params.report_dir)),
           out.profiles)
