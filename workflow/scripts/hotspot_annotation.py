"""Entry point of rule hotspot_annotation: the hotspot alleles as a
tabix-indexed table and its VCF header line, for bcftools annotate."""

import os
import sys

import pysam

from ctc_profiler.core.atomic import write_text
from ctc_profiler.inputs.hotspot_table import (
    ANNOTATION_HEADER,
    annotation_rows,
    read_hotspots,
    reference_allele_problems,
)
from ctc_profiler.inputs.reference_check import contig_names

sys.stderr = open(snakemake.log[0], "w")
hotspots = read_hotspots(snakemake.input.hotspots)
# the start-up check of the alleles needs an index of the reference; where
# there was none yet, this job (the first with one) makes the same check
with pysam.FastaFile(snakemake.input.fasta, filepath_index=snakemake.input.fai) as fasta:
    problems = reference_allele_problems(hotspots, fasta.fetch, snakemake.params.source)
if problems:
    sys.exit("Invalid hotspot table:\n" + "\n".join(problems))
rows = annotation_rows(hotspots, contig_names(snakemake.input.fasta, snakemake.input.fai))
plain = snakemake.output.table + ".txt.part"
with open(plain, "w") as handle:
    handle.writelines("\t".join(map(str, row)) + "\n" for row in rows)
part = snakemake.output.table + ".part"
pysam.tabix_compress(plain, part, force=True)
os.remove(plain)
pysam.tabix_index(part, seq_col=0, start_col=1, end_col=1, force=True, zerobased=False)
os.replace(part + ".tbi", snakemake.output.index)
os.replace(part, snakemake.output.table)
write_text(ANNOTATION_HEADER + "\n", snakemake.output.header)
print(f"{len(rows)} hotspot alleles", file=sys.stderr)
