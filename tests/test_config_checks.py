"""The config as a person writes it: the template, typo'd keys, placeholders,
contradicting values and paths into a simulated cohort, each named in one
line before any job runs."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, SCHEMAS, snakemake
from ctc_profiler.inputs.config_checks import (
    config_problems,
    cross_key_problems,
    placeholders,
    simulated_paths,
    unknown_keys,
)
from ctc_profiler.inputs.sheets import SheetError, read_sheet

SCHEMA = yaml.safe_load((SCHEMAS / "config.schema.yaml").read_text())
TEMPLATE = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())


def defaults(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema's default of every key that has one, nested as a config."""
    found: dict[str, Any] = {}
    for key, spec in schema.get("properties", {}).items():
        if "properties" in spec:
            found[key] = defaults(spec)
        elif "default" in spec:
            found[key] = spec["default"]
    return found


def leaves(value: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    if isinstance(value, dict) and value:
        return {k: v for key, inner in value.items() for k, v in leaves(inner, (*path, key)).items()}
    return {path: value}


def test_every_value_of_the_template_is_the_schema_default() -> None:
    """The template documents the defaults; a user's config merged over it
    must not pick up settings the schema would not give."""
    schema_defaults = leaves(defaults(SCHEMA))
    template = leaves(TEMPLATE)
    set_by_user = {("reference", "fasta"), ("reference", "build")}
    for key, value in template.items():
        if key in set_by_user or value is None:
            continue  # null: left unset, as absent
        assert key in schema_defaults, f"{key} has no schema default"
        assert value == schema_defaults[key], key


def test_the_template_asks_for_the_reference_and_names_no_file_of_the_demo() -> None:
    assert placeholders(TEMPLATE) and "reference.fasta" in placeholders(TEMPLATE)[0]
    assert not [v for v in leaves(TEMPLATE).values() if "demo" in str(v)]
    assert TEMPLATE["reference"]["build"] == "GRCh38"


@pytest.mark.parametrize("name", ["samples.tsv", "units.tsv"])
def test_the_template_sheets_are_a_header_and_commented_examples(name: str) -> None:
    lines = [line for line in (ROOT / "config" / name).read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) == 1, lines
    header = next(csv.reader(lines, delimiter="\t"))
    schema = yaml.safe_load((SCHEMAS / f"{name.split('.')[0]}.schema.yaml").read_text())
    assert set(schema["required"]) <= set(header) <= set(schema["properties"])
    with pytest.raises(SheetError, match="header but no rows; write one row per"):
        read_sheet(ROOT / "config" / name, SCHEMAS / f"{name.split('.')[0]}.schema.yaml")


def test_a_typo_names_the_nearest_key() -> None:
    problems = unknown_keys({"copy_number": {"bin_sise": 100}, "referense": {}}, SCHEMA)
    assert any("copy_number.bin_sise is not known; did you mean copy_number.bin_size?" in p
               for p in problems), problems
    assert any("referense" in p and "did you mean reference?" in p for p in problems)


def test_schema_problems_are_one_line_each_with_the_key() -> None:
    config = {"reference": {"fasta": "x.fa", "build": "GRCh38"},
              "copy_number": {"bin_size": "big"}}
    problems = config_problems(config, SCHEMA)
    assert len(problems) == 1 and problems[0].startswith("config key copy_number.bin_size is 'big'")
    assert "\n" not in problems[0]


@pytest.mark.parametrize(("key", "value"), [("max_detectable_cn", 3), ("max_detectable_cn", "eight"),
                                          ("noisy_cell_min_z", 0), ("noisy_cell_min_z", "high")])
def test_the_call_limits_are_checked_with_the_key_named(key: str, value: object) -> None:
    config = {"reference": {"fasta": "x.fa", "build": "GRCh38"}, "copy_number": {key: value}}
    [problem] = config_problems(config, SCHEMA)
    assert problem.startswith(f"config key copy_number.{key} is {value!r}"), problem


def test_min_gc_above_max_gc_is_refused() -> None:
    [problem] = cross_key_problems({"copy_number": {"mask": {"min_gc": 0.8, "max_gc": 0.2}}})
    assert "min_gc must be below max_gc" in problem
    assert cross_key_problems({"copy_number": {"mask": {"min_gc": 0.2, "max_gc": 0.8}}}) == []


def simulated(folder: Path) -> Path:
    (folder / "truth").mkdir(parents=True)
    (folder / "truth" / "README.md").write_text("truth\n")
    (folder / "reference").mkdir()
    for name in ("genome.fa", "genes.bed"):
        (folder / "reference" / name).write_text("")
    return folder


def test_a_demo_table_beside_another_reference_is_refused(tmp_path: Path) -> None:
    demo = simulated(tmp_path / "demo")
    own = tmp_path / "mine" / "genome.fa"
    config = {"reference": {"fasta": str(own)},
              "resources": {"genes": str(demo / "reference" / "genes.bed")}}
    [problem] = simulated_paths(config)
    assert problem.startswith("config key resources.genes") and str(demo) in problem
    # the demo's own reference with its own tables is the demo run itself
    config["reference"]["fasta"] = str(demo / "reference" / "genome.fa")
    assert simulated_paths(config) == []


def test_a_typo_in_a_users_config_stops_before_any_job(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(yaml.safe_dump({
        "reference": {"fasta": "genome.fa", "build": "GRCh38"},
        "copy_number": {"bin_sise": 100_000},
    }))
    result = snakemake(tmp_path, "--cores", "1", "-n")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "did you mean copy_number.bin_size?" in output
    assert "Traceback" not in output and not (tmp_path / "results").exists()


def test_the_template_alone_stops_naming_the_reference_placeholder(tmp_path: Path) -> None:
    # Snakemake loads config/config.yaml from the working directory
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text((ROOT / "config" / "config.yaml").read_text())
    (tmp_path / "config.yaml").write_text("{}\n")
    result = snakemake(tmp_path, "--cores", "1", "-n")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "reference.fasta still holds the template's placeholder" in output
