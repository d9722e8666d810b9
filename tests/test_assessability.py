"""A single cell's negative earns its name only below its own detection limit;
a noisy cell's gain only above its own noise."""

from __future__ import annotations

import math

import pytest

from ctc_profiler.copy_number.assessability import Assessment, assessed_egfr, assessed_her2, limit_value

PASSING = Assessment(8.0)
NOISY = Assessment(8.0, noisy=True, min_z=4.0)


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
    # a passing cell's gain stands whatever its z
    assert assessed_her2(status, limit, 0.5, PASSING) == expected


@pytest.mark.parametrize(
    ("status", "limit", "z", "expected"),
    [("positive", "", 6.0, "positive"), ("positive", "", 4.0, "positive"), ("positive", "", 3.9, "indeterminate"),
     ("positive", "", math.nan, "indeterminate"), ("equivocal", "5", 2.0, "indeterminate"),
     ("equivocal", "5", 5.0, "equivocal"), ("negative", "7", 0.1, "negative"),
     ("negative", "12", 0.1, "indeterminate"),
     # a noisy cell without a limit (none computed) cannot vouch for a negative
     ("negative", "", 0.1, "indeterminate"), ("not_assessable", "", math.nan, "not_assessable")],
)
def test_noisy_cell_keeps_a_gain_only_beyond_its_noise(status: str, limit: str, z: float, expected: str) -> None:
    assert assessed_her2(status, limit, z, NOISY) == expected


def test_egfr_not_amplified_becomes_indeterminate_above_the_level() -> None:
    assert assessed_egfr(False, "12", math.nan, PASSING) == "indeterminate"
    assert assessed_egfr(False, "5", math.nan, PASSING) is False
    assert assessed_egfr(True, "", 1.0, PASSING) is True
    assert assessed_egfr("not_assessable", "", math.nan, PASSING) == "not_assessable"


def test_noisy_cell_egfr_amplification_needs_its_z() -> None:
    assert assessed_egfr(True, "", 5.0, NOISY) is True
    assert assessed_egfr(True, "", 2.0, NOISY) == "indeterminate"
    assert assessed_egfr(False, "6", 0.0, NOISY) is False
    assert assessed_egfr(False, "", 0.0, NOISY) == "indeterminate"
