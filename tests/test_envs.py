"""Every rule runs in a conda environment that exists and pins its versions."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT

RULE_FILES = sorted((ROOT / "workflow" / "rules").glob("*.smk"))
ENV_FILES = sorted((ROOT / "envs").glob("*.yaml"))


def rule_blocks() -> dict[str, str]:
    blocks: dict[str, str] = {}
    for path in RULE_FILES:
        text = path.read_text()
        for match in re.finditer(r"^rule (\w+):\n((?:[ \t]+.*\n|\n)+)", text, re.MULTILINE):
            blocks[match[1]] = match[2]
    return blocks


def test_rules_found() -> None:
    assert {"fastp", "bwa_mem", "merge_markdup", "mosdepth", "multiqc"} <= set(rule_blocks())


def test_every_rule_names_an_existing_env() -> None:
    env_names = {p.stem for p in ENV_FILES}
    for rule, body in rule_blocks().items():
        match = re.search(r'conda:\n\s+"\.\./\.\./envs/([^"]+)\.yaml"', body)
        assert match, f"rule {rule} has no conda env"
        if match[1] == "{env}":
            continue  # tool_version runs in each env; checked below
        assert match[1] in env_names, f"rule {rule}: envs/{match[1]}.yaml missing"


def test_every_rule_has_log_and_resources() -> None:
    for rule, body in rule_blocks().items():
        assert "log:" in body, f"rule {rule} has no log"
        assert "mem_mb=" in body and "runtime=" in body, f"rule {rule} lacks resources"


def test_envs_pin_versions_from_conda_forge_and_bioconda() -> None:
    assert ENV_FILES
    for path in ENV_FILES:
        env = yaml.safe_load(path.read_text())
        assert env["channels"][:2] == ["conda-forge", "bioconda"], path
        for dependency in env["dependencies"]:
            assert re.fullmatch(r"[\w.-]+=\d[\w.]*", dependency), f"{path}: {dependency} not pinned"
