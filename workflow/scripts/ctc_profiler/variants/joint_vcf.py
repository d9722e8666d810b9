"""A patient's joint VCF read as sites: one biallelic allele per record with
every sample's reads by allele and strand, and what the genotyping learns of
it (origin, hotspot)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cyvcf2 import VCF

from ctc_profiler.inputs.hotspot_table import Hotspot
from ctc_profiler.variants.states import AlleleCounts


@dataclass
class Site:
    chrom: str
    pos: int
    ref: str
    alt: str
    counts: dict[str, AlleleCounts]
    origin: str = "unresolved"
    germline_probability: float = float("nan")
    hotspot: Hotspot | None = None

    @property
    def allele(self) -> tuple[str, int, str, str]:
        return self.chrom, self.pos, self.ref, self.alt


def _value(array, row: int, column: int) -> int:
    if array is None or row >= array.shape[0] or column >= array.shape[1]:
        return 0
    value = int(array[row, column])
    return value if value > 0 else 0


def read_sites(vcf_path: Path | str) -> tuple[list[str], list[Site]]:
    """Biallelic records of a normalised multi-sample VCF with per-sample counts."""
    vcf = VCF(str(vcf_path))
    names = list(vcf.samples)
    sites = []
    for record in vcf:
        if len(record.ALT) != 1 or record.ALT[0] in ("<*>", "."):
            continue
        ad, adf, adr = (record.format(key) for key in ("AD", "ADF", "ADR"))
        counts = {
            name: AlleleCounts(
                ref=_value(ad, i, 0), alt=_value(ad, i, 1),
                alt_fwd=_value(adf, i, 1), alt_rev=_value(adr, i, 1),
                ref_fwd=_value(adf, i, 0), ref_rev=_value(adr, i, 0),
            )
            for i, name in enumerate(names)
        }
        sites.append(Site(record.CHROM, record.POS, record.REF.upper(), record.ALT[0].upper(), counts))
    vcf.close()
    return names, sites
