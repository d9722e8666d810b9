"""Deterministic simulator of a demo cohort (synthetic genome, single-cell and
bulk reads, sample sheets and truth) for running and testing the workflow
without downloads."""

from .cohort import Summary, simulate_cohort
from .spec import PRESETS, CohortSpec, preset

__all__ = ["PRESETS", "CohortSpec", "Summary", "preset", "simulate_cohort"]
