"""Entry point of rule copy_number_profile: GC-corrected depth and profile QC."""

import json
import sys
from dataclasses import asdict

import pandas as pd

from ctc_profiler.cell_qc import QcThresholds
from ctc_profiler.copy_number import corrected_profile, read_counts

sys.stderr = open(snakemake.log[0], "w")
bins = pd.read_csv(snakemake.input.bins, sep="\t", dtype={"chrom": str})
windows = pd.read_csv(snakemake.input.windows, sep="\t", dtype={"chrom": str})
window_counts = read_counts(snakemake.input.window_counts) if len(windows) else None
profile, qc = corrected_profile(bins, read_counts(snakemake.input.counts),
                                QcThresholds(**snakemake.params.qc), windows, window_counts)
profile.to_csv(snakemake.output.profile, sep="\t", index=False, float_format="%.5g")
with open(snakemake.output.qc, "w") as handle:
    json.dump(asdict(qc), handle, indent=1)
