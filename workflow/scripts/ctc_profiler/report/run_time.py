"""Where a run's time went: the jobs' own `benchmark:` files summed per step.

Each rule writes `results/benchmarks/<folder>/<name>.tsv` (Snakemake's
benchmark table: wall seconds `s`, `cpu_time`, `max_rss` in MB). A step is the
file's folder and name with the sample and patient IDs in it replaced, so
every cell's `bwa_mem/P1_CTC01.lowpass_wgs.tsv` counts under
`bwa_mem/{sample}.lowpass_wgs`. The report shows the table (rule
report_content reads the files of the jobs that finished before it), and
benchmarks/scale.py sets its sum against a run's wall time.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

COLUMNS = ["step", "jobs", "wall_s", "max_wall_s", "cpu_s", "max_rss_mb"]


def _number(text: str | None) -> float:
    try:
        return float(text) if text not in (None, "", "-", "NA") else 0.0
    except ValueError:
        return 0.0


def step_name(path: Path, root: Path, samples: Iterable[str], patients: Iterable[str]) -> str:
    """`folder/name` of a benchmark file under `root`, IDs replaced by
    {sample} and {patient} (the longest names first, so a sample named after
    its patient is replaced whole)."""
    name = path.relative_to(root).with_suffix("").as_posix()
    ids = [(s, "{sample}") for s in samples] + [(p, "{patient}") for p in patients]
    for value, placeholder in sorted(ids, key=lambda pair: -len(pair[0])):
        name = re.sub(rf"(?<![A-Za-z0-9_-]){re.escape(value)}(?![A-Za-z0-9_-])", placeholder, name)
    return name


def benchmark_table(root: Path | str, samples: Iterable[str] = (), patients: Iterable[str] = ()) -> pd.DataFrame:
    """One row per step: jobs, summed and largest wall seconds, summed CPU
    seconds and the largest resident memory, slowest steps first."""
    root = Path(root)
    samples, patients = list(samples), list(patients)
    rows = []
    for path in sorted(root.rglob("*.tsv")):
        with path.open() as handle:
            record = next(csv.DictReader(handle, delimiter="\t"), None)
        if record is None:
            continue
        rows.append({"step": step_name(path, root, samples, patients), "wall_s": _number(record.get("s")),
                     "cpu_s": _number(record.get("cpu_time")), "max_rss_mb": _number(record.get("max_rss"))})
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    jobs = pd.DataFrame(rows)
    table = jobs.groupby("step").agg(jobs=("wall_s", "size"), wall_s=("wall_s", "sum"),
                                     max_wall_s=("wall_s", "max"), cpu_s=("cpu_s", "sum"),
                                     max_rss_mb=("max_rss_mb", "max")).reset_index()
    return table.sort_values("wall_s", ascending=False, kind="stable")[COLUMNS].reset_index(drop=True)
