"""The sites a sample's identity is judged at: the germline SNVs of every
patient's pooled normals, pooled over the run, so a cell can be weighed
against other patients' genotypes as well as its own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pysam

from ctc_profiler.variants.germline_genotypes import COUNT_COLUMNS, SITE
from ctc_profiler.variants.population import PopulationFrequencies

# column of the sites table: the population allele frequency of resources.germline, empty where it lacks the site
POPULATION_AF = "population_af"


def germline_snvs(path: Path | str) -> tuple[pd.DataFrame, list[str]]:
    """The biallelic SNVs of one patient's germline BCF (chrom, 1-based pos,
    ref, alt, qual), and the contigs of its header in order."""
    with pysam.VariantFile(str(path)) as vcf:
        contigs = list(vcf.header.contigs)
        rows = [(r.chrom, r.pos, r.ref, r.alts[0], r.qual) for r in vcf
                if r.alts and len(r.alts) == 1 and len(r.ref) == 1 and len(r.alts[0]) == 1]
    return pd.DataFrame(rows, columns=[*SITE, "qual"]).astype({"qual": float}), contigs


def trusted_snvs(snvs: pd.DataFrame, min_qual: float, min_qual_known: float) -> pd.DataFrame:
    """The SNVs (SITE, POPULATION_AF; `with_population_af`) at QUAL >=
    `min_qual`, or >= `min_qual_known` where the population resource holds
    the allele: a known SNP needs less evidence to be believed, and a
    low-pass pool gives few SNVs a high QUAL."""
    known = snvs[POPULATION_AF].notna()
    keep = (snvs["qual"] >= min_qual) | (known & (snvs["qual"] >= min_qual_known))
    return snvs.loc[keep, [*SITE, POPULATION_AF]].reset_index(drop=True)


def pooled_sites(tables: list[pd.DataFrame], contigs: list[str], max_sites: int) -> pd.DataFrame:
    """Every patient's sites once, in genome order (`contigs`), at most
    `max_sites` of them spread evenly along it, with the tables' other
    columns (`POPULATION_AF`). A position where two patients' alt alleles
    differ is left out: one ref/alt pair per site keeps every sample's counts
    comparable."""
    sites = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=[*SITE, POPULATION_AF])
    sites = sites.drop_duplicates(SITE)
    sites = sites[~sites.duplicated(["chrom", "pos"], keep=False)]
    order = {c: i for i, c in enumerate(contigs)}
    sites = sites[sites["chrom"].isin(order)]
    sites = sites.assign(rank=sites["chrom"].map(order)).sort_values(["rank", "pos"]).drop(columns="rank")
    if len(sites) > max_sites:
        sites = sites.iloc[np.unique(np.linspace(0, len(sites) - 1, max_sites).round().astype(int))]
    return sites.reset_index(drop=True)


def with_population_af(sites: pd.DataFrame, population: PopulationFrequencies) -> pd.DataFrame:
    """The sites with their population allele frequency (`POPULATION_AF`;
    NaN where the resource lacks the allele, everywhere without one)."""
    frequencies = [population.af(c, int(p), r, a) for c, p, r, a in sites[SITE].itertuples(index=False)]
    return sites.assign(**{POPULATION_AF: pd.array(frequencies, dtype="Float64").astype(float)})


def site_counts_none() -> pd.DataFrame:
    """An empty table of reads at sites (`COUNT_COLUMNS`, integer counts)."""
    return pd.DataFrame(columns=COUNT_COLUMNS).astype({"pos": int, "ref_reads": int, "alt_reads": int})


def site_counts(path: Path | str, sites: pd.DataFrame) -> pd.DataFrame:
    """Each sample's ref and alt reads at the sites (`COUNT_COLUMNS`), from a
    `bcftools mpileup -a AD` BCF of its patient's BAMs (one column per
    sample); an alt allele the pileup did not see has no reads."""
    alleles = {(c, int(p)): (r, a) for c, p, r, a in sites[SITE].itertuples(index=False)}
    rows = []
    with pysam.VariantFile(str(path)) as vcf:
        names = list(vcf.header.samples)
        for record in vcf:
            site = alleles.get((record.chrom, record.pos))
            if site is None or record.ref != site[0]:
                continue
            alts = list(record.alts or ())
            index = alts.index(site[1]) + 1 if site[1] in alts else None
            for name in names:
                depth = record.samples[name].get("AD")
                if not depth or depth[0] is None:
                    continue
                alt_reads = depth[index] if index is not None and depth[index] is not None else 0
                if depth[0] or alt_reads:
                    rows.append((name, record.chrom, record.pos, *site, depth[0], alt_reads))
    return pd.DataFrame(rows, columns=COUNT_COLUMNS).astype({"pos": int, "ref_reads": int, "alt_reads": int})
