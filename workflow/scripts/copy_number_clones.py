"""Entry point of rule copy_number_clones: a patient's QC-passing CTCs
clustered into copy-number clones, each against the primary
(`copy_number.clones`)."""

import sys

import pandas as pd

from ctc_profiler.copy_number.clones import CloneSettings, patient_clones
from ctc_profiler.core.tables import write_tsv
from ctc_profiler.core.words import CN_QC_PASS, PRIMARY

sys.stderr = open(snakemake.log[0], "w")
status = pd.concat([pd.read_csv(path, sep="\t") for path in snakemake.input.status], ignore_index=True)
# genome-wide profiles that passed QC: a noisy cell's segments are not to be trusted
passing = status[(status["cn_qc"] == CN_QC_PASS) & status["type"].isin(["ctc", PRIMARY])]
# status and bins files come in the same sample order (the rule's input lists)
kept = set(passing["sample"])
tables = [pd.read_csv(path, sep="\t", dtype={"chrom": str}).assign(sample=sample)
          for path, sample in zip(snakemake.input.bins, status["sample"]) if sample in kept]
bins = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["sample", "chrom", "start", "end",
                                                                                 "use", "cn"])
settings = CloneSettings.from_config(snakemake.params.settings)
found = patient_clones(snakemake.wildcards.patient, bins, passing, settings)
# cells in the tree's leaf order, so the heatmap can follow it
order = {sample: i for i, sample in enumerate(found.leaf_order)}
clones = found.clones.sort_values("sample", key=lambda s: s.map(order).fillna(len(order)), kind="stable")
write_tsv(clones, snakemake.output.clones)
write_tsv(found.clone_profiles, snakemake.output.profiles)
write_tsv(found.clone_summary, snakemake.output.summary)
write_tsv(found.tree, snakemake.output.tree)
