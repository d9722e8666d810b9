"""The identity check's sites: every patient's germline SNVs pooled once,
conflicting alleles dropped, the number capped evenly; and each sample's
reads at them from a bcftools pileup."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pysam

from ctc_profiler.variants.identity_sites import pooled_sites, site_counts

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
