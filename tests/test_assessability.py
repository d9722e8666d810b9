"""A single cell's negative earns its name only below its own detection limit."""

from __future__ import annotations

import math

import pytest

from ctc_profiler.copy_number.assessability import assessed_egfr, assessed_her2, limit_value


@pytest.mark.parametrize(("text", "value"), [("", math.nan), (">40", math.inf), ("7", 7.0), ("8.0", 8.0)])
def test_limit_value(text: str, value: float) -> None:
    assert limit_value(text) == value or (math.isnan(value) and math.isnan(limit_value(text)))


@pytest.mark.parametrize(
    ("status", "limit", "expected"),
    [("negative", "6", "negative"), ("negative", "8", "negative"), ("negative", "9", "indeterminate"),
     ("negative", ">40", "indeterminate"), ("negative", "", "negative"),
     ("equivocal", ">40", "equivocal"), ("positive", "", "positive"),
     ("not_assessable", "", "not_assessable")],
)
def test_her2_negative_only_at_or_below_the_clinical_level(status: str, limit: str, expected: str) -> None:
    assert assessed_her2(status, limit, 8.0) == expected


def test_egfr_not_amplified_becomes_indeterminate_above_the_level() -> None:
    assert assessed_egfr(False, "12", 8.0) == "indeterminate"
    assert assessed_egfr(False, "5", 8.0) is False
    assert assessed_egfr(True, "", 8.0) is True
    assert assessed_egfr("not_assessable", "", 8.0) == "not_assessable"
