"""Entry point of rule call_copy_number: a sample's GC-corrected profile and
QC, its ratio to the reference samples, segments, copy number and status
(`copy_number.sample_call`)."""

import sys
from dataclasses import asdict

import pandas as pd

from ctc_profiler.copy_number.bins import read_bed
from ctc_profiler.copy_number.profile import read_sample_counts
from ctc_profiler.copy_number.reference_normals import read_normals
from ctc_profiler.copy_number.sample_call import SampleCallSettings, sample_call
from ctc_profiler.copy_number.sample_summary import STATUS_COLUMNS
from ctc_profiler.core.atomic import write_json
from ctc_profiler.core.tables import write_tsv

sys.stderr = open(snakemake.log[0], "w")
bins = pd.read_csv(snakemake.input.bins, sep="\t", dtype={"chrom": str})
windows = pd.read_csv(snakemake.input.windows, sep="\t", dtype={"chrom": str})
counts, window_counts = read_sample_counts(windows, snakemake.input.counts, snakemake.input.window_counts)
regions = pd.concat([read_bed(snakemake.input.genes), read_bed(snakemake.input.reference_regions)])
normals = read_normals(snakemake.input.normals) if snakemake.input.normals else None

result = sample_call(snakemake.params.sample, bins, counts, windows, window_counts, regions,
                     SampleCallSettings.from_config(snakemake.params.settings), normals)

normalisation = result.normalisation
print(f"normalised to: {result.reference} (noise of the ratio to the reference {normalisation.reference_noise:.4f},"
      f" to itself {normalisation.self_noise:.4f})", file=sys.stderr)
write_tsv(result.profile, snakemake.output.profile, float_format="%.5g")
write_json(asdict(result.qc), snakemake.output.qc)
write_tsv(result.bins, snakemake.output.bins, float_format="%.4g")
write_tsv(result.segments, snakemake.output.segments, float_format="%.4g")
write_tsv(result.genes, snakemake.output.genes, float_format="%.4g")
write_tsv(pd.DataFrame([result.status], columns=STATUS_COLUMNS), snakemake.output.status)
