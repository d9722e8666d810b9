"""Entry point of rule copy_number_bins: genome windows, or capture targets."""

import sys

from ctc_profiler.copy_number.bins import (
    BinMask,
    blacklist_fraction,
    make_bins,
    mask_bins,
    read_bed,
    target_bins,
)
from ctc_profiler.core.tables import write_bed, write_tsv

sys.stderr = open(snakemake.log[0], "w")
params = snakemake.params
if snakemake.wildcards.bin_set == "genome":
    bins = make_bins(snakemake.input.fasta, params.size, params.contigs)
else:
    bins = target_bins(snakemake.input.fasta, read_bed(snakemake.input.targets), params.contigs)
if params.blacklist:
    bins["blacklisted"] = blacklist_fraction(bins, read_bed(params.blacklist))
bins = mask_bins(bins, BinMask(**params.mask))
write_tsv(bins, snakemake.output.bins, float_format="%.4f")
write_bed(bins, snakemake.output.bed)
print(f"{len(bins)} bins, {int(bins['use'].sum())} usable", file=sys.stderr)
