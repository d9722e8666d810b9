"""Entry point of rule check_fastq: read a unit's FASTQs to the end, fail on damage."""

import json
import os
import sys
from dataclasses import asdict

from ctc_profiler.fastq_check import FastqError, check_unit

sys.stderr = open(snakemake.log[0], "w")
try:
    summary = check_unit(snakemake.input.fq1, snakemake.input.get("fq2"))
except FastqError as error:
    message = f"Error: unit {snakemake.wildcards.sample}.{snakemake.wildcards.unit}: {error}"
    print(message, file=sys.stderr)
    print(message, file=sys.__stderr__)  # also on the console, beside Snakemake's error
    sys.exit(1)
part = f"{snakemake.output[0]}.part"
with open(part, "w") as handle:
    json.dump(asdict(summary), handle, indent=1)
os.replace(part, snakemake.output[0])
