"""Entry point of rule check_fastq: read a unit's FASTQs to the end and write
its verdict; damaged files are a verdict, not an error (only the check's own
errors fail the job)."""

import sys

from ctc_profiler.inputs.fastq_verdicts import unit_verdict, write_verdict

sys.stderr = open(snakemake.log[0], "w")
wildcards = snakemake.wildcards
verdict = unit_verdict(wildcards.sample, wildcards.unit, snakemake.input.fq1,
                       snakemake.input.get("fq2"))
if verdict["problem"]:
    message = (f"Error: unit {wildcards.sample}.{wildcards.unit}: {verdict['problem']}; "
               f"sample {wildcards.sample} is reported not_assessable")
    print(message, file=sys.stderr)
    print(message, file=sys.__stderr__)  # also on the console, as it is found
write_verdict(verdict, snakemake.output[0])
