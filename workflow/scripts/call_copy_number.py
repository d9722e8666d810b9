"""Entry point of rule call_copy_number: every copy-number call of one
patient, each sample's files in its own folder (`copy_number.patient_calls`)."""

import sys

from ctc_profiler.copy_number.patient_calls import SampleInputs, call_patient
from ctc_profiler.copy_number.sample_call import SampleCallSettings

sys.stderr = open(snakemake.log[0], "w")
failed = call_patient([SampleInputs(**sample) for sample in snakemake.params.samples], snakemake.input.windows,
                      [snakemake.input.genes, snakemake.input.reference_regions],
                      SampleCallSettings.from_config(snakemake.params.settings), snakemake.output[0])
if failed:
    print(f"the call failed for {', '.join(failed)}: their status says so", file=sys.stderr)
