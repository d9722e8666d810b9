"""Entry point of rule identity: each sample's reads at the run's germline
sites against every patient's genotypes (`variants.identity`)."""

import sys

import pandas as pd

from ctc_profiler.core.atomic import atomic_output
from ctc_profiler.core.tables import write_tsv
from ctc_profiler.variants.germline_genotypes import IdentitySettings, germline_genotypes
from ctc_profiler.variants.identity import identity_table, shared_germlines
from ctc_profiler.variants.identity_sites import site_counts, site_counts_none

sys.stderr = open(snakemake.log[0], "w")
settings = IdentitySettings.from_config(snakemake.params.settings)
sites = pd.read_csv(snakemake.input.sites, sep="\t", dtype={"chrom": str})
# no patient with a checked sample (every unit damaged): no reads, no verdicts
counts = pd.concat([site_counts(path, sites) for path in snakemake.input.reads] or [site_counts_none()],
                   ignore_index=True)
sheet = pd.DataFrame(snakemake.params.samples)
sheet = sheet[sheet["sample"].isin(snakemake.params.checked)]
print(f"{len(sites)} sites; {len(counts)} sample-site pairs with reads", file=sys.stderr)
warnings = shared_germlines(germline_genotypes(counts, sheet, settings), settings)
for warning in warnings:
    print(f"warning: {warning}", file=sys.stderr)
write_tsv(identity_table(counts, sheet, settings, population=sites), snakemake.output.table)
with atomic_output(snakemake.output.warnings) as part:
    part.write_text("".join(f"{warning}\n" for warning in warnings))
