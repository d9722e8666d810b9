"""The identity check's sites: every patient's germline SNVs pooled once,
conflicting alleles dropped, the number capped evenly; and each sample's
reads at them from a bcftools pileup."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pysam
import pytest

from conftest import AF_LINE, COLUMNS, write_vcf
from ctc_profiler.variants.identity_sites import (
    POPULATION_AF,
    pooled_sites,
    site_counts,
    trusted_snvs,
    with_population_af,
)
from ctc_profiler.variants.population import open_population

SITE = ["chrom", "pos", "ref", "alt"]


def test_sites_are_pooled_once_in_genome_order_without_conflicts_and_capped_evenly() -> None:
    p1 = pd.DataFrame([("chr2", 50, "A", "G"), ("chr1", 10, "C", "T"), ("chr1", 30, "G", "A")], columns=SITE)
    p2 = pd.DataFrame([("chr1", 10, "C", "T"), ("chr1", 30, "G", "C"), ("chrUn", 5, "A", "T")], columns=SITE)
    sites = pooled_sites([p1, p2], ["chr1", "chr2"], 100)
    # chr1:30 has two alt alleles: left out; chrUn is not a contig of the reference
    assert list(map(tuple, sites.to_numpy())) == [("chr1", 10, "C", "T"), ("chr2", 50, "A", "G")]
    many = pd.DataFrame([("chr1", i, "A", "G") for i in range(1, 1001)], columns=SITE)
    capped = pooled_sites([many], ["chr1"], 11)
    assert list(capped["pos"]) == [1, 101, 201, 301, 401, 501, 600, 700, 800, 900, 1000]  # evenly, both ends
    assert pooled_sites([], ["chr1"], 10).empty


def test_each_samples_reads_at_the_sites_come_from_the_pileup(tmp_path: Path) -> None:
    header = pysam.VariantHeader()
    header.contigs.add("chr1", length=1000)
    header.formats.add("AD", "R", "Integer", "Allelic depths")
    for sample in ("P1_CTC01", "P1_WBC01"):
        header.add_sample(sample)
    path = tmp_path / "reads.bcf"
    with pysam.VariantFile(str(path), "wb", header=header) as vcf:
        for pos, alts, depths in ((10, ("T", "<*>"), ((3, 2, 0), (4, 0, 0))),  # the site's alt seen
                                  (30, ("<*>",), ((5, 0), (None, None))),  # alt unseen; no reads in the WBC
                                  (50, ("G", "<*>"), ((1, 1, 0), (2, 2, 0)))):  # not a site
            record = vcf.new_record(contig="chr1", start=pos - 1, alleles=("C" if pos != 30 else "G", *alts))
            for sample, ad in zip(("P1_CTC01", "P1_WBC01"), depths):
                record.samples[sample]["AD"] = ad
            vcf.write(record)
    sites = pd.DataFrame([("chr1", 10, "C", "T"), ("chr1", 30, "G", "A")], columns=SITE)
    counts = site_counts(path, sites)
    rows = {(r.sample, r.pos): (r.ref_reads, r.alt_reads) for r in counts.itertuples()}
    assert rows == {("P1_CTC01", 10): (3, 2), ("P1_WBC01", 10): (4, 0), ("P1_CTC01", 30): (5, 0)}
    assert counts["alt_reads"].dtype.kind == "i"


def test_sites_carry_the_population_frequency_of_their_own_allele(tmp_path: Path) -> None:
    """The resource's AF of the site's alt allele; another alt allele at the
    same position, or a position the resource lacks, is unknown (NaN)."""
    text = ("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000>\n" + AF_LINE + COLUMNS
            + "chr1\t10\t.\tC\tT,A\t.\t.\tAF=0.3,0.01\nchr1\t50\t.\tA\tG\t.\t.\tAF=0.2\n")
    vcf = write_vcf(tmp_path, text)
    sites = pd.DataFrame([("chr1", 10, "C", "A"), ("chr1", 50, "A", "C"), ("chr1", 70, "G", "T"),
                          ("chr1", 10, "C", "T")], columns=SITE)
    with open_population(vcf) as population:
        found = with_population_af(sites, population)[POPULATION_AF].tolist()
    assert found[0] == pytest.approx(0.01) and found[3] == pytest.approx(0.3)
    assert pd.isna(found[1]) and pd.isna(found[2])
    with open_population(None) as nothing:
        assert with_population_af(sites, nothing)[POPULATION_AF].isna().all()


def test_a_known_snp_needs_less_quality_to_be_a_site(tmp_path: Path) -> None:
    """QUAL >= min_qual, or >= min_qual_known where the resource holds the
    allele (chr1:10 C>T); without a resource min_qual alone."""
    text = ("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000>\n" + AF_LINE + COLUMNS
            + "chr1\t10\t.\tC\tT\t.\t.\tAF=0.3\nchr1\t20\t.\tA\tG\t.\t.\tAF=0.2\n")
    vcf = write_vcf(tmp_path, text)
    snvs = pd.DataFrame([("chr1", 10, "C", "T", 12.0), ("chr1", 20, "A", "C", 12.0), ("chr1", 30, "G", "T", 40.0),
                         ("chr1", 20, "A", "G", 8.0)], columns=[*SITE, "qual"])
    with open_population(vcf) as population:
        kept = trusted_snvs(with_population_af(snvs, population), min_qual=30, min_qual_known=10)
    assert list(kept["pos"]) == [10, 30] and list(kept.columns) == [*SITE, POPULATION_AF]
    assert kept[POPULATION_AF].iloc[0] == pytest.approx(0.3) and pd.isna(kept[POPULATION_AF].iloc[1])
    with open_population(None) as nothing:
        assert list(trusted_snvs(with_population_af(snvs, nothing), min_qual=30, min_qual_known=10)["pos"]) == [30]
