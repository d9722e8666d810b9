"""HER2 status from copy number, as a dual-probe ISH test would read it
(ASCO/CAP 2018 groups), and EGFR amplification.

Sequencing stands in for ISH: the absolute ERBB2 copy number is the mean HER2
signal count per cell, and the copy number of chr17 near the centromere
(outside the 17q12 amplicon) is the CEP17 count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ctc_profiler.core.words import EQUIVOCAL, NEGATIVE, NOT_ASSESSABLE, POSITIVE

RATIO_CUTOFF = 2.0  # HER2/CEP17
COPIES_POSITIVE = 4.0  # mean HER2 copies per cell
COPIES_HIGH = 6.0

# group -> status; groups 2-4 need IHC in the clinic. Sequencing alone cannot
# settle 3 and 4, so they are reported as equivocal; 2 reads negative.
GROUP_STATUS = {1: POSITIVE, 2: NEGATIVE, 3: EQUIVOCAL, 4: EQUIVOCAL, 5: NEGATIVE}


@dataclass(frozen=True)
class Her2Call:
    ratio: float
    group: int | None
    status: str


def asco_cap_group(ratio: float, copies: float) -> int:
    """ASCO/CAP 2018 dual-probe ISH group (1-5) of a HER2/CEP17 ratio and HER2 copies."""
    if ratio >= RATIO_CUTOFF:
        return 1 if copies >= COPIES_POSITIVE else 2
    if copies >= COPIES_HIGH:
        return 3
    if copies >= COPIES_POSITIVE:
        return 4
    return 5


def her2_call(erbb2_cn: float, chr17_ref_cn: float, assessable: bool = True) -> Her2Call:
    """HER2 ratio, group and status; not assessable without a usable chr17 reference."""
    if not assessable or not math.isfinite(erbb2_cn) or not (chr17_ref_cn > 0):
        ratio = erbb2_cn / chr17_ref_cn if chr17_ref_cn and chr17_ref_cn > 0 else math.nan
        return Her2Call(ratio=ratio, group=None, status=NOT_ASSESSABLE)
    ratio = erbb2_cn / chr17_ref_cn
    group = asco_cap_group(ratio, erbb2_cn)
    return Her2Call(ratio=ratio, group=group, status=GROUP_STATUS[group])


def egfr_amplified(egfr_cn: float, ploidy: float, min_fold: float = 1.6) -> bool:
    """EGFR copy number at least min_fold times the cell's ploidy (panel practice: 1.6)."""
    return bool(math.isfinite(egfr_cn) and ploidy > 0 and egfr_cn / ploidy >= min_fold)
