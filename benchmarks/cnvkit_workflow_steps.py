"""Run one of the workflow's rule scripts outside Snakemake, for
benchmarks/cnvkit_peer.py.

    .venv/bin/python benchmarks/cnvkit_workflow_steps.py SCRIPT SPEC.json

SCRIPT is a `script:` file of a rule (e.g. workflow/scripts/call_copy_number.py);
SPEC.json holds what Snakemake would hand it: {"input": {...}, "output": {...},
"params": {...}, "log": [...], "wildcards": {...}}. The script's own code runs,
unchanged, so a benchmark times the rule's real work without the scheduler.
`run_script` does the same inside a running interpreter, and `run_command`
for a rule that runs a Python script as a plain command.
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "workflow" / "scripts"


class Named(list):
    """A list whose items are also attributes, as Snakemake's input/output/params are."""

    def __init__(self, items: dict | list | None = None) -> None:
        items = items or {}
        super().__init__(items.values() if isinstance(items, dict) else items)
        if isinstance(items, dict):
            for key, value in items.items():
                setattr(self, key, value)


class StandIn:
    """The parts of the `snakemake` object rule scripts use."""

    def __init__(self, spec: dict) -> None:
        self.input = Named(spec.get("input"))
        self.output = Named(spec.get("output"))
        self.params = Named(spec.get("params"))
        self.log = Named(spec.get("log"))
        self.wildcards = Named(spec.get("wildcards"))
        self.threads = 1


def run_script(script: Path | str, spec: dict) -> None:
    """Execute a rule script with a stand-in `snakemake`; restores sys.stderr,
    which the scripts point at their log file."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    stderr = sys.stderr
    try:
        runpy.run_path(str(script), init_globals={"snakemake": StandIn(spec)}, run_name="__main__")
    finally:
        if sys.stderr is not stderr:
            sys.stderr.close()
        sys.stderr = stderr


def run_command(argv: list[str]) -> None:
    """Run a rule's Python command (`python SCRIPT ARGS...`, as rule bin_counts
    runs one) inside this interpreter, with that command line."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    saved = sys.argv
    sys.argv = list(argv)
    try:
        runpy.run_path(argv[0], run_name="__main__")
    finally:
        sys.argv = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("script", type=Path, help="rule script to run")
    parser.add_argument("spec", type=Path, help="JSON with the script's input, output, params, log")
    args = parser.parse_args()
    run_script(args.script, json.loads(args.spec.read_text()))


if __name__ == "__main__":
    main()
