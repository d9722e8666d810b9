"""Entry point of rule plot_copy_number."""

import sys

import pandas as pd

from ctc_profiler.copy_number.bins import read_bed
from ctc_profiler.copy_number.plots import plot_no_profile, plot_profile
from ctc_profiler.core.tables import read_positions

sys.stderr = open(snakemake.log[0], "w")
bins = read_positions(snakemake.input.bins)
status = pd.read_csv(snakemake.input.status, sep="\t").iloc[0]
title = (f"{status['sample']} ({status['type']}): ploidy {status['ploidy']}, "
         f"ERBB2 {status['erbb2_cn']} copies, HER2 {status['her2_status']}, "
         f"EGFR {status['egfr_cn']} copies")
if bins.empty:  # the call failed: its status says why
    plot_no_profile(title, status["qc_reason"], snakemake.output[0])
else:
    plot_profile(bins, read_bed(snakemake.input.genes), title, snakemake.output[0], read_bed(snakemake.input.regions))
