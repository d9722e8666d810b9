"""ERBB2 and HER2 of every QC-passing single cell of a finished accuracy run,
recalled from its counts with other settings of the gene tiles' rule.

    PYTHONPATH=workflow/scripts .venv/bin/python benchmarks/gene_tiles.py RUN/seed1 [--min-tiles 5 8 10]
        [--penalty 2 3 4] [--noise lags neighbours mad] [--guard off on] [--level geometric mean trimmed]
        [--oracle]

Each cell's profile is called once as rule call_copy_number calls it (same
counts, references and settings from RUN/seed1/config.yaml); then only the
ERBB2 tile segmentation is redone per setting, and ERBB2 is the tile
segment's copy number where the tiles split, else the bin segment's. The
noise of the tiles: `lags` (the workflow's: the largest robust SD of tile
differences 1, 5 and 10 apart), `neighbours` (successive differences, the
bins' estimate) or `mad` (robust SD of the values). `--guard on` keeps the
bin segment's copy number where the tile segment's lies closer to the
cell's ploidy (tiles are there to undo dilution, which pulls towards it).
`--level` reads the tile segment's level as the workflow does, `geometric`
(the mean of the tiles' log2 ratios), or as the `mean` of their ratios, or
their 10% `trimmed` mean. `--oracle` adds a row that knows what no setting
does, each cell's true segment holding ERBB2: the gene takes the level of
the tiles wholly inside it (always, at each `--level`), which is what a
segmentation that found the amplicon's extent exactly would read.
Prints, per setting,
HER2 sensitivity at each amplified level (all kits, and without MDA),
specificity over HER2-negative cells and ERBB2 within +-1, against the run's
truth (cohorts/*/truth/genes.tsv). The setting the run itself used gives
the figures of its own scoring (benchmarks/accuracy.py --score-only).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.stats import trim_mean

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
from ctc_profiler.copy_number.bins import read_bed  # noqa: E402
from ctc_profiler.copy_number.profile import (  # noqa: E402
    CallSettings,
    call_profile,
    profile_from_counts,
    reference_profile,
)
from ctc_profiler.copy_number.gene_copy_number import genes_copy_number  # noqa: E402
from ctc_profiler.core.her2_egfr_rules import her2_call  # noqa: E402
from ctc_profiler.copy_number.segmentation import noise_sd  # noqa: E402
from ctc_profiler.copy_number.gene_tiles import (  # noqa: E402
    gene_tiles,
    level_copy_number,
    run_copy_number,
    split_windows,
    takes_tiles,
    tile_noise_sd,
    tile_segment,
)

CELL_TYPES = ("ctc", "wbc")


def called_cells(run: Path) -> tuple[dict[str, dict], str, int]:
    """Per QC-passing cell: its tiles, ERBB2's bin-segment copy number and
    chr17_ref; and ERBB2's chromosome and centre."""
    results = run / "results" / "copy_number"
    settings = yaml.safe_load((run / "config.yaml").read_text())["copy_number"]
    call = CallSettings.from_config(settings)
    bin_table = pd.read_csv(results / "bins" / "genome.tsv", sep="\t", dtype={"chrom": str})
    windows = pd.read_csv(results / "bins" / "gene_windows.tsv", sep="\t", dtype={"chrom": str})
    reference_dir = next(run.glob("cohorts/*/reference"))
    regions = pd.concat([read_bed(reference_dir / "genes.bed"), read_bed(reference_dir / "reference_regions.bed")])
    summary = pd.read_csv(results / "summary.tsv", sep="\t").set_index("sample")

    def profile(sample: str) -> pd.DataFrame:
        return profile_from_counts(bin_table, windows, results / sample / "counts.tsv",
                                   results / sample / "window_counts.tsv", call.qc)[0]

    cells = {}
    for sample, row in summary.iterrows():
        if row["type"] not in CELL_TYPES or not row["qc_pass"]:
            continue
        names = [] if row["reference"] == "self" else row["reference"].split(",")
        reference = reference_profile([profile(name) for name in names]) if names else None
        called, _, _, _ = call_profile(profile(sample), reference, None, call)
        bins, windows_called = split_windows(called)
        genes = genes_copy_number(bins, regions).set_index("gene")
        cells[sample] = {"tiles": gene_tiles(windows_called), "segment_cn": genes.loc["ERBB2", "cn"],
                         "chr17_ref": genes.loc["chr17_ref", "cn"], "kit": row["wga"], "type": row["type"],
                         "ploidy": float(row["ploidy"])}
    erbb2 = regions[regions["name"] == "ERBB2"].iloc[0]
    return cells, str(erbb2["chrom"]), (int(erbb2["start"]) + int(erbb2["end"])) // 2


def tile_sd(tiles_of: dict[str, pd.DataFrame], noise: str) -> float:
    values = np.concatenate([tiles["log2"].to_numpy(dtype=float) for tiles in tiles_of.values()])
    if noise == "lags":
        return tile_noise_sd(tiles_of)
    if noise == "neighbours":
        return noise_sd(values)
    return 1.4826 * float(np.median(np.abs(values - np.median(values))))


