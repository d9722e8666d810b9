"""CPU seconds per cell of rule call_copy_number's code at a human genome's
size, in one interpreter (imports paid once), and what a fresh process adds.

    .venv/bin/python benchmarks/call_cost.py [--cells 20 --bin-kb 500 --reads 1000000] [--profile]

A synthetic cohort on the GRCh38 chromosome lengths (chr1-22, X), 500 kb
bins (about 6,200): WBC cells as the reference panel, CTCs of which every
third carries a 1 Mb ERBB2 amplicon at 10 copies and every fourth a 1 Mb
EGFR amplicon at 10 copies; reads per bin Poisson around a WGA-like coverage
(log-normal swings correlated over 3 bins, SD 0.25), GC drawn per bin. Each
cell goes through `copy_number.sample_call.sample_call`, ERBB2's and EGFR's
gene windows included (`copy_number.bins.window_tiles`, 50 kb tiles, 1.5 Mb
flanks), with and without the detection limits; the script prints CPU
seconds per cell (median and mean), the share the limits take, and the CPU
seconds a fresh interpreter spends importing the call's modules (what a
process per cell pays again for each cell). --profile prints the call's top
functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))

from ctc_profiler.copy_number.bins import window_tiles  # noqa: E402
from ctc_profiler.copy_number.profile import corrected_profile, relative_density  # noqa: E402
from ctc_profiler.copy_number.reference_normals import POSITION, median_reference  # noqa: E402
from ctc_profiler.copy_number.sample_call import SampleCallSettings, sample_call  # noqa: E402

# GRCh38 primary assembly lengths
GRCH38 = {
    "chr1": 248_956_422, "chr2": 242_193_529, "chr3": 198_295_559, "chr4": 190_214_555, "chr5": 181_538_259,
    "chr6": 170_805_979, "chr7": 159_345_973, "chr8": 145_138_636, "chr9": 138_394_717, "chr10": 133_797_422,
    "chr11": 135_086_622, "chr12": 133_275_309, "chr13": 114_364_328, "chr14": 107_043_718,
    "chr15": 101_991_189, "chr16": 90_338_345, "chr17": 83_257_441, "chr18": 80_373_285, "chr19": 58_617_616,
    "chr20": 64_444_167, "chr21": 46_709_983, "chr22": 50_818_468, "chrX": 156_040_895,
}
SWING_SD = 0.15  # log coverage; the profiles' MAPD comes out near PicoPLEX's
GENES = pd.DataFrame({"chrom": ["chr17", "chr7"], "start": [39_687_913, 55_019_016],
                      "end": [39_730_426, 55_211_628], "name": ["ERBB2", "EGFR"]})
REGIONS = pd.concat([GENES, pd.DataFrame({"chrom": ["chr17", "chr7"], "start": [25_100_000, 60_100_000],
                                          "end": [25_300_000, 60_250_000], "name": ["chr17_ref", "chr7_ref"]})])


def genome_bins(bin_bp: int, rng: np.random.Generator) -> pd.DataFrame:
    rows = [(c, s, min(s + bin_bp, n)) for c, n in GRCH38.items() for s in range(0, n, bin_bp)]
    bins = pd.DataFrame(rows, columns=["chrom", "start", "end"])
    bins["gc"] = rng.uniform(0.35, 0.55, len(bins))
    bins["n_fraction"], bins["blacklisted"], bins["use"] = 0.0, 0.0, True
    return bins


def gene_windows(rng: np.random.Generator) -> pd.DataFrame:
    tiles = window_tiles(GENES, GRCH38, 50_000, 1_500_000)
    windows = pd.DataFrame([(t.chrom, t.start, t.end, t.gene) for t in tiles],
                           columns=["chrom", "start", "end", "window"])
    windows["gc"] = rng.uniform(0.35, 0.55, len(windows))
    windows["n_fraction"] = 0.0
    return windows


def copies(table: pd.DataFrame, amplicons: list[tuple[str, int, int, float]]) -> np.ndarray:
    """Copy number of each row: 2, or an amplicon's level over the share of the row it covers."""
    cn = np.full(len(table), 2.0)
    for chrom, start, end, level in amplicons:
        covered = np.clip(np.minimum(table["end"], end) - np.maximum(table["start"], start), 0, None)
        share = (covered / (table["end"] - table["start"])).to_numpy() * (table["chrom"] == chrom).to_numpy()
        cn += share * (level - 2)
    return cn


