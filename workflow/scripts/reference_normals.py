"""Entry point of rule reference_normals: the GC-corrected relative density
of each member of a group of normals that passes QC, once per group."""

import sys

import pandas as pd

from ctc_profiler.copy_number.qc import QcThresholds
from ctc_profiler.copy_number.reference_normals import normals_densities, write_normals

sys.stderr = open(snakemake.log[0], "w")
bins = pd.read_csv(snakemake.input.bins, sep="\t", dtype={"chrom": str})
windows = pd.read_csv(snakemake.input.windows, sep="\t", dtype={"chrom": str})
members = dict(zip(snakemake.params.members,
                   zip(snakemake.input.counts, snakemake.input.window_counts)))
normals, left_out = normals_densities(bins, windows, members, QcThresholds(**snakemake.params.qc))
if left_out:
    print(f"left out, failing QC: {', '.join(left_out)}", file=sys.stderr)
write_normals(normals, snakemake.output[0])
