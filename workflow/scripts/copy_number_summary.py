"""Entry point of rule copy_number_summary: the per-sample status rows in one table."""

import sys

import pandas as pd

from ctc_profiler.copy_number.sample_summary import STATUS_COLUMNS
from ctc_profiler.core.tables import write_tsv

sys.stderr = open(snakemake.log[0], "w")
tables = [pd.read_csv(path, sep="\t", keep_default_na=False) for path in snakemake.input]
# no sample at all when every sample's FASTQs failed the check: the header only
summary = pd.concat(tables) if tables else pd.DataFrame(columns=STATUS_COLUMNS)
write_tsv(summary, snakemake.output[0])
