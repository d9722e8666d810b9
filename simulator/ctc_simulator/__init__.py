"""Deterministic simulator of a cohort (synthetic genome, single-cell and
bulk reads, sample sheets and truth) for running and testing the workflow
without downloads."""

from .cohort import Summary, simulate_cohort
from .design import PRESETS, CohortDesign, build_spec, preset
from .spec import CohortSpec

__all__ = [
    "PRESETS",
    "CohortDesign",
    "CohortSpec",
    "Summary",
    "build_spec",
    "preset",
    "simulate_cohort",
]
