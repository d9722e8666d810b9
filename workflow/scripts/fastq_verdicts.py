"""Entry point of checkpoint fastq_verdicts: every unit's verdict in one table."""

import sys

from ctc_profiler.inputs.fastq_verdicts import verdict_table, write_verdict_table

sys.stderr = open(snakemake.log[0], "w")
write_verdict_table(verdict_table(snakemake.input), snakemake.output[0])
