"""Entry point of rule normal_panel: the alleles each patient's samples show,
from every patient's joint VCF, for the other patients' genotyping."""

import sys

from ctc_profiler.variants.normal_panel import PANEL_COLUMNS, panel_rows
from ctc_profiler.variants.patient import write_table

sys.stderr = open(snakemake.log[0], "w")
rows = []
for patient, vcf in zip(snakemake.params.patients, snakemake.input.vcfs):
    rows += panel_rows(patient, vcf, snakemake.params.types, snakemake.params.min_alt_reads)
    print(f"{patient}: {sum(r['patient'] == patient for r in rows)} alleles", file=sys.stderr)
write_table(rows, PANEL_COLUMNS, snakemake.output[0])
