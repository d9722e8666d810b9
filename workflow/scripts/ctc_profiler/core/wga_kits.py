"""What is known of a whole-genome amplification kit before a cell's own
reads are weighed: per-kit settings such as its allelic dropout prior
(`variants.ado_prior`) or its share of early amplification errors
(`variants.early_error_share`), each a mapping of kit names and `default`."""

from __future__ import annotations


def kit_setting(kit: str, values: dict[str, float], fallback: float) -> float:
    """The configured value of a WGA kit (case-insensitive), else `default`,
    else `fallback`."""
    lowered = {k.lower(): v for k, v in values.items()}
    return float(lowered.get(kit.lower(), lowered.get("default", fallback)))


def kit_ado_prior(kit: str, priors: dict[str, float]) -> float:
    """The configured ADO prior of a WGA kit, else `default`."""
    return kit_setting(kit, priors, 0.2)
