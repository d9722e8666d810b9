"""The copy-number call on a real ERBB2 amplification, read at single-cell
depths.

    .venv/bin/python benchmarks/real_amplicon.py --outdir /tmp/real_amplicon

The profile: the whole-genome tumour profile of chromosome 17 that CNVkit
ships as a test file (`cnv_profiles/cnvkit/wgs-chr17.cnr.gz` in the shared
real-data fixtures; hg19, log2 ratios per bin of about 266 bp). It holds a
focal ERBB2 amplicon of about 350 kb (37.70-38.05 Mb) at some 9 times the
chromosome's median, over a broader gain of about 2 from 37.2 to 38.5 Mb;
TOP2A (38.54 Mb) lies outside both. It is the only real ERBB2-amplified
genome in the fixtures; the single cells there (benchmarks/real_cells.py)
are HER2-negative.

Each draw is one cell of this tumour (purity 1) on the workflow's human
layout over hg19 chromosome 17: 500 kb bins, and 50 kb tiles out to 1.5 Mb
(`bins.window_tiles`, the sizes config/config.yaml gives for a human genome)
around ERBB2, GRB7, TOP2A and four flat stretches of chr17 that stand in for
the other genes a run tiles (their tiles' noise is pooled with ERBB2's).
Read depth follows the profile's ratio per 5 kb (over chr17's median bin),
times the cell's amplification: one draw of a kit's coverage swings from the
simulator's WGA model (`ctc_simulator.wga.log_coverage`; kit `none` is flat, and
GC bias is left out). N reads per cell put N / 6,000 reads in a 500 kb bin
at ratio 1, as benchmarks/accuracy_grid.py counts them, and reads are drawn
from Poisson, seeded. 5 kb stretches without a profile bin are assembly
gaps, counted as N. GC per interval is the 1 Mb hg19 GC track shipped with
ichorCNA. Each draw then goes through rule call_copy_number's call,
`sample_call`: QC, normalised to itself, bin segments, then the tiles, and
the status row (the detection limits left out), with the shipped GRCh37
genes and reference regions and the config's thresholds.

Bulk samples of the same tumour follow: its DNA mixed with diploid normal
cells' at purities from 1 down to 0.05, at 5 and 20 M reads, without
amplification noise, each called as a primary tumour twice: with its purity
in the sample sheet and with it left empty (the call then reads purity 1).

The truth is the profile's own ISH-like ratio, the mean ratio over ERBB2 over
the mean over chr17_ref, which needs no ploidy. OUTDIR/draws.tsv has one row
per kit, depth and cell; OUTDIR/summary.tsv per kit and depth;
OUTDIR/bulk_draws.tsv and bulk_summary.tsv the same for the bulk samples;
docs/real_amplicon.md quotes them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
sys.path.insert(0, str(ROOT / "simulator"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from accuracy_grid import reads_per_bin  # noqa: E402
from real_cells import GC_TRACK, REAL_DATA, grch37_regions, read_wig  # noqa: E402

from ctc_profiler.copy_number.bins import BinMask, mask_bins, window_tiles  # noqa: E402
from ctc_profiler.copy_number.sample_call import SampleCallSettings, sample_call  # noqa: E402
from ctc_profiler.core.her2_egfr_rules import her2_call  # noqa: E402
from ctc_simulator.wga import WGA_KITS, log_coverage  # noqa: E402

PROFILE = Path("cnv_profiles") / "cnvkit" / "wgs-chr17.cnr.gz"
CHROM, LENGTH = "chr17", 81_195_210  # hg19
BIN_BP, TILE_BP, FLANK_BP = 500_000, 50_000, 1_500_000  # config/config.yaml's human sizes
GRID_BP = 5_000  # the profile is read per 5 kb; a stretch without a profile bin counts as gap (N)
DEPTHS = (250_000, 500_000, 1_000_000, 2_000_000)
KITS = ("none", *(kit for kit in WGA_KITS if kit != "none"))
POSITION = ["chrom", "start", "end"]
CELL = {"patient": "wgs-chr17", "sample": "", "type": "ctc", "wga": "none"}  # purity 1, integer calls
BULK = {**CELL, "type": "primary"}  # purity-corrected estimates
PURITIES = (1.0, 0.6, 0.4, 0.3, 0.2, 0.15, 0.1, 0.05)
BULK_READS = (5_000_000, 20_000_000)
TILED = ("ERBB2", "GRB7", "TOP2A")  # the workflow's genes on chr17
# A run tiles seven genes and pools their tiles' noise; the other four
# (EGFR, FGFR1, MYC, CCND1) are not on chr17, so four stretches of chr17
# without a change in the profile stand in for them (centres, hg19)
STAND_INS = {"stand_in_1": 3_500_000, "stand_in_2": 12_000_000, "stand_in_3": 17_000_000, "stand_in_4": 63_000_000}


def read_profile(data: Path) -> pd.DataFrame:
    """The profile's bins as chrom/start/end/ratio (CNVkit writes about -20
    for bins without reads: ratio 0)."""
    cnr = pd.read_csv(data / PROFILE, sep="\t", usecols=["chromosome", "start", "end", "log2"])
    return cnr.rename(columns={"chromosome": "chrom"}).assign(ratio=lambda t: 2.0 ** t["log2"])[
        [*POSITION, "ratio"]]


def grid_ratio(profile: pd.DataFrame) -> np.ndarray:
    """The profile's mean ratio per `GRID_BP` cell of the chromosome (NaN
    where no profile bin lies: assembly gaps and unmappable stretches)."""
    middles = ((profile["start"] + profile["end"]) // 2).to_numpy()
    cells = np.arange(0, LENGTH, GRID_BP)
    index = np.searchsorted(cells, middles, side="right") - 1
    total = np.bincount(index, weights=profile["ratio"].to_numpy(), minlength=len(cells))
    count = np.bincount(index, minlength=len(cells))
    with np.errstate(invalid="ignore"):
        return total / count


def track_gc(intervals: pd.DataFrame, track: pd.DataFrame) -> np.ndarray:
    """Mean GC of the track's windows overlapping each interval (those with a value)."""
    windows = track[(track["chrom"] == CHROM) & (track["value"] >= 0)]
    gc = []
    for start, end in intervals[["start", "end"]].to_numpy():
        values = windows.loc[(windows["start"] < end) & (windows["end"] > start), "value"]
        gc.append(float(values.mean()) if len(values) else 0.0)
    return np.array(gc)


