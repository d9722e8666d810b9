"""Entry point of rule plot_copy_number."""

import sys

import pandas as pd

from ctc_profiler.copy_number.bins import read_bed
from ctc_profiler.copy_number.plots import plot_profile

sys.stderr = open(snakemake.log[0], "w")
bins = pd.read_csv(snakemake.input.bins, sep="\t", dtype={"chrom": str})
status = pd.read_csv(snakemake.input.status, sep="\t").iloc[0]
title = (f"{status['sample']} ({status['type']}): ploidy {status['ploidy']}, "
         f"ERBB2 {status['erbb2_cn']} copies, HER2 {status['her2_status']}, "
         f"EGFR {status['egfr_cn']} copies")
plot_profile(bins, read_bed(snakemake.input.genes), title, snakemake.output[0], read_bed(snakemake.input.regions))
