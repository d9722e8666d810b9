"""The rules the simulator's truth is written by, kept apart from the
classifier under test (ctc_profiler.core.her2_egfr_rules) so that a mistake there cannot
turn into the truth it is scored against.

ASCO/CAP 2018 dual-probe ISH groups as the guideline tabulates them
(HER2/CEP17 ratio, mean HER2 copies per cell): groups 2-4 need IHC in the
clinic; with sequencing alone, 3 and 4 are equivocal and 2 reads negative.
"""

from __future__ import annotations

import math

INF = math.inf
# group, ratio from (inclusive) to (exclusive), copies from to, status
ASCO_CAP_GROUPS = (
    (1, 2.0, INF, 4.0, INF, "positive"),
    (2, 2.0, INF, 0.0, 4.0, "negative"),
    (3, 0.0, 2.0, 6.0, INF, "equivocal"),
    (4, 0.0, 2.0, 4.0, 6.0, "equivocal"),
    (5, 0.0, 2.0, 0.0, 4.0, "negative"),
)
# EGFR amplified: copy number this many times the ploidy (TruSight Tumor 15's 1.6-fold)
EGFR_FOLD = 1.6
SEX_CHROMOSOMES = frozenset({"X", "Y"})


def her2_group(ratio: float, copies: float) -> tuple[int, str]:
    """The ASCO/CAP group and the status a cell with this ratio and copies has."""
    def within(value: float, low: float, high: float) -> bool:
        return low <= value and (value < high or high == INF)

    for group, ratio_from, ratio_to, copies_from, copies_to, status in ASCO_CAP_GROUPS:
        if within(ratio, ratio_from, ratio_to) and within(copies, copies_from, copies_to):
            return group, status
    raise ValueError(f"no ASCO/CAP group for ratio {ratio} and {copies} copies")


def egfr_is_amplified(copies: float, ploidy: float, fold: float = EGFR_FOLD) -> bool:
    return ploidy > 0 and copies >= fold * ploidy


def is_sex_chromosome(name: str) -> bool:
    return name.removeprefix("chr") in SEX_CHROMOSOMES