def interval_cells(intervals: pd.DataFrame) -> list[slice]:
    return [slice(start // GRID_BP, -(-end // GRID_BP)) for start, end in intervals[["start", "end"]].to_numpy()]


class Layout(NamedTuple):
    bins: pd.DataFrame
    windows: pd.DataFrame  # the gene tiles kept, as bins.gene_windows keeps them
    bin_cells: list[slice]
    window_cells: list[slice]
    ratio: np.ndarray  # per grid cell, 0 in gaps, chr17's median bin at 1
    covered: np.ndarray  # grid cells holding a profile bin (the rest are gap)


def layout(regions: pd.DataFrame, profile: pd.DataFrame, track: pd.DataFrame, mask: BinMask) -> Layout:
    starts = np.arange(0, LENGTH - BIN_BP // 2, BIN_BP)
    bins = pd.DataFrame({"chrom": CHROM, "start": starts, "end": np.minimum(starts + BIN_BP, LENGTH)})
    stand_ins = pd.DataFrame({"chrom": CHROM, "start": list(STAND_INS.values()), "name": list(STAND_INS)})
    genes = pd.concat([regions[regions["name"].isin(TILED)],
                       stand_ins.assign(end=stand_ins["start"] + 1)])
    tiles = pd.DataFrame(window_tiles(genes, {CHROM: LENGTH}, TILE_BP, FLANK_BP))
    ratio = grid_ratio(profile)
    for intervals in (bins, tiles):
        gap = [float(np.mean(~np.isfinite(ratio[cells]))) for cells in interval_cells(intervals)]
        intervals["gc"], intervals["n_fraction"], intervals["blacklisted"] = track_gc(intervals, track), gap, 0.0
    bins = mask_bins(bins, mask)
    covered = np.isfinite(ratio)
    ratio = np.nan_to_num(ratio)
    bin_cells = interval_cells(bins)
    ratio /= np.median([ratio[cells].mean() for cells, use in zip(bin_cells, bins["use"]) if use])
    keep = (mask_bins(tiles, mask)["use"] | tiles["probe"]).to_numpy()
    windows = tiles.loc[keep, [*POSITION, "gc", "n_fraction"]].assign(window=tiles.loc[keep, "gene"])
    windows = windows.reset_index(drop=True)
    return Layout(bins, windows, bin_cells, interval_cells(windows), ratio, covered)


def expected_reads(grid: Layout, coverage: np.ndarray, human_reads: int,
                   purity: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Expected reads of each bin and tile: the grid cells' ratio times the
    cell's amplification `coverage` (mean 1), at `human_reads` per sample.
    A bulk sample of `purity` mixes the tumour with diploid normal cells, the
    tumour's chr17 median (ratio 1) taken as 2 copies, as its call reads it."""
    ratio = purity * grid.ratio + (1 - purity) * grid.covered
    per_cell = ratio * coverage * reads_per_bin(human_reads) * GRID_BP / BIN_BP
    return (np.array([per_cell[cells].sum() for cells in grid.bin_cells]),
            np.array([per_cell[cells].sum() for cells in grid.window_cells]))


def amplification(kit: str, rng: np.random.Generator) -> np.ndarray:
    """One cell's coverage along the chromosome's grid under a kit's
    simulated WGA noise (its long-range coverage swings; mean 1)."""
    wga = WGA_KITS[kit]
    values = np.exp(log_coverage(LENGTH // GRID_BP + 1, GRID_BP, wga.coverage_sigma, wga.coverage_corr_bp, rng))
    return values / values.mean()


def profile_truth(profile: pd.DataFrame, regions: pd.DataFrame) -> dict:
    """The profile's own mean ratio over each region, and its ISH-like ratio."""
    truth = {}
    for region in regions[regions["chrom"] == CHROM].itertuples():
        inside = profile[(profile["start"] < region.end) & (profile["end"] > region.start)]
        truth[region.name] = float(inside["ratio"].mean())
    return {"erbb2_over_chr17_ref": truth["ERBB2"] / truth["chr17_ref"],
            "top2a_over_chr17_ref": truth["TOP2A"] / truth["chr17_ref"]}


def call_draw(bins: pd.DataFrame, windows: pd.DataFrame, reads: np.ndarray, tile_reads: np.ndarray,
              regions: pd.DataFrame, settings: SampleCallSettings, sample: dict = CELL,
              purity: float | None = None) -> dict:
    """One draw through the workflow's call (`sample_call`, normalised to
    itself, without detection limits): its status row and the copy number of
    ERBB2 (with its bin segment's), GRB7, TOP2A and chr17_ref. `purity` is
    what the sample sheet gives (None: empty)."""
    counts = bins[POSITION].assign(reads=reads)
    tile_counts = windows[POSITION].assign(reads=tile_reads)
    call = sample_call({**sample, "purity": purity}, bins, counts, windows, tile_counts, regions, settings,
                       limits=False)
    row, genes = call.status, call.genes.set_index("gene")
    keep = ("qc_pass", "qc_reason", "median_reads_per_bin", "mapd", "ploidy", "erbb2_cn", "erbb2_source",
            "chr17_ref_cn", "her2_ratio", "her2_group", "her2_status")
    return {**{key: row[key] for key in keep},
            "erbb2_segment_cn": genes.loc["ERBB2", "segment_cn"],
            "erbb2_tiles": genes.loc["ERBB2", "window_tiles"],
            **{f"{name.lower()}_cn": genes.loc[name, "cn"] for name in TILED if name != "ERBB2"}}


class Bench(NamedTuple):
    grid: Layout
    regions: pd.DataFrame
    settings: SampleCallSettings
    truth: dict

    def call(self, reads: tuple[np.ndarray, np.ndarray], sample: dict = CELL, purity: float | None = None) -> dict:
        return call_draw(self.grid.bins, self.grid.windows, *reads, self.regions, self.settings, sample, purity)


def prepare(data: Path) -> Bench:
    """The layout, regions, settings (config/config.yaml's) and truth."""
    copy_number = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["copy_number"]
    settings, mask = SampleCallSettings.from_config(copy_number), BinMask(**copy_number["mask"])
    regions = grch37_regions()
    regions = regions[regions["chrom"] == CHROM].reset_index(drop=True)
    profile = read_profile(data)
    grid = layout(regions, profile, read_wig(data / GC_TRACK), mask)
    return Bench(grid, regions, settings, profile_truth(profile, regions))


def run(data: Path, draws: int, seed: int, kits: tuple[str, ...] = KITS,
        depths: tuple[int, ...] = DEPTHS) -> tuple[pd.DataFrame, dict]:
    """Cells: one row per kit, depth and draw, and the profile's own truth.
    Kit `none` is the amplicon with Poisson noise alone; its depth `expected`
    (draw 0) is the expected reads at 2 M, without noise."""
    bench = prepare(data)
    flat = np.ones(len(bench.grid.ratio))
    rows = [{"kit": "none", "depth": "expected", "draw": 0,
             **bench.call(expected_reads(bench.grid, flat, 2_000_000))}]
    rng = np.random.default_rng(seed)
    for kit in kits:
        for depth in depths:
            for draw in range(1, draws + 1):
                coverage = amplification(kit, rng)
                reads = tuple(rng.poisson(e) for e in expected_reads(bench.grid, coverage, depth))
                rows.append({"kit": kit, "depth": depth, "draw": draw, **bench.call(reads)})
    return pd.DataFrame(rows), bench.truth


def run_bulk(data: Path, draws: int, seed: int, purities: tuple[float, ...] = PURITIES,
             depths: tuple[int, ...] = BULK_READS) -> tuple[pd.DataFrame, dict]:
    """Bulk samples of the tumour mixed with normal cells (no amplification
    noise): one row per purity, depth and draw, each draw called twice, with
    its purity in the sheet and with the sheet's purity left empty; and the
    profile's own truth."""
    bench = prepare(data)
    flat = np.ones(len(bench.grid.ratio))
    rng = np.random.default_rng(seed)
    rows = []
    for purity in purities:
        for depth in depths:
            for draw in range(1, draws + 1):
                reads = tuple(rng.poisson(e) for e in expected_reads(bench.grid, flat, depth, purity))
                for given in (purity, None):
                    rows.append({"purity": purity, "purity_given": given is not None, "depth": depth, "draw": draw,
                                 **bench.call(reads, BULK, given)})
    return pd.DataFrame(rows), bench.truth


def summary(draws: pd.DataFrame, truth: dict) -> pd.DataFrame:
    """Per depth: QC, HER2 calls, and how far the called ratio lies from the profile's own."""
    rows = []
    for (kit, depth), group in draws.groupby(["kit", "depth"], sort=False):
        passing = group[group["qc_pass"]]
        rows.append({
            "kit": kit, "depth": depth, "draws": len(group), "qc_pass": len(passing),
            "her2_positive": int((passing["her2_status"] == "positive").sum()),
            "her2_positive_bins_only": int(sum(her2_call(erbb2, chr17).status == "positive" for erbb2, chr17
                                               in zip(passing["erbb2_segment_cn"], passing["chr17_ref_cn"]))),
            "erbb2_from_tiles": int((passing["erbb2_source"] == "window").sum()),
            "ratio_within_25pct": int(
                (np.abs(passing["her2_ratio"] / truth["erbb2_over_chr17_ref"] - 1) <= 0.25).sum()),
            "median_erbb2_cn": passing["erbb2_cn"].median(),
            "median_erbb2_segment_cn": passing["erbb2_segment_cn"].median(),
            "median_chr17_ref_cn": passing["chr17_ref_cn"].median(),
            "median_her2_ratio": passing["her2_ratio"].median(),
            "profile_her2_ratio": truth["erbb2_over_chr17_ref"],
            "median_top2a_cn": passing["top2a_cn"].median(),
            "top2a_as_amplified": int((passing["top2a_cn"] >= 2 * passing["chr17_ref_cn"]).sum()),
        })
    return pd.DataFrame(rows)


def bulk_summary(draws: pd.DataFrame, truth: dict) -> pd.DataFrame:
    """Per purity, depth and whether the sheet gave the purity: HER2 calls
    and the called ratio against the profile's own."""
    return draws.groupby(["purity", "depth", "purity_given"], sort=False).agg(
        draws=("draw", "size"), her2_positive=("her2_status", lambda s: int((s == "positive").sum())),
        median_erbb2_cn=("erbb2_cn", "median"), median_chr17_ref_cn=("chr17_ref_cn", "median"),
        median_her2_ratio=("her2_ratio", "median")).reset_index().assign(
        profile_her2_ratio=truth["erbb2_over_chr17_ref"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outdir", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=REAL_DATA, help="the shared real-data fixtures")
    parser.add_argument("--draws", type=int, default=20, help="samples drawn per kit (or purity) and depth")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kits", nargs="+", default=list(KITS), choices=KITS)
    args = parser.parse_args()
    if not (args.data / PROFILE).exists():
        sys.exit(f"no real amplified profile at {args.data / PROFILE}; pass --data DIR")
    args.outdir.mkdir(parents=True, exist_ok=True)
    draws, truth = run(args.data, args.draws, args.seed, tuple(args.kits))
    draws.to_csv(args.outdir / "draws.tsv", sep="\t", index=False, float_format="%.4g")
    table = summary(draws, truth)
    table.to_csv(args.outdir / "summary.tsv", sep="\t", index=False, float_format="%.4g")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    bulk, _ = run_bulk(args.data, args.draws, args.seed)
    bulk.to_csv(args.outdir / "bulk_draws.tsv", sep="\t", index=False, float_format="%.4g")
    table = bulk_summary(bulk, truth)
    table.to_csv(args.outdir / "bulk_summary.tsv", sep="\t", index=False, float_format="%.4g")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


if __name__ == "__main__":
    main()
