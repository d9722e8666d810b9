"""Call copy number again, with this checkout's code, on a finished accuracy
run whose reads were removed: each sample's read counts, bins, gene windows
and reference normals are still there, and rule call_copy_number needs no
more (`copy_number.sample_call.sample_call`, as its script calls it).

    .venv/bin/python benchmarks/recall_copy_number.py RUN OUT [--seeds 1 2]
    .venv/bin/python benchmarks/accuracy.py --outdir OUT --grid GRID --seeds 1 2 --score-only

RUN is an `accuracy.py --outdir` (seed1/, seed2/, ...). OUT gets, per seed,
the cohorts (linked: the truth) and results/copy_number/summary.tsv of the
new calls, so `accuracy.py --score-only` and `copy_number_targets.py` score
them as they would the workflow's own. A sample's reference normals are the
table rule reference_normals made for its group (the patient's WBCs of its
kit), where there is one; a WBC is normalised to the others of its group,
as in the workflow.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))

import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from ctc_profiler.copy_number.bins import read_bed  # noqa: E402
from ctc_profiler.copy_number.profile import read_sample_counts  # noqa: E402
from ctc_profiler.copy_number.reference_normals import normals_name, read_normals  # noqa: E402
from ctc_profiler.copy_number.sample_call import SampleCallSettings, sample_call  # noqa: E402
from ctc_profiler.copy_number.sample_summary import STATUS_COLUMNS  # noqa: E402


def recall_seed(run: Path, out: Path) -> int:
    config = yaml.safe_load((run / "config.yaml").read_text())
    defaults = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["copy_number"]
    settings = SampleCallSettings.from_config({**defaults, **config.get("copy_number", {})})
    results = run / "results"
    bins = pd.read_csv(results / "copy_number/bins/genome.tsv", sep="\t", dtype={"chrom": str})
    windows = pd.read_csv(results / "copy_number/bins/gene_windows.tsv", sep="\t", dtype={"chrom": str})
    resources = config["resources"]
    regions = pd.concat([read_bed(resources["genes"]), read_bed(resources["reference_regions"])])
    sheet = pd.read_csv(config["samples"] if Path(config["samples"]).is_absolute() else run / config["samples"],
                        sep="\t", keep_default_na=False)
    rows = []
    for sample in sheet.to_dict("records"):
        folder = results / "copy_number" / sample["sample"]
        if not (folder / "counts.tsv").exists():
            continue
        sample["purity"] = float(sample["purity"]) if str(sample.get("purity", "")).strip() else None
        counts, window_counts = read_sample_counts(windows, folder / "counts.tsv", folder / "window_counts.tsv")
        group = normals_name(sample["type"], sample["wga"], "lowpass_wgs")
        path = results / "copy_number/references" / sample["patient"] / f"{group}.tsv"
        normals = read_normals(path) if path.exists() else None
        call = sample_call(sample, bins, counts, windows, window_counts, regions, settings, normals)
        rows.append(call.status)
    summary = out / "results/copy_number/summary.tsv"
    summary.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=STATUS_COLUMNS).to_csv(summary, sep="\t", index=False)
    cohorts = out / "cohorts"
    if not cohorts.exists():
        cohorts.symlink_to(run / "cohorts")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    for seed in args.seeds:
        started = time.perf_counter()
        n = recall_seed(args.run.resolve() / f"seed{seed}", args.out.resolve() / f"seed{seed}")
        print(f"seed {seed}: {n} samples called again in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
