"""Entry point of rule copy_number_profile: GC-corrected depth and profile QC."""

import json
import sys
from dataclasses import asdict

import pandas as pd

from ctc_profiler.cell_qc import QcThresholds
from ctc_profiler.copy_number import corrected_profile, read_counts

sys.stderr = open(snakemake.log[0], "w")
bins = pd.read_csv(snakemake.input.bins, sep="\t", dtype={"chrom": str})
profile, qc = corrected_profile(bins, read_counts(snakemake.input.counts),
                                QcThresholds(**snakemake.params.qc))
profile.to_csv(snakemake.output.profile, sep="\t", index=False, float_format="%.5g")
with open(snakemake.output.qc, "w") as handle:
    json.dump(asdict(qc), handle, indent=1)
