"""Entry point of rule place_resource: a gene, hotspot or reference-region
table with only its rows on the reference's contigs."""

import sys

from ctc_profiler.core.atomic import write_text
from ctc_profiler.inputs.reference_check import contig_names
from ctc_profiler.inputs.resource_placement import placed_lines

sys.stderr = open(snakemake.log[0], "w")
contigs = set(contig_names(snakemake.input.fai.removesuffix(".fai"), snakemake.input.fai))
lines = placed_lines(snakemake.input.table, snakemake.wildcards.table, contigs)
write_text("".join(lines), snakemake.output[0])
