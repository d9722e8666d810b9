"""Allelic dropout (ADO) and allelic imbalance of single cells, measured at the
patient's heterozygous germline sites.

A site is heterozygous germline when the patient's normal DNA shows both
alleles: the bulk normals when there are any, else the WBC cells pooled (for
a WBC itself, the other normals, so that its own dropout does not decide
which sites are used). A cell with enough reads there that shows one allele
only has dropped the other: its ADO rate is the fraction of such sites.
Allelic imbalance is the mean distance of the alt fraction from 1/2 over the
sites where both alleles were seen (0 balanced, 0.5 one allele only).
"""

from __future__ import annotations

from dataclasses import dataclass

from .variant_states import AlleleCounts


@dataclass(frozen=True)
class AdoSettings:
    """Config `variants.*` keys of the same names."""

    ado_min_depth: int = 8  # a cell's reads at a het site needed to judge it
    het_min_depth: int = 10  # pooled normal reads needed to call a site het
    het_min_fraction: float = 0.25  # pooled normal alt fraction of a het site ...
    het_max_fraction: float = 0.75  # ... and its upper bound
    ado_prior_sites: float = 10.0  # pseudo-sites of the kit prior in the estimate used

    @classmethod
    def from_config(cls, settings: dict) -> AdoSettings:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in settings.items() if k in names})


@dataclass(frozen=True)
class AdoMeasure:
    sites: int  # het sites with enough reads in the cell
    dropouts: int  # of those, sites showing one allele only
    imbalance: float | None  # mean |alt fraction - 1/2| where both alleles were seen

    @property
    def rate(self) -> float | None:
        return self.dropouts / self.sites if self.sites else None


def is_heterozygous(pooled: AlleleCounts, settings: AdoSettings) -> bool:
    """Both alleles in the pooled normal reads, at a het-like fraction."""
    if pooled.depth < settings.het_min_depth or pooled.alt == 0 or pooled.ref == 0:
        return False
    return settings.het_min_fraction <= pooled.alt_fraction <= settings.het_max_fraction


def measure_dropout(cell_counts: list[AlleleCounts], settings: AdoSettings) -> AdoMeasure:
    """ADO and imbalance of one cell over its reads at het germline sites."""
    judged = [c for c in cell_counts if c.depth >= settings.ado_min_depth]
    dropouts = sum(1 for c in judged if c.alt == 0 or c.ref == 0)
    balanced = [abs(c.alt_fraction - 0.5) for c in judged if c.alt and c.ref]
    imbalance = round(sum(balanced) / len(balanced), 4) if balanced else None
    return AdoMeasure(len(judged), dropouts, imbalance)


def ado_for_calling(measure: AdoMeasure | None, kit_prior: float, settings: AdoSettings) -> float:
    """The ADO rate the state calls use: the measured rate shrunk towards the
    kit's prior by `ado_prior_sites` pseudo-sites (the prior alone when
    nothing was measured)."""
    if measure is None or measure.sites == 0:
        return kit_prior
    k = settings.ado_prior_sites
    return (measure.dropouts + k * kit_prior) / (measure.sites + k)


def kit_ado_prior(kit: str, priors: dict[str, float]) -> float:
    """The configured ADO prior of a WGA kit (case-insensitive), else `default`."""
    lowered = {k.lower(): v for k, v in priors.items()}
    return float(lowered.get(kit.lower(), lowered.get("default", 0.2)))
