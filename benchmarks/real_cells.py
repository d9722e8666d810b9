"""The workflow's copy-number call on real single cells, set against a
published method's calls on the same reads.

    .venv/bin/python benchmarks/real_cells.py --outdir /tmp/real_cells

The cells: 89 tumour cells of a triple-negative breast cancer (Kim et al.
2018, patient P2; DOP-PCR whole-genome amplification), as CHISEL (Zaccaria
and Raphael 2021) published them: reads per 5 Mb bin of hg19 per cell, the
reads of the matched bulk normal per bin, and CHISEL's haplotype-specific
copy numbers. They come from the shared real-data fixtures
(`single_cell/chisel_Kim2018_P2/`); GC per bin is averaged from the 1 Mb
hg19 GC track shipped with ichorCNA (`cnv_profiles/ichorcna/`).

Each cell goes through the workflow's own call as rule call_copy_number runs
it, `sample_call`: QC, the ratio with the bulk normal as its reference
normals (so the per-sample choice between that ratio and the flat one is
made as in a run), gene copy number from the shipped GRCh37 gene and
reference-region files, and the HER2 and EGFR calls (the detection limits
left out). Depth and QC settings
are `config/config.yaml`'s. The same is done after thinning every cell to
500,000 reads (binomial, seeded), the issue's lowest depth.

Per cell it writes OUTDIR/cells.tsv: QC, ploidy, which ratio was kept, HER2
and EGFR calls of the workflow and of CHISEL's copy numbers through the same
classifier, and the agreement of the workflow's integer copy number with
CHISEL's total (A + B) over the usable bins. The cancer is triple-negative:
no cell is expected to be HER2-positive. OUTDIR/summary.tsv has the figures
per depth, OUTDIR/clones.tsv per CHISEL clone; docs/real_cells.md quotes them.
The QC-passing cells of each depth then go through the workflow's clone
call (`patient_clones`), scored against CHISEL's clones: OUTDIR/clone_check.tsv
(clones called, adjusted Rand index, distances between cells of one CHISEL
clone) and OUTDIR/clone_members.tsv; docs/clones.md quotes them.
--simulated RUN... prints the same chromosome-level scatter for the diploid
WBCs of finished accuracy runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from clones import adjusted_rand_index  # noqa: E402

from ctc_profiler.copy_number.bins import BinMask, mask_bins, read_bed  # noqa: E402
from ctc_profiler.copy_number.clones import (  # noqa: E402
    CloneSettings,
    cell_distances,
    opposed_calls,
    patient_clones,
    profile_matrix,
    relative_levels,
    relative_states,
    trusted_table,
)
from ctc_profiler.copy_number.gene_copy_number import genes_copy_number  # noqa: E402
from ctc_profiler.copy_number.profile import fit_bins, relative_density  # noqa: E402
from ctc_profiler.copy_number.sample_call import SampleCallSettings, sample_call  # noqa: E402
from ctc_profiler.core.her2_egfr_rules import egfr_amplified, her2_call  # noqa: E402

REAL_DATA = ROOT.parent / "shared" / "data" / "real"
CELLS = Path("single_cell") / "chisel_Kim2018_P2"
GC_TRACK = Path("cnv_profiles") / "ichorcna" / "gc_hg19_1000kb.wig"
THINNED_READS = 500_000
POSITION = ["chrom", "start", "end"]
CELL = {"patient": "P2", "sample": "", "type": "ctc", "wga": "DOP-PCR"}  # how status_row sees each cell
IDENTITY = ("patient", "sample", "type", "wga", "erbb2_detectable_cn")


def read_wig(path: Path) -> pd.DataFrame:
    """A fixedStep wiggle track as chrom/start/end/value rows ('chr' names;
    starts 0-based). -1 marks a window without a value."""
    rows = []
    chrom, start, step = "", 0, 0
    for line in path.read_text().splitlines():
        if line.startswith("fixedStep"):
            fields = dict(part.split("=") for part in line.split()[1:])
            chrom = fields["chrom"] if fields["chrom"].startswith("chr") else f"chr{fields['chrom']}"
            start, step = int(fields["start"]) - 1, int(fields["step"])
        elif line.strip():
            rows.append((chrom, start, start + step, float(line)))
            start += step
    return pd.DataFrame(rows, columns=[*POSITION, "value"])


def bins_from_track(bins: pd.DataFrame, gc_track: pd.DataFrame, mask: BinMask) -> pd.DataFrame:
    """The workflow's bin table (gc, n_fraction, blacklisted, use) for
    CHISEL's bins, which are the ones it kept: GC is the mean of the track's
    windows inside the bin that hold a value. Taken as an N fraction, the
    track's 1 Mb windows without a value would mask a quarter of these bins,
    which CHISEL kept, so only GC masks here."""
    gc = []
    for chrom, start, end in bins[POSITION].itertuples(index=False):
        inside = gc_track[(gc_track["chrom"] == chrom) & (gc_track["start"] >= start) & (gc_track["end"] <= end)]
        known = inside["value"].to_numpy()
        known = known[known >= 0]
        gc.append(float(known.mean()) if len(known) else 0.0)
    return mask_bins(bins[POSITION].assign(gc=gc, n_fraction=0.0, blacklisted=0.0), mask)


def chisel_total(calls: pd.DataFrame, column: str = "CORRECTED_HAP_CN") -> pd.Series:
    """CHISEL's total copy number per row: A + B of its corrected haplotype
    copy numbers (or of its per-cell ones, `HAP_CN`, before the correction
    by clone)."""
    parts = calls[column].str.split("|", expand=True).astype(int)
    return parts[0] + parts[1]


def chisel_cell_scatter(data: Path) -> dict:
    """How far CHISEL's own per-cell total copy numbers (`HAP_CN`, before it
    corrects them by clone) differ: the median share of bins where two cells
    differ, for pairs within one of its clones and pairs across clones."""
    calls = pd.read_csv(data / CELLS / "calls.tsv.gz", sep="\t")
    clones = pd.read_csv(data / CELLS / "mapping.tsv", sep="\t", keep_default_na=False).set_index("#CELL")["CLONE"]
    totals = calls.assign(total=chisel_total(calls, "HAP_CN")).pivot_table(
        index=["#CHR", "START"], columns="CELL", values="total")
    labels = clones.reindex(totals.columns).fillna("None").to_numpy()
    placed = labels != "None"
    values = totals.to_numpy()
    differ = (values[:, :, None] != values[:, None, :]).mean(axis=0)
    pairs = np.triu(placed[:, None] & placed[None, :], k=1)
    same = labels[:, None] == labels[None, :]
    return {"chisel_per_cell_within_median": float(np.median(differ[pairs & same])),
            "chisel_per_cell_between_median": float(np.median(differ[pairs & ~same]))}


def thinned(counts: np.ndarray, reads: int, rng: np.random.Generator) -> np.ndarray:
    """Counts as if the cell had been sequenced to `reads` (binomial thinning);
    unchanged when it holds fewer."""
    total = counts.sum()
    return counts if total <= reads else rng.binomial(counts, reads / total)


def chromosome_sd(called: pd.DataFrame) -> float:
    """SD of the autosomes' median log2 ratios: in a cell without copy-number
    changes, the scatter of whole-chromosome levels."""
    usable = called[fit_bins(called) & np.isfinite(called["log2"].to_numpy(dtype=float))]
    return float(usable.groupby("chrom")["log2"].median().std())


def call_cell(bins: pd.DataFrame, reads: np.ndarray, normal: np.ndarray, regions: pd.DataFrame,
              settings: SampleCallSettings) -> tuple[dict, pd.DataFrame]:
    """One cell through the workflow's call: its status row (as in the
    copy-number `status.tsv`, without the sample's identity) and called bins."""
    counts = bins[POSITION].assign(reads=reads)
    # the bulk normal as the cell's reference normals, their one member
    normals = bins[POSITION].assign(normal=relative_density(bins.assign(reads=normal)))
    call = sample_call(CELL, bins, counts, None, None, regions, settings, normals, limits=False)
    row = {key: value for key, value in call.status.items() if key not in IDENTITY}
    return {**row, "chromosome_sd": chromosome_sd(call.bins)}, call.bins


