"""Entry point of rule copy_number_heatmap."""

import sys

import pandas as pd

from ctc_profiler.copy_number.bins import read_bed
from ctc_profiler.copy_number.plots import plot_heatmap, row_order

sys.stderr = open(snakemake.log[0], "w")
profiles, types = [], []
for bins_path, status_path in zip(snakemake.input.bins, snakemake.input.status):
    status = pd.read_csv(status_path, sep="\t").iloc[0]
    label = f"{status['sample']} ({status['type']}, HER2 {status['her2_status']})"
    profiles.append((label, pd.read_csv(bins_path, sep="\t", dtype={"chrom": str})))
    types.append(status["type"])
order = row_order(types, [bins for _, bins in profiles])
plot_heatmap([profiles[i] for i in order], read_bed(snakemake.input.genes), f"Patient {snakemake.wildcards.patient}",
             snakemake.output[0])
