"""What the benchmarks share: the workflow's Snakemake command line and the
environment its rules run in.

    from harness import run_snakemake, snakemake_command
    command = snakemake_command(workdir, workdir / "config.yaml", "results/status.tsv", cores=2)
    run_snakemake(command, workdir / "snakemake.log", cwd=workdir, check=True)
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the interpreter's environment: its snakemake and tools


def workflow_env() -> dict[str, str]:
    """This process's environment with BIN first on PATH: rules call `python`
    and the tools by name, and must find the project's environment."""
    return dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def snakemake_command(workdir: Path, configfile: Path | Sequence[Path], *targets: str, cores: int | None = None,
                      options: Sequence[str] = ()) -> list[str]:
    """The workflow (this checkout's Snakefile) run in workdir with configfile;
    `options` go before the targets."""
    command = [str(BIN / "snakemake"), "--snakefile", str(ROOT / "Snakefile"),
               "--directory", str(workdir), "--configfile",
               *map(str, [configfile] if isinstance(configfile, Path) else configfile)]
    if cores is not None:
        command += ["--cores", str(cores)]
    return [*command, *options, *targets]


def run_snakemake(command: list[str], log: Path, cwd: Path | None = None, check: bool = False) -> int:
    """Run a Snakemake command with its output in log; its exit code, or with
    `check` an exit of this process naming the log if it failed."""
    with open(log, "w") as handle:
        code = subprocess.run(command, cwd=cwd, env=workflow_env(), stdout=handle,
                              stderr=subprocess.STDOUT).returncode
    if check and code:
        sys.exit(f"the workflow failed (exit {code}); see {log}")
    return code


def simulated_run(workdir: Path, seed: int, simulator_options: Sequence[str], target: str, cores: int,
                  snakemake_options: Sequence[str] = (), config_changes: str = "") -> None:
    """Simulate a cohort into workdir/cohort with the simulator's command line
    (unless a finished one is there: its truth README) and run the workflow on
    it up to `target` (with `snakemake_options`; YAML `config_changes` merged
    over the cohort's config), its log in workdir/snakemake.log."""
    workdir.mkdir(parents=True, exist_ok=True)
    if not (workdir / "cohort" / "truth" / "README.md").exists():
        subprocess.run([sys.executable, str(ROOT / "simulator" / "simulate_cohort.py"), "--outdir", "cohort",
                        "--seed", str(seed), *simulator_options], cwd=workdir, env=workflow_env(), check=True,
                       capture_output=True)
    configfiles = [workdir / "cohort" / "config.yaml"]
    if config_changes:
        (workdir / "config_changes.yaml").write_text(config_changes)
        configfiles.append(workdir / "config_changes.yaml")  # Snakemake merges a later file over an earlier
    command = snakemake_command(workdir, configfiles, target, cores=cores, options=snakemake_options)
    run_snakemake(command, workdir / "snakemake.log", cwd=workdir, check=True)