def chisel_row(cell: pd.DataFrame, regions: pd.DataFrame, egfr_min_fold: float) -> dict:
    """CHISEL's own copy numbers read through the same gene table and classifier."""
    bins = cell[POSITION].assign(use=True, cn=cell["total"].to_numpy(dtype=float),
                                 cn_estimate=cell["total"].to_numpy(dtype=float))
    genes = genes_copy_number(bins, regions).set_index("gene")
    autosomal = ~cell["chrom"].isin(["chrX", "chrY"])
    ploidy = float(cell.loc[autosomal, "total"].mean())
    return {
        "chisel_ploidy": ploidy, "chisel_erbb2_cn": genes.loc["ERBB2", "cn"],
        "chisel_chr17_ref_cn": genes.loc["chr17_ref", "cn"],
        "chisel_her2_status": her2_call(genes.loc["ERBB2", "cn"], genes.loc["chr17_ref", "cn"]).status,
        "chisel_egfr_amplified": egfr_amplified(genes.loc["EGFR", "cn"], ploidy, egfr_min_fold),
    }


def agreement(called: pd.DataFrame, chisel: np.ndarray) -> dict:
    """Share of usable autosomal bins where the workflow's integer copy number
    equals CHISEL's total, or lies within one of it."""
    usable = fit_bins(called) & np.isfinite(called["cn"].to_numpy(dtype=float))
    diff = np.abs(called["cn"].to_numpy(dtype=float)[usable] - chisel[usable])
    return {"bins_compared": int(usable.sum()), "cn_equal": float(np.mean(diff == 0)),
            "cn_within_1": float(np.mean(diff <= 1))}