def cell_counts(table: pd.DataFrame, per_copy_bp: float, amplicons: list, rng: np.random.Generator) -> pd.DataFrame:
    """Reads of each row: `per_copy_bp` reads per base and copy, times the row's copies and a coverage swing."""
    swing = np.convolve(rng.normal(0, SWING_SD, len(table) + 2), np.ones(3) / np.sqrt(3), mode="valid")
    expected = per_copy_bp * (table["end"] - table["start"]).to_numpy() * copies(table, amplicons) * np.exp(swing)
    return table[POSITION].assign(reads=rng.poisson(expected))


def per_copy(bins: pd.DataFrame, reads: int) -> float:
    """Reads per base and copy that give a diploid cell `reads` reads over the bins."""
    return reads / (2 * (bins["end"] - bins["start"]).sum())


def amplicon(name: str, level: float) -> tuple[str, int, int, float]:
    gene = GENES[GENES["name"] == name].iloc[0]
    middle = (gene["start"] + gene["end"]) // 2
    return gene["chrom"], middle - 500_000, middle + 500_000, level


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=20, help="CTCs (default 20)")
    parser.add_argument("--wbcs", type=int, default=4, help="WBC cells in the reference panel (default 4)")
    parser.add_argument("--bin-kb", type=int, default=500)
    parser.add_argument("--reads", type=int, default=1_000_000, help="reads per cell (default 1 M)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print the call's top functions")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    bins, windows = genome_bins(args.bin_kb * 1000, rng), gene_windows(rng)
    settings = SampleCallSettings()
    density = per_copy(bins, args.reads)

    panel = bins[POSITION].copy()
    densities = []
    for i in range(args.wbcs):
        profile, _ = corrected_profile(bins, cell_counts(bins, density, [], rng), settings.qc, windows,
                                       cell_counts(windows, density, [], rng))
        densities.append(relative_density(profile))
    panel = profile[POSITION].copy()
    for i, member in enumerate(densities):
        panel[f"WBC{i + 1}"] = member
    assert median_reference(densities) is not None

    cells = []
    for i in range(args.cells):
        amplicons = ([amplicon("ERBB2", 10)] if i % 3 == 0 else []) + ([amplicon("EGFR", 10)] if i % 4 == 1 else [])
        counts = cell_counts(bins, density, amplicons, rng)
        window_counts = cell_counts(windows, density, amplicons, rng)
        sample = {"patient": "P1", "sample": f"CTC{i + 1:02d}", "type": "ctc", "wga": "PicoPLEX", "purity": None}
        cells.append((sample, counts, window_counts))

    seconds: dict[bool, list[float]] = {True: [], False: []}
    statuses = []
    profiler = cProfile.Profile() if args.profile else None
    for limits in (False, True):
        for sample, counts, window_counts in cells:
            started = time.process_time()
            if profiler and limits:
                profiler.enable()
            call = sample_call(sample, bins, counts, windows, window_counts, REGIONS, settings, panel, limits)
            if profiler and limits:
                profiler.disable()
            seconds[limits].append(time.process_time() - started)
            if limits:
                statuses.append(call.status)

    imports = subprocess.run(
        [sys.executable, "-c", "import time; import ctc_profiler.copy_number.sample_call, "
         "ctc_profiler.copy_number.segmentation, ruptures, pandas, numpy, "
         "statsmodels.nonparametric.smoothers_lowess; print(time.process_time())"],
        capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT / "workflow" / "scripts")})
    table = pd.DataFrame(statuses)
    print(f"{len(bins):,} bins, {len(windows)} gene tiles, {args.cells} CTCs at {args.reads:,} reads, "
          f"panel of {args.wbcs} WBCs")
    for limits in (False, True):
        values = seconds[limits]
        print(f"call {'with' if limits else 'without'} detection limits: CPU s per cell median "
              f"{statistics.median(values):.3f}, mean {statistics.mean(values):.3f}, max {max(values):.3f}")
    share = 1 - statistics.mean(seconds[False]) / statistics.mean(seconds[True])
    print(f"the limits' share of the call: {share:.2f}")
    print(f"a fresh interpreter importing the call's modules: {float(imports.stdout):.3f} CPU s")
    print(table[["sample", "mapd", "her2_status", "erbb2_cn", "erbb2_detectable_cn", "egfr_cn", "egfr_amplified",
                 "egfr_detectable_cn"]].to_string(index=False))
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
