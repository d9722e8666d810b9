"""Entry point of rule copy_number_summary: the per-sample status rows in one table."""

import sys

import pandas as pd

sys.stderr = open(snakemake.log[0], "w")
tables = [pd.read_csv(path, sep="\t", keep_default_na=False) for path in snakemake.input]
pd.concat(tables).to_csv(snakemake.output[0], sep="\t", index=False)
