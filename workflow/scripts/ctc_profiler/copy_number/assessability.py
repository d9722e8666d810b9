"""Whether a single cell's negative earns its name.

A noisy or shallow cell can miss an amplicon that a clean one shows, so a
cell called HER2-negative (or EGFR not amplified) is `negative` only when
its own detection limit (`erbb2_detectable_cn`, `egfr_detectable_cn`: the
smallest gain over `copy_number.detection_limit.amplicon_bp` it would have
called) is at most `copy_number.max_detectable_cn`, the clinical level a
negative must exclude. Above it the call is `indeterminate`, with the limit
beside it: never a negative that could hide an amplification of that size.
Bulk samples have no limit and keep their call.
"""

from __future__ import annotations

import math

from ctc_profiler.core.words import INDETERMINATE, NEGATIVE


def limit_value(text: str) -> float:
    """A detection limit as the tables write it: '' none (NaN), '>40' none
    up to 40 copies (inf), else the copy number."""
    text = str(text).strip()
    if not text:
        return math.nan
    return math.inf if text.startswith(">") else float(text)


def excludes(limit: str, max_detectable_cn: float) -> bool:
    """The cell would have called a gain to `max_detectable_cn` copies;
    without a limit (none computed) the call is left as it is."""
    value = limit_value(limit)
    return math.isnan(value) or value <= max_detectable_cn


def assessed_her2(status: str, limit: str, max_detectable_cn: float) -> str:
    return INDETERMINATE if status == NEGATIVE and not excludes(limit, max_detectable_cn) else status


def assessed_egfr(amplified: object, limit: str, max_detectable_cn: float) -> object:
    """`egfr_amplified` False becomes `indeterminate` above the limit."""
    # False or numpy's False; a word (not_assessable) is left as it is
    not_amplified = not isinstance(amplified, str) and not amplified
    return INDETERMINATE if not_amplified and not excludes(limit, max_detectable_cn) else amplified
