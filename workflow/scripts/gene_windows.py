"""Entry point of rule gene_windows: each gene's own counting window and its
flanking tiles."""

import sys

from ctc_profiler.copy_number.bins import BinMask, gene_windows, read_bed
from ctc_profiler.core.tables import write_bed, write_tsv

sys.stderr = open(snakemake.log[0], "w")
params = snakemake.params
genes = read_bed(snakemake.input.genes)
windows = gene_windows(snakemake.input.fasta, genes, params.window["min_bp"], params.window["flank_bp"],
                       BinMask(**params.mask), read_bed(params.blacklist) if params.blacklist else None)
missing = sorted(set(genes["name"]) - set(windows["window"]))
if missing:
    print(f"no window for {', '.join(missing)}: their contigs are not in the reference", file=sys.stderr)
write_tsv(windows, snakemake.output.tsv, float_format="%.4f")
write_bed(windows, snakemake.output.bed)
