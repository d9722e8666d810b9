"""Entry point of rule identity_sites: the run's germline SNVs, pooled over
its patients (`variants.identity_sites`)."""

import sys

from ctc_profiler.core.atomic import atomic_output
from ctc_profiler.core.tables import write_tsv
from ctc_profiler.variants.identity_sites import germline_snvs, pooled_sites

sys.stderr = open(snakemake.log[0], "w")
tables, contigs = [], []
for path in snakemake.input:
    snvs, header_contigs = germline_snvs(path)
    tables.append(snvs)
    contigs += [c for c in header_contigs if c not in contigs]
sites = pooled_sites(tables, contigs, snakemake.params.max_sites)
print(f"{len(sites)} sites from {sum(len(t) for t in tables)} germline SNVs of {len(tables)} patients",
      file=sys.stderr)
write_tsv(sites, snakemake.output.sites)
# bcftools -T: chrom and 1-based position, no header
with atomic_output(snakemake.output.positions) as part:
    sites[["chrom", "pos"]].to_csv(part, sep="\t", index=False, header=False)
