"""Entry point of rule fastq_failures, the run's last job: fails, naming every
damaged unit, once everything else was made; else records that all passed."""

import sys

from ctc_profiler.core.atomic import write_text
from ctc_profiler.core.tables import read_tsv
from ctc_profiler.inputs.fastq_verdicts import failure_report

sys.stderr = open(snakemake.log[0], "w")
tables = [read_tsv(snakemake.input.verdicts)]
if report := failure_report(tables):
    print(report, file=sys.stderr)
    print(report, file=sys.__stderr__)
    sys.exit(1)
write_text(f"{sum(map(len, tables))} units passed the FASTQ check\n", snakemake.output[0])
