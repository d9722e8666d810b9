"""Entry point of rule call_copy_number: a sample's GC-corrected profile and
QC, its ratio to the reference samples, segments, copy number and status."""

import json
import sys
from dataclasses import asdict

import pandas as pd

from ctc_profiler.copy_number.bins import read_bed
from ctc_profiler.copy_number.profile import CallSettings, call_profile, profile_from_counts
from ctc_profiler.copy_number.sample_summary import STATUS_COLUMNS, status_row
from ctc_profiler.copy_number.detection_limit import egfr_status_limit, limit_text, status_limit
from ctc_profiler.copy_number.reference_normals import panel_reference, read_panel
from ctc_profiler.copy_number.gene_tiles import called_genes, split_windows

sys.stderr = open(snakemake.log[0], "w")
settings = snakemake.params.settings
sample = snakemake.params.sample
call = CallSettings.from_config(settings)
bin_table = pd.read_csv(snakemake.input.bins, sep="\t", dtype={"chrom": str})
windows = pd.read_csv(snakemake.input.windows, sep="\t", dtype={"chrom": str})

profile, qc = profile_from_counts(bin_table, windows, snakemake.input.counts, snakemake.input.window_counts,
                                  call.qc)
profile.to_csv(snakemake.output.profile, sep="\t", index=False, float_format="%.5g")
with open(snakemake.output.qc, "w") as handle:
    json.dump(asdict(qc), handle, indent=1)

# the median of the patient's reference panel without the sample itself
reference, used = (panel_reference(read_panel(snakemake.input.panel), profile, sample["sample"])
                   if snakemake.input.panel else (None, []))
called, segments, ploidy, normalisation = call_profile(profile, reference, sample.get("purity"), call)
reference_name = ",".join(used) if normalisation.to_reference else "self"
print(f"normalised to: {reference_name} (noise of the ratio to the reference {normalisation.reference_noise:.4f},"
      f" to itself {normalisation.self_noise:.4f})", file=sys.stderr)
bins, windows_called = split_windows(called)
regions = pd.concat([read_bed(snakemake.input.genes), read_bed(snakemake.input.reference_regions)])
tiling = settings["gene_window"]
genes = called_genes(bins, windows_called, regions, ploidy, tiling["min_tiles"], call.penalty)
row = status_row(sample, reference_name, qc, ploidy, genes, settings["egfr_min_fold"], normalisation)
# what a negative or equivocal cell could have missed
amplicon_bp = settings["detection_limit"]["amplicon_bp"]
limit = status_limit(row, bins, regions, amplicon_bp, call.min_segment_bins, call.penalty, windows_called,
                     tiling["min_tiles"])
row["erbb2_detectable_cn"] = limit_text(limit)
egfr_limit = egfr_status_limit(row, bins, regions, settings["egfr_min_fold"], amplicon_bp, call.min_segment_bins,
                               call.penalty, windows_called, tiling["min_tiles"])
row["egfr_detectable_cn"] = limit_text(egfr_limit)

bins.to_csv(snakemake.output.bins, sep="\t", index=False, float_format="%.4g")
segments.to_csv(snakemake.output.segments, sep="\t", index=False, float_format="%.4g")
genes.insert(0, "sample", sample["sample"])
genes.to_csv(snakemake.output.genes, sep="\t", index=False, float_format="%.4g")
pd.DataFrame([row], columns=STATUS_COLUMNS).to_csv(snakemake.output.status, sep="\t", index=False)
