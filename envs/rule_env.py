"""The Python rules' conda environment (envs/python.yaml) as pip requirements,
so that its pinned versions can be tested where conda is not available:

    python envs/rule_env.py > requirements.txt

`make test` installs them into .venv-rule (tests/test_rule_env.py), and
benchmarks/cnvkit_peer.py runs the workflow's rule scripts there."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ENV_FILE = Path(__file__).resolve().parents[1] / "envs" / "python.yaml"
# conda-forge packages whose PyPI name differs
PYPI_NAMES = {"matplotlib-base": "matplotlib"}


def requirements(env_file: Path = ENV_FILE) -> list[str]:
    """`name==version` for every pin of the environment but the interpreter."""
    pins = []
    for dependency in yaml.safe_load(env_file.read_text())["dependencies"]:
        name, version = dependency.split("=", 1)
        if name != "python":
            pins.append(f"{PYPI_NAMES.get(name, name)}=={version}")
    return pins


if __name__ == "__main__":
    sys.stdout.write("".join(f"{pin}\n" for pin in requirements()))
