"""What a copy-number rule process pays before it does any work: the start of
the interpreter and each import, as fresh processes.

    .venv/bin/python benchmarks/import_costs.py [--repeats 5]

Each line is `python -c "import ..."` run --repeats times; the best wall and
CPU (user + system) seconds are printed. The modules are those the rule
script call_copy_number.py imports (statsmodels'
lowess for GC correction, ruptures for segmentation, pandas for tables).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "workflow" / "scripts"
IMPORTS = [
    ("interpreter alone", "pass"),
    ("numpy", "import numpy"),
    ("pandas", "import pandas"),
    ("statsmodels lowess", "from statsmodels.nonparametric.smoothers_lowess import lowess"),
    ("ruptures", "import ruptures"),
    ("pysam", "import pysam"),
    ("call step's imports", "import json, dataclasses, pandas, ctc_profiler.copy_number.bins, ctc_profiler.copy_number.qc, "
                            "ctc_profiler.copy_number.profile, ctc_profiler.copy_number.sample_summary, "
                            "ctc_profiler.copy_number.gene_copy_number, ctc_profiler.copy_number.gene_tiles"),
]


def timed(code: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True,
                   env=dict(os.environ, PYTHONPATH=str(SCRIPTS)))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{'imports':26s} {'wall s':>7s} {'cpu s':>7s}")
    for name, code in IMPORTS:
        times = [timed(code) for _ in range(args.repeats)]
        print(f"{name:26s} {min(t[0] for t in times):7.3f} {min(t[1] for t in times):7.3f}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
