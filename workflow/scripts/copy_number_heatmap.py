"""Entry point of rule copy_number_heatmap: a patient's profiles, CTCs by clone."""

import sys

import pandas as pd

from ctc_profiler.copy_number.bins import read_bed
from ctc_profiler.copy_number.plots import plot_heatmap, row_order, rows_by_clone
from ctc_profiler.core.tables import read_positions
from ctc_profiler.core.words import NOT_ASSESSABLE

sys.stderr = open(snakemake.log[0], "w")
clones = pd.read_csv(snakemake.input.clones, sep="\t", keep_default_na=False)
clustered = clones[clones["clone"] != NOT_ASSESSABLE]
clone_of = dict(zip(clustered["sample"], clustered["clone"]))
profiles, types, names = [], [], []
for bins_path, status_path in zip(snakemake.input.bins, snakemake.input.status):
    status = pd.read_csv(status_path, sep="\t").iloc[0]
    bins = read_positions(bins_path)
    if bins.empty:  # a failed call: no profile to show
        continue
    clone = f", clone {clone_of[status['sample']]}" if status["sample"] in clone_of else ""
    label = f"{status['sample']} ({status['type']}{clone}, HER2 {status['her2_status']})"
    profiles.append((label, bins))
    types.append(status["type"])
    names.append(status["sample"])
# CTCs in the clone tree's order (clones.tsv lists them so); without clones, by likeness
order = (rows_by_clone(types, names, list(clustered["sample"])) if len(clustered)
         else row_order(types, [bins for _, bins in profiles]))
tree = pd.read_csv(snakemake.input.tree, sep="\t", dtype={"left": str, "right": str})
cut = float(tree["cut"].iloc[0]) if len(tree) else None  # where the tree was cut into the clones
plot_heatmap([profiles[i] for i in order], read_bed(snakemake.input.genes), f"Patient {snakemake.wildcards.patient}",
             snakemake.output[0], tree=tree, names=[names[i] for i in order], cut=cut)
