"""Entry point of rule bin_counts: a sample's reads per bin and per gene window."""

import sys
from pathlib import Path

from ctc_profiler.bin_reads import count_reads

sys.stderr = open(snakemake.log[0], "w")
span = count_reads(
    snakemake.input.bam,
    {"bins": snakemake.input.bed, "windows": snakemake.input.windows},
    {"bins": snakemake.output.counts, "windows": snakemake.output.windows},
    snakemake.params.min_mapq,
    Path(f"{snakemake.output.counts}.mosdepth"),
)
print(f"mean aligned read span: {span:.1f} bp", file=sys.stderr)
