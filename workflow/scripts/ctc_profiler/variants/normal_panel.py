"""The run's panel of normals: the alleles each patient's samples show, so
that the genotyping of every other patient knows them.

Outside hotspots, a somatic point mutation belongs to one person's tumour.
An allele another patient's normals (WBC cells, bulk normal) show is a
germline polymorphism or a recurrent artefact, and so is one another
patient's tumour samples show: in either case not a somatic mutation here,
whatever this patient's own normals missed to dropout or low depth.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ctc_profiler.core.words import NORMAL_TYPES
from ctc_profiler.variants.joint_vcf import read_sites

PANEL_COLUMNS = ["chrom", "pos", "ref", "alt", "patient", "seen_in"]
Allele = tuple[str, int, str, str]


def panel_rows(patient: str, vcf_path: Path | str, types: Mapping[str, str], min_alt_reads: int) -> list[dict]:
    """One row per allele of the patient's joint VCF that its pooled normals
    show (`seen_in` normal), or else one of its samples does, with at least
    `min_alt_reads` alt reads (`seen_in` tumour)."""
    names, sites = read_sites(vcf_path)
    normals = [name for name in names if types.get(name) in NORMAL_TYPES]
    rows = []
    for site in sites:
        if sum(site.counts[name].alt for name in normals) >= min_alt_reads:
            seen_in = "normal"
        elif any(site.counts[name].alt >= min_alt_reads for name in names):
            seen_in = "tumour"
        else:
            continue
        rows.append({"chrom": site.chrom, "pos": site.pos, "ref": site.ref, "alt": site.alt,
                     "patient": patient, "seen_in": seen_in})
    return rows


class OtherPatients:
    """Which of the run's other patients show each allele."""

    def __init__(self, rows: Iterable[Mapping], patient: str) -> None:
        self._seen: dict[Allele, set[str]] = defaultdict(set)
        for row in rows:
            if str(row["patient"]) != patient:
                allele = (str(row["chrom"]), int(row["pos"]), str(row["ref"]), str(row["alt"]))
                self._seen[allele].add(str(row["patient"]))

    def showing(self, allele: Allele) -> list[str]:
        return sorted(self._seen.get(allele, ()))


def read_panel(path: Path | str | None, patient: str) -> OtherPatients:
    """The panel without the patient's own rows; empty without a panel."""
    if path is None:
        return OtherPatients([], patient)
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    return OtherPatients(table.to_dict("records"), patient)


def _unknown(chrom: str, pos: int, ref: str, alt: str) -> float | None:
    return None


@dataclass(frozen=True)
class GermlineElsewhere:
    """What is known of an allele outside the patient: the run's other
    patients showing it, and its population allele frequency
    (`resources.germline`). A hotspot allele, a known tumour mutation, is
    not judged by the other patients (it recurs in their tumours), only by
    the population."""

    others: OtherPatients = field(default_factory=lambda: OtherPatients([], ""))
    population_af: Callable[[str, int, str, str], float | None] = _unknown
    min_af: float = 0.001

    def evidence(self, allele: Allele) -> tuple[list[str], float | None]:
        return self.others.showing(allele), self.population_af(*allele)

    def known(self, allele: Allele, hotspot: bool) -> bool:
        patients, af = self.evidence(allele)
        return (bool(patients) and not hotspot) or (af is not None and af >= self.min_af)
