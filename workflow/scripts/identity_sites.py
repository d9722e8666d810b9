"""Entry point of rule identity_sites: the run's germline SNVs, pooled over
its patients, with their population allele frequencies where
`resources.germline` holds them (`variants.identity_sites`)."""

import sys

from ctc_profiler.core.atomic import atomic_output
from ctc_profiler.core.tables import write_tsv
from ctc_profiler.variants.identity_sites import germline_snvs, pooled_sites, trusted_snvs, with_population_af
from ctc_profiler.variants.population import open_population

sys.stderr = open(snakemake.log[0], "w")
params = snakemake.params
tables, contigs, called = [], [], 0
with open_population(snakemake.input.population[0] if snakemake.input.population else None) as population:
    for path in snakemake.input.germline_snvs:
        snvs, header_contigs = germline_snvs(path)
        called += len(snvs)
        # each SNV looked up once: the frequency both admits it and goes with it to rule identity
        tables.append(trusted_snvs(with_population_af(snvs, population), params.min_qual, params.min_qual_known))
        contigs += [c for c in header_contigs if c not in contigs]
sites = pooled_sites(tables, contigs, params.max_sites)
print(f"{len(sites)} sites from {sum(len(t) for t in tables)} germline SNVs of {len(tables)} patients "
      f"({called} called); {sites['population_af'].notna().sum()} with a population allele frequency",
      file=sys.stderr)
write_tsv(sites, snakemake.output.sites)
# bcftools -T: chrom and 1-based position, no header
with atomic_output(snakemake.output.positions) as part:
    sites[["chrom", "pos"]].to_csv(part, sep="\t", index=False, header=False)
