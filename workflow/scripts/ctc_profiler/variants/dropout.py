"""Allelic dropout (ADO) and allelic imbalance of single cells, measured at the
patient's heterozygous germline sites.

A site is heterozygous germline when the patient's normal DNA shows both
alleles: the bulk normals when there are any, else the WBC cells pooled (for
a WBC itself, the other normals, so that its own dropout does not decide
which sites are used). A cell with enough reads there that shows one allele
only has dropped the other. Dropout strikes stretches of kilobases, so het
sites closer than `ado_window_bp` to the previous one are one observation
(a dropout when most of its sites show one allele): the ADO rate is the
fraction of such windows. Allelic imbalance is the mean distance of the alt
fraction from 1/2 over the sites where both alleles were seen (0 balanced,
0.5 one allele only).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

from ctc_profiler.core.settings import FromConfig
from ctc_profiler.variants.states import AlleleCounts


@dataclass(frozen=True)
class AdoSettings(FromConfig):
    """Config `variants.*` keys of the same names."""

    ado_min_depth: int = 8  # a cell's reads at a het site needed to judge it
    het_min_depth: int = 10  # pooled normal reads needed to call a site het
    het_min_fraction: float = 0.25  # pooled normal alt fraction of a het site ...
    het_max_fraction: float = 0.75  # ... and its upper bound
    ado_prior_sites: float = 10.0  # pseudo-windows of the kit prior in the estimate used
    ado_window_bp: int = 10_000  # het sites closer than this count as one observation


@dataclass(frozen=True)
class AdoMeasure:
    sites: int  # het sites with enough reads in the cell
    dropouts: int  # windows of those sites showing one allele only
    imbalance: float | None  # mean |alt fraction - 1/2| where both alleles were seen
    windows: int | None = None  # independent observations (None: every site one)

    @property
    def observations(self) -> int:
        return self.sites if self.windows is None else self.windows

    @property
    def rate(self) -> float | None:
        return self.dropouts / self.observations if self.observations else None


def is_heterozygous(pooled: AlleleCounts, settings: AdoSettings) -> bool:
    """Both alleles in the pooled normal reads, at a het-like fraction."""
    if pooled.depth < settings.het_min_depth or pooled.alt == 0 or pooled.ref == 0:
        return False
    return settings.het_min_fraction <= pooled.alt_fraction <= settings.het_max_fraction


def measure_dropout(
    cell_counts: list[AlleleCounts],
    settings: AdoSettings,
    positions: list[tuple[str, int]] | None = None,
) -> AdoMeasure:
    """ADO and imbalance of one cell over its reads at het germline sites;
    with `positions` (sorted, one per count), sites within `ado_window_bp`
    of the previous one are one observation."""
    sites = list(zip(positions, cell_counts)) if positions else [(None, c) for c in cell_counts]
    judged = [(where, c) for where, c in sites if c.depth >= settings.ado_min_depth]
    balanced = [abs(c.alt_fraction - 0.5) for _, c in judged if c.alt and c.ref]
    imbalance = round(sum(balanced) / len(balanced), 4) if balanced else None
    if not positions:
        dropouts = sum(1 for _, c in judged if c.alt == 0 or c.ref == 0)
        return AdoMeasure(len(judged), dropouts, imbalance)
    groups: list[list[bool]] = []
    previous: tuple[str, int] | None = None
    for (chrom, pos), c in judged:
        one_allele = c.alt == 0 or c.ref == 0
        if previous and previous[0] == chrom and pos - previous[1] < settings.ado_window_bp:
            groups[-1].append(one_allele)
        else:
            groups.append([one_allele])
        previous = (chrom, pos)
    dropouts = sum(1 for g in groups if sum(g) * 2 > len(g))
    return AdoMeasure(len(judged), dropouts, imbalance, len(groups))


def ado_for_calling(measure: AdoMeasure | None, kit_prior: float, settings: AdoSettings) -> float:
    """The ADO rate the state calls use: the measured rate shrunk towards the
    kit's prior by `ado_prior_sites` pseudo-sites (the prior alone when
    nothing was measured)."""
    if measure is None or measure.observations == 0:
        return kit_prior
    k = settings.ado_prior_sites
    return (measure.dropouts + k * kit_prior) / (measure.observations + k)


@dataclass(frozen=True)
class DropoutMap:
    """Where one cell showed one allele only or both, at the het germline
    sites it had `ado_min_depth` reads at, to read its dropout near any
    position: dropout strikes stretches of kilobases, so a neighbouring het
    site tells more than the cell's average rate."""

    sites: dict[str, tuple[list[int], list[bool]]]  # chrom -> (sorted positions, one allele only)

    @classmethod
    def build(cls, judged: list[tuple[str, int, AlleleCounts]], settings: AdoSettings) -> DropoutMap:
        by_chrom: dict[str, list[tuple[int, bool]]] = {}
        for chrom, pos, c in judged:
            if c.depth >= settings.ado_min_depth:
                by_chrom.setdefault(chrom, []).append((pos, c.alt == 0 or c.ref == 0))
        return cls({
            chrom: ([p for p, _ in sorted(v)], [d for _, d in sorted(v)]) for chrom, v in by_chrom.items()
        })

    def near(self, chrom: str, pos: int, rate: float, window_bp: int) -> float:
        """Dropout probability at `pos`: from the nearest other het site at
        distance d, in the same dropout stretch with probability
        exp(-d / window_bp), else the cell's `rate`."""
        positions, dropped = self.sites.get(chrom, ([], []))
        i = bisect_left(positions, pos)
        neighbours = [j for j in (i - 1, i, i + 1) if 0 <= j < len(positions) and positions[j] != pos]
        if not neighbours:
            return rate
        j = min(neighbours, key=lambda k: abs(positions[k] - pos))
        same = math.exp(-abs(positions[j] - pos) / window_bp)
        return same * float(dropped[j]) + (1 - same) * rate


@dataclass(frozen=True)
class LocalDropout:
    """Each cell's ADO rate, read near a position from its `DropoutMap` where
    it has one (cells of a patient with normals), else the rate itself."""

    rates: dict[str, float]
    maps: dict[str, DropoutMap]
    window_bp: int

    def at(self, sample: str, chrom: str, pos: int) -> float:
        rate = self.rates.get(sample, 0.0)
        found = self.maps.get(sample)
        return found.near(chrom, pos, rate, self.window_bp) if found else rate
