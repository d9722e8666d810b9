"""Entry point of rule genotype_variants: a patient's mutation, hotspot and
cell-metric tables from its joint VCF and BAMs."""

import sys

from ctc_profiler.inputs.hotspot_table import read_hotspots
from ctc_profiler.variants.dropout import AdoSettings
from ctc_profiler.variants.normal_panel import GermlineElsewhere, read_panel
from ctc_profiler.variants.origin import OriginSettings
from ctc_profiler.variants.patient import (
    HOTSPOT_COLUMNS,
    METRIC_COLUMNS,
    MUTATION_COLUMNS,
    genotype_patient,
    read_genes,
    read_segments,
    sample_from_row,
    write_table,
)
from ctc_profiler.variants.population import open_population
from ctc_profiler.variants.states import StateSettings

sys.stderr = open(snakemake.log[0], "w")
params = snakemake.params
settings = params.settings
patient = snakemake.wildcards.patient
population = open_population(snakemake.input.germline[0] if snakemake.input.germline else None)
elsewhere = GermlineElsewhere(
    read_panel(getattr(snakemake.input, "panel", None), patient), population.af, settings["population_min_af"]
)
result = genotype_patient(
    patient,
    [sample_from_row(row) for row in params.samples],
    snakemake.input.vcf,
    params.bams,
    read_hotspots(str(table)) if (table := getattr(snakemake.input, "hotspots", None)) else [],
    read_genes(snakemake.input.genes),
    snakemake.input.fasta,
    settings=StateSettings.from_config(settings),
    ado_settings=AdoSettings.from_config(settings),
    origin=OriginSettings.from_config(settings),
    ado_priors=settings["ado_prior"],
    min_bq=settings["min_bq"],
    min_mq=settings["min_mq"],
    segments={sample: read_segments(path) for sample, path in params.segments.items()},
    elsewhere=elsewhere,
)
population.close()
write_table(result.mutations, MUTATION_COLUMNS, snakemake.output.mutations)
write_table(result.hotspots, HOTSPOT_COLUMNS, snakemake.output.hotspots)
write_table(result.metrics, METRIC_COLUMNS, snakemake.output.metrics)
for row in result.metrics:
    print(f"{row['sample']}: {row['note']}", file=sys.stderr)
