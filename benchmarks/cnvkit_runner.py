"""Run CNVkit commands in one Python process and time each, for
benchmarks/cnvkit_peer.py.

    benchmarks/.venv-cnvkit/bin/python benchmarks/cnvkit_runner.py PLAN.json TIMES.json

PLAN.json: {"repeats": N, "steps": [{"sample": S, "step": NAME, "argv": [...]}, ...]}
where argv is what follows `cnvkit.py` on a command line. Each step goes
through CNVkit's own argument parser and command function, so the outputs are
those of the command line; only the interpreter start and the imports (about
4 s per command) are left out of the times. The steps run in order, the
whole plan `repeats` times; a step that fails is recorded with its error and
the plan goes on. TIMES.json gets one record per step and repeat:
{"sample", "step", "repeat", "seconds", "error"}.

Runs with CNVkit's own environment, not the project's.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

from cnvlib import commands


def run_plan(plan: dict) -> list[dict]:
    records = []
    for repeat in range(int(plan["repeats"])):
        for step in plan["steps"]:
            error = ""
            start = time.perf_counter()
            try:
                args = commands.parse_args(step["argv"])
                args.func(args)
            except (Exception, SystemExit) as failure:  # noqa: BLE001 - a failed step is a result
                error = f"{type(failure).__name__}: {failure}"[:500]
            seconds = time.perf_counter() - start
            records.append({"sample": step["sample"], "step": step["step"],
                            "repeat": repeat, "seconds": seconds, "error": error})
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plan", type=Path, help="JSON plan of CNVkit commands")
    parser.add_argument("times", type=Path, help="JSON file to write the step times to")
    args = parser.parse_args()
    # the command line logs at INFO (its output is not shown here either)
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    records = run_plan(json.loads(args.plan.read_text()))
    args.times.write_text(json.dumps(records, indent=1))


if __name__ == "__main__":
    main()
