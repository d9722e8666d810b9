"""What is known of a whole-genome amplification kit before a cell's own
reads are weighed: its allelic dropout prior (`variants.ado_prior`)."""

from __future__ import annotations


def kit_ado_prior(kit: str, priors: dict[str, float]) -> float:
    """The configured ADO prior of a WGA kit (case-insensitive), else `default`."""
    lowered = {k.lower(): v for k, v in priors.items()}
    return float(lowered.get(kit.lower(), lowered.get("default", 0.2)))
