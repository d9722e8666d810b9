"""Entry point of rule copy_number_bins."""

import sys

from ctc_profiler.bins import BinMask, blacklist_fraction, make_bins, mask_bins, read_bed

sys.stderr = open(snakemake.log[0], "w")
bins = make_bins(snakemake.input.fasta, snakemake.params.size, snakemake.params.contigs)
if snakemake.params.blacklist:
    bins["blacklisted"] = blacklist_fraction(bins, read_bed(snakemake.params.blacklist))
bins = mask_bins(bins, BinMask(**snakemake.params.mask))
bins.to_csv(snakemake.output.bins, sep="\t", index=False, float_format="%.4f")
bins[["chrom", "start", "end"]].to_csv(snakemake.output.bed, sep="\t", index=False, header=False)
print(f"{len(bins)} bins, {int(bins['use'].sum())} usable", file=sys.stderr)