def tile_run_copy_number(tiles: pd.DataFrame, run: slice, level: str) -> float:
    """The copy number of a run of tiles, at the level `--level` names."""
    if level == "geometric":
        return run_copy_number(tiles, run)
    ratio = tiles["ratio"].to_numpy(dtype=float)[run]
    return level_copy_number(tiles, float(np.mean(ratio)) if level == "mean" else float(trim_mean(ratio, 0.1)))


def true_run(tiles: pd.DataFrame, centre: int, segments: pd.DataFrame) -> slice:
    """The tiles wholly inside the true segment holding `centre` (`segments`:
    one sample's truth/copy_number.tsv rows on ERBB2's chromosome)."""
    holding = segments[(segments["start"] <= centre) & (segments["end"] > centre)].iloc[0]
    inside = np.flatnonzero((tiles["start"] >= holding["start"]).to_numpy()
                            & (tiles["end"] <= holding["end"]).to_numpy())
    return slice(int(inside[0]), int(inside[-1]) + 1) if len(inside) else slice(0, 0)


def score(cells: dict[str, dict], centre: int, truth: pd.DataFrame, min_tiles: int, penalty: float,
          noise: str, guard: str = "off", level: str = "geometric", oracle: pd.DataFrame | None = None) -> dict:
    """The figures of one setting; with `oracle` (truth/copy_number.tsv rows
    on ERBB2's chromosome), of the true segment's tiles instead."""
    rows = []
    for sample, cell in cells.items():
        tiles = cell["tiles"].get("ERBB2")
        cn = cell["segment_cn"]
        if tiles is not None and oracle is not None:
            run = true_run(tiles, centre, oracle[oracle["sample"] == sample])
            if run.stop > run.start:
                cn = round(tile_run_copy_number(tiles, run, level))
        elif tiles is not None:
            run, segments = tile_segment(tiles, centre, tile_sd(cell["tiles"], noise), min_tiles, penalty)
            tile_cn = round(tile_run_copy_number(tiles, run, level))
            # the workflow's rule, or without its ploidy guard
            if (takes_tiles(segments, tile_cn, cn, cell["ploidy"]) if guard == "on" else segments > 1):
                cn = tile_cn
        true_cn, true_status = ((truth.loc[sample, "cn"], truth.loc[sample, "her2_status"]) if cell["type"] == "ctc"
                                else (2, "negative"))
        rows.append({"kit": cell["kit"], "true_cn": true_cn, "true_status": true_status, "cn": cn,
                     "positive": her2_call(cn, cell["chr17_ref"]).status == "positive"})
    frame = pd.DataFrame(rows)
    result = {"min_tiles": min_tiles, "penalty": penalty, "noise": noise, "guard": guard, "level": level}
    for label, part in (("", frame), (" (no MDA)", frame[frame["kit"] != "MDA"])):
        for true_cn in sorted(part.loc[part["true_status"] == "positive", "true_cn"].unique()):
            at = part[part["true_cn"] == true_cn]
            result[f"CN {true_cn}{label}"] = f"{int(at['positive'].sum())}/{len(at)}"
    negatives = frame[frame["true_status"] == "negative"]
    result["specificity"] = f"{int((~negatives['positive']).sum())}/{len(negatives)}"
    result["ERBB2 ±1"] = f"{int(((frame['cn'] - frame['true_cn']).abs() <= 1).sum())}/{len(frame)}"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", type=Path, help="a seed directory of benchmarks/accuracy.py")
    parser.add_argument("--min-tiles", type=int, nargs="+", default=[5, 8, 10])
    parser.add_argument("--penalty", type=float, nargs="+", default=[2.0, 3.0, 4.0])
    parser.add_argument("--noise", nargs="+", default=["lags", "neighbours", "mad"],
                        choices=["lags", "neighbours", "mad"])
    parser.add_argument("--guard", nargs="+", default=["off"], choices=["off", "on"])
    parser.add_argument("--level", nargs="+", default=["geometric"], choices=["geometric", "mean", "trimmed"])
    parser.add_argument("--oracle", action="store_true", help="add the rows of the true segment's tiles")
    args = parser.parse_args()
    cells, chrom, centre = called_cells(args.run)
    truth = pd.concat([pd.read_csv(path, sep="\t") for path in args.run.glob("cohorts/*/truth/genes.tsv")])
    truth = truth[truth["gene"] == "ERBB2"].set_index("sample")
    settings = itertools.product(args.level, args.guard, args.noise, args.min_tiles, args.penalty)
    rows = [score(cells, centre, truth, min_tiles, penalty, noise, guard, level)
            for level, guard, noise, min_tiles, penalty in settings]
    if args.oracle:
        segments = pd.concat([pd.read_csv(path, sep="\t", dtype={"chrom": str})
                              for path in args.run.glob("cohorts/*/truth/copy_number.tsv")])
        segments = segments[segments["chrom"] == chrom]
        rows += [{**score(cells, centre, truth, 0, 0.0, "-", "-", level, oracle=segments),
                  "min_tiles": "-", "penalty": "-", "noise": "oracle"} for level in args.level]
    table = pd.DataFrame(rows)
    print(f"{len(cells)} QC-passing single cells of {args.run}")
    print(table.to_markdown(index=False))


if __name__ == "__main__":
    main()