def load_settings(config: Path) -> tuple[SampleCallSettings, BinMask]:
    copy_number = yaml.safe_load(config.read_text())["copy_number"]
    return SampleCallSettings.from_config(copy_number), BinMask(**copy_number["mask"])


def grch37_regions() -> pd.DataFrame:
    """The shipped GRCh37 genes and copy-number reference regions."""
    return pd.concat([read_bed(ROOT / "workflow/resources/genes/GRCh37.bed"),
                      read_bed(ROOT / "workflow/resources/reference_regions/GRCh37.bed")])


def run(data: Path, seed: int, limit: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per cell and depth (`full`, `500k`), and the called bins of
    each (depth, sample, chrom, start, end, use, cn, cn_estimate); the first `limit`
    cells by name when given."""
    settings, mask = load_settings(ROOT / "config" / "config.yaml")
    regions = grch37_regions()
    calls = pd.read_csv(data / CELLS / "calls.tsv.gz", sep="\t").rename(
        columns={"#CHR": "chrom", "START": "start", "END": "end"})
    calls["total"] = chisel_total(calls)
    clones = pd.read_csv(data / CELLS / "mapping.tsv", sep="\t", keep_default_na=False).set_index("#CELL")["CLONE"]
    layout = calls[POSITION].drop_duplicates().reset_index(drop=True)
    bins = bins_from_track(layout, read_wig(data / GC_TRACK), mask)
    rng = np.random.default_rng(seed)
    rows, called_bins = [], []
    for name, cell in list(calls.groupby("CELL", sort=True))[:limit]:
        cell = layout.merge(cell, on=POSITION, how="left", validate="one_to_one")
        if cell["COUNT"].isna().any():
            raise ValueError(f"cell {name} lacks bins the other cells have")
        counts = cell["COUNT"].to_numpy(dtype=int)
        normal = cell["NORM_COUNT"].to_numpy(dtype=float)
        base = {"cell": name, "clone": clones.get(name, "None"), **chisel_row(cell, regions, settings.egfr_min_fold)}
        for depth, reads in (("full", counts), ("500k", thinned(counts, THINNED_READS, rng))):
            row, called = call_cell(bins, reads, normal, regions, settings)
            rows.append({**base, "depth": depth, **row, **agreement(called, cell["total"].to_numpy(dtype=float))})
            called_bins.append(called[[*POSITION, "use", "cn", "cn_estimate"]].assign(depth=depth, sample=name))
    return pd.DataFrame(rows), pd.concat(called_bins, ignore_index=True)


def summary(cells: pd.DataFrame) -> pd.DataFrame:
    """Per depth: QC, HER2 and EGFR calls, ploidy and bin agreement with CHISEL."""
    rows = []
    for depth, group in cells.groupby("depth", sort=False):
        passing = group[group["qc_pass"]]
        rows.append({
            "depth": depth, "cells": len(group), "qc_pass": len(passing),
            "median_reads": float(group["reads"].median()), "median_mapd": float(group["mapd"].median()),
            "median_gini": float(group["gini"].median()),
            "kept_normal": int((passing["reference"] == "normal").sum()),
            "her2_positive": int((passing["her2_status"] == "positive").sum()),
            "her2_equivocal": int((passing["her2_status"] == "equivocal").sum()),
            "her2_as_chisel": int((passing["her2_status"] == passing["chisel_her2_status"]).sum()),
            "egfr_amplified": int((passing["egfr_amplified"] == True).sum()),  # noqa: E712 (or not_assessable)
            "erbb2_as_chisel": int((passing["erbb2_cn"] == passing["chisel_erbb2_cn"]).sum()),
            "ploidy_within_0.5": int((np.abs(passing["ploidy"] - passing["chisel_ploidy"]) <= 0.5).sum()),
            "median_cn_equal": float(passing["cn_equal"].median()),
            "median_cn_within_1": float(passing["cn_within_1"].median()),
        })
    return pd.DataFrame(rows)


def clone_table(cells: pd.DataFrame) -> pd.DataFrame:
    """Per depth and CHISEL clone of the QC-passing cells: medians of the
    chromosome-level scatter, of both methods' ploidy and of bin agreement."""
    passing = cells[cells["qc_pass"]].fillna({"clone": "None"})
    return passing.groupby(["depth", "clone"], sort=False).agg(
        cells=("cell", "size"), chromosome_sd=("chromosome_sd", "median"),
        ploidy=("ploidy", "median"), chisel_ploidy=("chisel_ploidy", "median"),
        cn_equal=("cn_equal", "median"), cn_within_1=("cn_within_1", "median")).reset_index()


def clone_check(cells: pd.DataFrame, called_bins: pd.DataFrame,
                settings: CloneSettings = CloneSettings()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The workflow's clone call (`patient_clones`, as rule copy_number_clones
    runs it) on the QC-passing cells of each depth, against CHISEL's clones:
    clones called, the adjusted Rand index, and the distance
    (`cell_distances`) between cells CHISEL puts in one clone and across
    its clones. Second table: each cell's clone."""
    rows, members = [], []
    for depth, group in cells[cells["qc_pass"]].groupby("depth", sort=False):
        status = group.rename(columns={"cell": "sample"}).assign(type="ctc")
        bins = called_bins[(called_bins["depth"] == depth) & called_bins["sample"].isin(status["sample"])]
        found = patient_clones("P2", bins, status, settings).clones.set_index("sample")["clone"]
        truth = status.set_index("sample")["clone"].reindex(found.index)
        # CHISEL leaves a cell outside its clones as "None": scored are the cells it places
        placed = (truth != "None").to_numpy()
        profiles = profile_matrix(bins)
        chroms = profiles.positions["chrom"].to_numpy()
        states, _ = relative_states(profiles)
        trusted = trusted_table(states, chroms, settings.min_segment_bins)
        opposed = opposed_calls(status.set_index("sample"), list(states.columns))
        distances = cell_distances(relative_levels(profiles), trusted, settings, opposed)
        same = (truth.to_numpy()[:, None] == truth.to_numpy()[None, :]) & placed[:, None] & placed[None, :]
        matrix = distances.loc[found.index, found.index].to_numpy()
        both = placed[:, None] & placed[None, :]
        within = matrix[np.triu(same, k=1)]
        across = matrix[np.triu(both & ~same, k=1)]
        rows.append({
            "depth": depth, "cells": len(found), "cells_in_chisel_clones": int(placed.sum()),
            "chisel_clones": truth[placed].nunique(), "clones_called": found.nunique(),
            "ari_on_placed_cells": adjusted_rand_index(truth[placed].tolist(), found[placed].tolist()),
            "pairs_within_chisel_clone": len(within), "within_median": float(np.median(within)),
            "within_p90": float(np.quantile(within, 0.9)),
            "across_median": float(np.median(across)), "across_p10": float(np.quantile(across, 0.1)),
        })
        members.append(pd.DataFrame({"depth": depth, "cell": found.index, "chisel_clone": truth.to_numpy(),
                                     "clone": found.to_numpy()}))
    return pd.DataFrame(rows), pd.concat(members, ignore_index=True)


def simulated_scatter(run: Path) -> pd.DataFrame:
    """`chromosome_sd` of the QC-passing WBCs of a finished accuracy run
    (benchmarks/accuracy.py --outdir RUN), median per kit: the same measure
    on simulated diploid cells."""
    cells = pd.read_csv(run / "cells.tsv", sep="\t")
    wbcs = cells[(cells["type"] == "wbc") & cells["qc_pass"]]
    rows = []
    for wbc in wbcs.itertuples():
        bins = pd.read_csv(run / f"seed{wbc.seed}" / "results" / "copy_number" / wbc.sample / "bins.tsv",
                           sep="\t", dtype={"chrom": str})
        rows.append((wbc.kit, chromosome_sd(bins)))
    scatter = pd.DataFrame(rows, columns=["kit", "chromosome_sd"])
    return scatter.groupby("kit").agg(wbcs=("chromosome_sd", "size"),
                                      chromosome_sd=("chromosome_sd", "median")).reset_index()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outdir", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=REAL_DATA, help="the shared real-data fixtures")
    parser.add_argument("--seed", type=int, default=1, help="seed of the thinning to 500k reads")
    parser.add_argument("--cells", type=int, help="only the first CELLS cells by name (a quick check)")
    parser.add_argument("--simulated", type=Path, nargs="*", default=[],
                        help="finished accuracy runs whose WBCs' chromosome-level scatter to print beside")
    args = parser.parse_args()
    if not (args.data / CELLS / "calls.tsv.gz").exists():
        sys.exit(f"no real single-cell calls under {args.data / CELLS}; pass --data DIR")
    args.outdir.mkdir(parents=True, exist_ok=True)
    cells, called_bins = run(args.data, args.seed, args.cells)
    cells.to_csv(args.outdir / "cells.tsv", sep="\t", index=False, float_format="%.4g")
    table = summary(cells)
    table.to_csv(args.outdir / "summary.tsv", sep="\t", index=False, float_format="%.4g")
    clones = clone_table(cells)
    clones.to_csv(args.outdir / "clones.tsv", sep="\t", index=False, float_format="%.4g")
    print(table.T.to_string(header=False))
    print(clones.to_string(index=False, float_format="%.3f"))
    clone_calls, clone_members = clone_check(cells, called_bins)
    clone_calls.to_csv(args.outdir / "clone_check.tsv", sep="\t", index=False, float_format="%.4g")
    clone_members.to_csv(args.outdir / "clone_members.tsv", sep="\t", index=False)
    print(clone_calls.T.to_string(header=False))
    print(chisel_cell_scatter(args.data))
    print(pd.crosstab([clone_members["depth"], clone_members["chisel_clone"]], clone_members["clone"]).to_string())
    for accuracy_run in args.simulated:
        print(f"simulated WBCs of {accuracy_run}, median chromosome_sd per kit:")
        print(simulated_scatter(accuracy_run).to_string(index=False, float_format="%.3f"))


if __name__ == "__main__":
    main()
