"""The shared words (core/words.py) agree with the schemas that validate the
sheets: YAML cannot import them, so the two spellings are compared here."""

from __future__ import annotations

import yaml

from conftest import ROOT
from ctc_profiler.core.words import BULK_TYPES, CELL_TYPES, LIBRARIES, NORMAL_TYPES, TUMOUR_TYPES

SCHEMAS = ROOT / "workflow" / "schemas"


def enum(schema: str, column: str) -> list[str]:
    return yaml.safe_load((SCHEMAS / schema).read_text())["properties"][column]["enum"]


def test_sample_types_are_the_sheet_types() -> None:
    types = set(enum("samples.schema.yaml", "type"))
    assert CELL_TYPES | BULK_TYPES == types and not CELL_TYPES & BULK_TYPES
    assert TUMOUR_TYPES | NORMAL_TYPES == types and not TUMOUR_TYPES & NORMAL_TYPES


def test_library_kinds_are_the_sheet_kinds() -> None:
    assert list(LIBRARIES) == enum("units.schema.yaml", "library")
