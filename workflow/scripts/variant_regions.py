"""Entry point of rule variant_regions: the BED of regions variants are called in."""

import sys

from ctc_profiler.core.atomic import write_rows
from ctc_profiler.inputs.hotspot_table import read_hotspots
from ctc_profiler.inputs.reference_check import contig_names
from ctc_profiler.variants.regions import calling_regions, split_regions

sys.stderr = open(snakemake.log[0], "w")
params = snakemake.params
with open(snakemake.input.fai) as handle:
    lengths = {line.split("\t")[0]: int(line.split("\t")[1]) for line in handle if line.strip()}
order = contig_names(snakemake.input.fasta)
if params.whole_genome:
    regions = [(c, 0, lengths[c]) for c in order if c in lengths]
else:
    beds = list(snakemake.input.targets) + [snakemake.input.genes]
    hotspots = read_hotspots(str(table)) if (table := getattr(snakemake.input, "hotspots", None)) else []
    regions = calling_regions(beds, hotspots, params.flank, order, lengths)

chunks = split_regions(regions, len(snakemake.output.chunks))
for chunk, path in zip(chunks, snakemake.output.chunks):
    write_rows(chunk, path)
write_rows(regions, snakemake.output.regions)
print(f"{len(regions)} regions, {sum(e - s for _, s, e in regions)} bp, {len(chunks)} chunk(s)", file=sys.stderr)
