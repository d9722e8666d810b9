"""ASCO/CAP 2018 dual-probe groups at every boundary, and EGFR amplification."""

from __future__ import annotations

import math

import pytest

from ctc_profiler.core.her2_egfr_rules import GROUP_STATUS, asco_cap_group, egfr_amplified, her2_call
from ctc_simulator.truth_rules import her2_group

# (ERBB2 copies, chr17 reference copies, group, status)
TABLE = [
    (8.0, 2.0, 1, "positive"),      # ratio 4, copies 8
    (4.0, 2.0, 1, "positive"),      # ratio exactly 2.0, copies exactly 4.0
    (3.98, 1.99, 2, "negative"),    # ratio exactly 2.0, copies < 4
    (3.0, 1.5, 2, "negative"),      # ratio 2.0, copies 3
    (6.0, 3.01, 3, "equivocal"),    # ratio < 2, copies exactly 6
    (9.0, 5.0, 3, "equivocal"),     # ratio 1.8, copies 9
    (5.99, 3.0, 4, "equivocal"),    # ratio < 2, copies just under 6
    (4.0, 2.5, 4, "equivocal"),     # ratio 1.6, copies exactly 4
    (3.99, 2.0, 5, "negative"),     # ratio < 2, copies just under 4
    (2.0, 2.0, 5, "negative"),      # normal diploid
    (3.0, 3.0, 5, "negative"),      # chr17 polysomy without amplification
]


@pytest.mark.parametrize("erbb2, ref, group, status", TABLE)
def test_groups_and_status(erbb2: float, ref: float, group: int, status: str) -> None:
    call = her2_call(erbb2, ref)
    assert call.group == group
    assert call.status == status
    assert call.ratio == pytest.approx(erbb2 / ref)


def test_ratio_boundary_is_inclusive() -> None:
    assert asco_cap_group(2.0, 4.0) == 1
    assert asco_cap_group(1.999, 4.0) == 4


def test_not_assessable() -> None:
    assert her2_call(8.0, 2.0, assessable=False).status == "not_assessable"
    assert her2_call(8.0, 2.0, assessable=False).group is None
    assert her2_call(8.0, 0.0).status == "not_assessable"
    assert her2_call(math.nan, 2.0).status == "not_assessable"


@pytest.mark.parametrize("cn, ploidy, amplified", [
    (3.2, 2.0, True), (3.1, 2.0, False), (5.0, 3.0, True), (4.0, 3.0, False), (math.nan, 2.0, False),
])
def test_egfr_amplified(cn: float, ploidy: float, amplified: bool) -> None:
    assert egfr_amplified(cn, ploidy) is amplified


@pytest.mark.parametrize("ratio", [0.5, 1.99, 2.0, 2.01, 5.0, math.inf])
@pytest.mark.parametrize("copies", [1.0, 3.99, 4.0, 5.99, 6.0, 20.0])
def test_the_classifier_agrees_with_the_simulators_own_table(ratio: float, copies: float) -> None:
    """The simulator writes its truth from its own table of the guideline
    (simulator/ctc_simulator/truth_rules.py), never from this classifier; both must agree,
    at the cut-offs above all."""
    group, status = her2_group(ratio, copies)
    assert asco_cap_group(ratio, copies) == group
    assert GROUP_STATUS[group] == status
