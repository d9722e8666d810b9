"""Clone recovery: the workflow's CTC clones against the simulator's copy-number
clones, as the adjusted Rand index, over WGA kits, cells per clone and reads.

    .venv/bin/python benchmarks/clones.py --outdir /tmp/clones [--seeds 1 2]
        [--kits PicoPLEX MALBAC DOP-PCR Ampli1 MDA] [--cells 3 5] [--reads 1000000 2000000]

Per (seed, kit, cells per clone, reads) one patient is simulated with 3 CTC
clones of `cells` cells each: the primary's trunk alone, an ERBB2-amplified
subclone with broad events of its own (`--subclone-events`: chr11 and 8q
gains), and an EGFR-amplified one; and run up to its clones. The truth is the
simulator's own copy-number table (truth/copy_number.tsv): CTCs with the same
true profile are one clone. Scored: the adjusted Rand index of the called
partition against it (the CTCs the workflow clustered, i.e. those passing QC),
the number of clones called and true. Reads are human-equivalent as in the
accuracy benchmark (`accuracy_grid.simulated_reads`). Prints one row per
point and the mean ARI per kit x cells x reads; writes OUTDIR/clones.tsv.
"""

from __future__ import annotations

import argparse
import sys
import time
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "simulator"))

import pandas as pd  # noqa: E402
from accuracy_grid import reads_label, simulated_reads  # noqa: E402
from harness import simulated_run  # noqa: E402

KITS = ("PicoPLEX", "MALBAC", "DOP-PCR", "Ampli1", "MDA")


def adjusted_rand_index(truth: list[str], called: list[str]) -> float:
    """Hubert and Arabie's adjusted Rand index of two partitions of the same items."""
    table = pd.crosstab(pd.Series(truth, name="truth"), pd.Series(called, name="called"))
    pairs = sum(comb(int(n), 2) for n in table.to_numpy().ravel())
    rows = sum(comb(int(n), 2) for n in table.sum(axis=1))
    cols = sum(comb(int(n), 2) for n in table.sum(axis=0))
    expected = rows * cols / comb(len(truth), 2) if len(truth) > 1 else 0.0
    top = (rows + cols) / 2
    return 1.0 if top == expected else (pairs - expected) / (top - expected)


def true_clones(cohort: Path, ctcs: list[str]) -> dict[str, str]:
    """Each CTC's clone by its true copy-number profile: equal profiles, one clone."""
    table = pd.read_csv(cohort / "truth/copy_number.tsv", sep="\t")
    profiles = {s: tuple(map(tuple, g[["chrom", "start", "end", "cn"]].to_numpy())) for s, g in table.groupby("sample")}
    names: dict[tuple, str] = {}
    return {s: names.setdefault(profiles[s], f"T{len(names) + 1}") for s in ctcs}


def simulator_options(kit: str, cells: int, reads: int) -> list[str]:
    return ["--ctcs", str(3 * cells), "--amplified-ctcs", str(cells), "--egfr-l858r-ctcs", "0",
            "--egfr-amplified-ctcs", str(cells), "--subclone-events", "--wbcs", "2", "--kit", kit,
            "--reads-per-cell", str(simulated_reads(reads)), "--no-panel"]


def score(workdir: Path) -> dict[str, object]:
    called = pd.read_csv(workdir / "results/copy_number/P1.clones.tsv", sep="\t", keep_default_na=False)
    clustered = called[called["clone"] != "not_assessable"]
    sheet = pd.read_csv(workdir / "cohort/samples.tsv", sep="\t")
    ctcs = list(sheet.loc[sheet["type"] == "ctc", "sample"])
    truth = true_clones(workdir / "cohort", ctcs)
    samples = list(clustered["sample"])
    return {"ctcs": len(ctcs), "clustered": len(samples), "true_clones": len(set(truth.values())),
            "called_clones": clustered["clone"].nunique(),
            "ari": round(adjusted_rand_index([truth[s] for s in samples], list(clustered["clone"])), 3)
            if len(samples) > 1 else float("nan")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", type=Path, required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--kits", nargs="+", default=list(KITS))
    parser.add_argument("--cells", type=int, nargs="+", default=[3, 5], help="cells per clone")
    parser.add_argument("--reads", type=int, nargs="+", default=[1_000_000, 2_000_000],
                        help="human-equivalent reads per cell")
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = []
    for seed in args.seeds:
        for kit in args.kits:
            for cells in args.cells:
                for reads in args.reads:
                    workdir = (args.outdir / f"seed{seed}" / f"{kit}-{cells}cells-{reads_label(reads)}").resolve()
                    simulated_run(workdir, seed, simulator_options(kit, cells, reads),
                                  "results/copy_number/P1.clones.tsv", args.cores)
                    rows.append({"seed": seed, "kit": kit, "cells_per_clone": cells, "reads": reads_label(reads),
                                 **score(workdir)})
                    print(f"{rows[-1]} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    table = pd.DataFrame(rows)
    args.outdir.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.outdir / "clones.tsv", sep="\t", index=False)
    print(table.to_markdown(index=False))
    pooled = table.groupby(["kit", "cells_per_clone", "reads"], sort=False)["ari"].mean().round(3).reset_index()
    print("\nmean ARI over seeds\n" + pooled.to_markdown(index=False))
    print(f"\nseeds {', '.join(map(str, args.seeds))}; {(time.perf_counter() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
