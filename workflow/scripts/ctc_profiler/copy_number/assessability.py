"""Whether a single cell's negative earns its name.

A noisy or shallow cell can miss an amplicon that a clean one shows, so a
cell called HER2-negative (or EGFR not amplified) is `negative` only when
its own detection limit (`erbb2_detectable_cn`, `egfr_detectable_cn`: the
smallest gain over `copy_number.detection_limit.amplicon_bp` it would have
called) is at most `copy_number.max_detectable_cn`, the clinical level a
negative must exclude. Above it the call is `indeterminate`, with the limit
beside it: never a negative that could hide an amplification of that size.
Bulk samples have no limit and keep their call.

A cell whose profile failed only on MAPD or Gini (`cn_qc` noisy) still
answers: its negative by the same limit (none computed: `indeterminate`), its
positive (HER2 positive or equivocal, EGFR amplified) only when the gain's z
against the cell's own noise (`gain_evidence`) is at least
`copy_number.noisy_cell_min_z`; a smaller one is `indeterminate`, a gain the
cell's noise could have made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ctc_profiler.core.words import EQUIVOCAL, INDETERMINATE, NEGATIVE, POSITIVE


def limit_value(text: str) -> float:
    """A detection limit as the tables write it: '' none (NaN), '>40' none
    up to 40 copies (inf), else the copy number."""
    text = str(text).strip()
    if not text:
        return math.nan
    return math.inf if text.startswith(">") else float(text)


@dataclass(frozen=True)
class Assessment:
    """What a call is weighed against: the clinical level a negative must
    exclude, whether the cell is noisy, and the z a noisy cell's gain needs."""

    max_detectable_cn: float
    noisy: bool = False
    min_z: float = 4.0


def excludes(limit: str, assessment: Assessment) -> bool:
    """The cell would have called a gain to `max_detectable_cn` copies;
    without a limit (none computed) a passing cell's call is left as it is,
    a noisy cell's is not."""
    value = limit_value(limit)
    if math.isnan(value):
        return not assessment.noisy
    return value <= assessment.max_detectable_cn


def beats_noise(z: float, assessment: Assessment) -> bool:
    """A gain stands: the cell is not noisy, or its z reaches `min_z`."""
    return not assessment.noisy or (math.isfinite(z) and z >= assessment.min_z)


def assessed_her2(status: str, limit: str, z: float, assessment: Assessment) -> str:
    if status == NEGATIVE and not excludes(limit, assessment):
        return INDETERMINATE
    if status in (POSITIVE, EQUIVOCAL) and not beats_noise(z, assessment):
        return INDETERMINATE
    return status


def assessed_egfr(amplified: object, limit: str, z: float, assessment: Assessment) -> object:
    """`egfr_amplified` False becomes `indeterminate` above the limit, True
    in a noisy cell below `min_z`."""
    if isinstance(amplified, str):  # a word (not_assessable) is left as it is
        return amplified
    if not amplified and not excludes(limit, assessment):
        return INDETERMINATE
    if amplified and not beats_noise(z, assessment):
        return INDETERMINATE
    return amplified
