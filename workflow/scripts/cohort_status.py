"""Entry point of rule cohort_status: status.tsv, discordance.tsv and patients.tsv."""

import sys

import pandas as pd

from ctc_profiler.core.tables import read_tsv, read_tsvs, write_tsv
from ctc_profiler.inputs.fastq_verdicts import failure_reasons
from ctc_profiler.status.discordance import build_discordance
from ctc_profiler.status.loss import LossSettings
from ctc_profiler.status.patients import build_patients
from ctc_profiler.status.samples import build_status

sys.stderr = open(snakemake.log[0], "w")
samples = pd.DataFrame(snakemake.params.samples)
copy_number = read_tsv(snakemake.input.copy_number)
hotspots = read_tsvs(snakemake.input.hotspots)
cell_metrics = read_tsvs(snakemake.input.cell_metrics)
# samples left out because a unit failed the FASTQ check, with the reason
unchecked = failure_reasons([read_tsv(snakemake.input.verdicts)])
# the identity table, when the check ran (identity.enabled)
identity_files = list(snakemake.input.identity)
identity = read_tsv(identity_files[0]) if identity_files else None
status = build_status(samples, copy_number, hotspots, cell_metrics, unchecked, identity)
discordance = build_discordance(status, hotspots, unchecked, LossSettings.from_config(snakemake.params.loss))
patients = build_patients(status, discordance, snakemake.params.min_positive_ctcs, unchecked)
write_tsv(status, snakemake.output.status)
write_tsv(discordance, snakemake.output.discordance)
write_tsv(patients, snakemake.output.patients)
