"""Checks of the config as a person writes it, each problem one line naming
the key and the fix, before any job runs: unknown (typo'd) keys with the
nearest valid one, schema violations without the schema dumped, placeholders
left from the template, values that contradict each other, and paths into a
simulated cohort's folder while the reference is another one."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema

PLACEHOLDER_START, PLACEHOLDER_END = "<", ">"
# keys whose values are paths of input files
PATH_KEYS = [
    ("samples",),
    ("units",),
    ("reference", "fasta"),
    ("targets", "panel"),
    ("targets", "wes"),
    ("resources", "genes"),
    ("resources", "hotspots"),
    ("resources", "reference_regions"),
    ("resources", "germline"),
    ("copy_number", "blacklist"),
]


def _dotted(path: tuple[str, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in path)


def _walk(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _walk(inner, (*path, str(key)))
    else:
        yield path, value


def unknown_keys(config: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """One line per key the schema does not know, naming the nearest known key."""
    problems: list[str] = []

    def visit(section: dict[str, Any], spec: dict[str, Any], path: tuple[str, ...]) -> None:
        known = spec.get("properties", {})
        closed = spec.get("additionalProperties", True) is False
        for key, value in section.items():
            where = (*path, str(key))
            if key in known:
                if isinstance(value, dict) and known[key].get("type") == "object":
                    visit(value, known[key], where)
            elif closed:
                near = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
                hint = (f"did you mean {_dotted((*path, near[0]))}?" if near
                        else f"known keys here: {', '.join(known)}")
                problems.append(f"config key {_dotted(where)} is not known; {hint} "
                                "(config/README.md lists every key)")

    visit(config, schema, ())
    return problems


def schema_problems(config: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Schema violations, one line each with the key and the value."""
    validator = jsonschema.validators.validator_for(schema)(schema)
    problems = []
    for error in sorted(validator.iter_errors(config), key=lambda e: list(e.path)):
        if error.validator == "additionalProperties":
            continue  # unknown_keys names them with a suggestion
        key = _dotted(list(error.path)) or "(top level)"
        if error.validator == "required":
            problems.append(f"config: {error.message} at {key}; set it (config/README.md)")
        else:
            problems.append(f"config key {key} is {error.instance!r}: {error.message}")
    return problems


def placeholders(config: dict[str, Any]) -> list[str]:
    """Template placeholders (text in angle brackets) still in the config."""
    return [
        f"config key {_dotted(path)} still holds the template's placeholder {value!r}; "
        "set it in your config (README.md, 'Running your own cohort')"
        for path, value in _walk(config)
        if isinstance(value, str)
        and value.strip().startswith(PLACEHOLDER_START)
        and value.strip().endswith(PLACEHOLDER_END)
    ]


def config_value(config: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at a path of keys, None where a section is missing."""
    value: Any = config
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def cross_key_problems(config: dict[str, Any]) -> list[str]:
    """Values valid alone that contradict each other."""
    problems = []
    mask = config_value(config, ("copy_number", "mask")) or {}
    low, high = mask.get("min_gc"), mask.get("max_gc")
    if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low >= high:
        problems.append(
            f"config keys copy_number.mask.min_gc ({low}) and max_gc ({high}): min_gc must "
            "be below max_gc, or every bin is masked and every sample fails"
        )
    return problems


def simulated_cohort(path: Path) -> Path | None:
    """The folder of a cohort written by the simulator that holds `path`
    (it has truth/README.md beside reference/), if any."""
    for folder in path.resolve().parents:
        if (folder / "truth" / "README.md").is_file() and (folder / "reference").is_dir():
            return folder
    return None


def simulated_paths(config: dict[str, Any], base: Path | str = ".") -> list[str]:
    """Paths into a simulated cohort's folder while the reference is not that
    cohort's: its genes, hotspots and regions sit at the simulated genome's
    coordinates, so every sample would be read at the wrong places."""
    fasta = config_value(config, ("reference", "fasta"))
    if not isinstance(fasta, str):
        return []
    home = simulated_cohort(Path(base) / fasta)
    problems = []
    for key in PATH_KEYS:
        value = config_value(config, key)
        if key == ("reference", "fasta") or not isinstance(value, str) or not value:
            continue
        cohort = simulated_cohort(Path(base) / value)
        if cohort is not None and cohort != home:
            problems.append(
                f"config key {_dotted(key)} '{value}' is a file of the simulated cohort in "
                f"'{cohort}', but reference.fasta '{fasta}' is not that cohort's genome; "
                "set the key for your reference (or leave resources.* empty for the "
                "tables shipped with reference.build)"
            )
    return problems


def config_problems(config: dict[str, Any], schema: dict[str, Any], base: Path | str = ".") -> list[str]:
    """Every problem of the config, unknown keys and schema first."""
    problems = unknown_keys(config, schema) + schema_problems(config, schema)
    if problems:
        return problems  # the rest assumes the schema's types
    return placeholders(config) + cross_key_problems(config) + simulated_paths(config, base)
