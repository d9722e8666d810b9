"""Entry point of rule call_copy_number."""

import json
import sys

import pandas as pd

from ctc_profiler.bins import read_bed
from ctc_profiler.cell_qc import ProfileQc, QcThresholds
from ctc_profiler.copy_number import CallSettings, call_profile, reference_profile
from ctc_profiler.copy_number_status import STATUS_COLUMNS, status_row
from ctc_profiler.gene_copy_number import genes_copy_number
from ctc_profiler.window_copy_number import apply_windows, reference_reads, split_windows, window_evidence

sys.stderr = open(snakemake.log[0], "w")
settings = snakemake.params.settings
sample = snakemake.params.sample


def load(path):
    return pd.read_csv(path, sep="\t", dtype={"chrom": str})


def load_qc(path):
    with open(path) as handle:
        return ProfileQc(**json.load(handle))


profile = load(snakemake.input.profile)
qc = load_qc(snakemake.input.qc)
# reference cells that failed QC would add their own noise: leave them out
usable = [
    (name, load(path))
    for name, path, qc_path in zip(
        snakemake.params.references, snakemake.input.references, snakemake.input.reference_qc
    )
    if load_qc(qc_path).qc_pass
]
reference = reference_profile([p for _, p in usable]) if usable else None
reference_name = ",".join(name for name, _ in usable) if usable else "self"
print(f"normalised to: {reference_name}", file=sys.stderr)

call = CallSettings(
    min_segment_bins=settings["segmentation"]["min_bins"],
    penalty=settings["segmentation"]["penalty"],
    qc=QcThresholds(**settings["qc"]),
)
called, segments, ploidy = call_profile(profile, reference, sample.get("purity"), call)
bins, windows = split_windows(called)
regions = pd.concat([read_bed(snakemake.input.genes), read_bed(snakemake.input.reference_regions)])
genes = genes_copy_number(bins, regions)
references = [p for _, p in usable]
evidence = window_evidence(bins, windows, *reference_reads(references), len(references))
genes = apply_windows(genes, evidence, settings["gene_window"]["min_z"])
row = status_row(sample, reference_name, qc, ploidy, genes, settings["egfr_min_fold"])

bins.to_csv(snakemake.output.bins, sep="\t", index=False, float_format="%.4g")
segments.to_csv(snakemake.output.segments, sep="\t", index=False, float_format="%.4g")
genes.insert(0, "sample", sample["sample"])
genes.to_csv(snakemake.output.genes, sep="\t", index=False, float_format="%.4g")
pd.DataFrame([row], columns=STATUS_COLUMNS).to_csv(snakemake.output.status, sep="\t", index=False)
