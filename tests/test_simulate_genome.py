"""Synthetic reference: GC variation, gene layout, planted EGFR exons,
hotspots, panel targets and reference files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pysam
import pytest

from ctc_simulator.clones import event_interval
from ctc_simulator.design import demo_spec
from ctc_simulator.genome import (
    Genome,
    build_genome,
    write_fasta,
    write_genes_bed,
    write_regions_bed,
)
from ctc_simulator.hotspots import EGFR_EXONS, locate_hotspots
from ctc_simulator.rng import child_rng
from ctc_simulator.spec import GRCH38_GENES, shrink

TINY = shrink(demo_spec(), ("chr7", "chr17"))
REAL = {g.name: g for g in GRCH38_GENES}


@pytest.fixture(scope="module")
def genome() -> Genome:
    return build_genome(TINY.genome, child_rng(1, "genome"))


def test_same_seed_same_genome_other_seed_differs(genome: Genome) -> None:
    again = build_genome(TINY.genome, child_rng(1, "genome"))
    other = build_genome(TINY.genome, child_rng(2, "genome"))
    assert np.array_equal(genome.sequence, again.sequence)
    assert not np.array_equal(genome.sequence, other.sequence)


def test_sequence_is_plain_acgt_with_scaled_lengths(genome: Genome) -> None:
    assert set(np.unique(genome.sequence).tobytes()) == set(b"ACGT")
    for chrom, cspec in zip(genome.chromosomes, TINY.genome.chromosomes):
        assert chrom.name == cspec.name
        assert chrom.length == round(cspec.grch38_length / TINY.genome.scale_divisor)


def test_gc_varies_between_100kb_bins_like_isochores(genome: Genome) -> None:
    gc = []
    for chrom in genome.chromosomes:
        seq = genome.sequence[chrom.offset : chrom.offset + chrom.length]
        n = chrom.length // 100_000
        blocks = seq[: n * 100_000].reshape(n, 100_000)
        gc.append(((blocks == ord("G")) | (blocks == ord("C"))).mean(axis=1))
    gc_bins = np.concatenate(gc)
    assert gc_bins.std() > 0.02
    assert 0.33 < gc_bins.min() and gc_bins.max() < 0.62
    # Autocorrelated: neighbouring bins are more alike than random pairs.
    assert np.corrcoef(gc_bins[:-1], gc_bins[1:])[0, 1] > 0.3


def test_genes_keep_real_size_and_17q12_spacing(genome: Genome) -> None:
    for gene in genome.genes:
        real = REAL[gene.name]
        assert gene.end - gene.start == real.end - real.start
        chrom = genome.chromosome(gene.chrom)
        assert 0 <= gene.start < gene.end <= chrom.length
    erbb2, grb7, top2a = (genome.gene(n) for n in ("ERBB2", "GRB7", "TOP2A"))
    assert erbb2.start < grb7.start < top2a.start
    assert grb7.start - erbb2.start == REAL["GRB7"].start - REAL["ERBB2"].start
    assert top2a.start - erbb2.start == REAL["TOP2A"].start - REAL["ERBB2"].start
    assert erbb2.start == round(REAL["ERBB2"].start / 40)
    assert erbb2.start > genome.chromosome("chr17").centromere  # 17q
    egfr = genome.gene("EGFR")
    assert egfr.end < genome.chromosome("chr7").centromere  # 7p, as in GRCh38


def test_exon_structures(genome: Genome) -> None:
    for name, count in (("EGFR", 28), ("ERBB2", 27)):
        gene = genome.gene(name)
        assert len(gene.exons) == count
        assert gene.exons[0].start == gene.start and gene.exons[-1].end == gene.end
        for left, right in zip(gene.exons, gene.exons[1:]):
            assert left.end < right.start
        assert all(99 <= e.end - e.start <= 250 for e in gene.exons)


def test_egfr_exons_carry_real_sequence(genome: Genome) -> None:
    egfr = genome.gene("EGFR")
    for exon in egfr.exons:
        if exon.number in EGFR_EXONS:
            assert (
                genome.fetch("chr7", exon.start, exon.end) == EGFR_EXONS[exon.number][1]
            )


def test_hotspot_ref_alleles_equal_the_genome(genome: Genome) -> None:
    spots = {h.key: h for h in locate_hotspots(genome, TINY.genome.hotspots)}
    assert {"EGFR:L858R", "EGFR:T790M", "EGFR:E746_A750del"} <= set(spots)
    for spot in spots.values():
        assert (
            genome.fetch(spot.chrom, spot.pos - 1, spot.pos - 1 + len(spot.ref))
            == spot.ref
        )
        assert spot.spec.kind in {"snv", "deletion", "insertion"}
    l858r = spots["EGFR:L858R"]
    codon = genome.fetch("chr7", l858r.pos - 2, l858r.pos + 1)
    assert codon == "CTG" and codon[0] + l858r.alt + codon[2] == "CGG"
    t790m = spots["EGFR:T790M"]
    codon = genome.fetch("chr7", t790m.pos - 2, t790m.pos + 1)
    assert codon == "ACG" and codon[0] + t790m.alt + codon[2] == "ATG"
    deletion = spots["EGFR:E746_A750del"]
    assert deletion.ref == "AGGAATTAAGAGAAGC" and deletion.alt == "A"
    # Left-aligned: the anchor differs from the last deleted base.
    assert deletion.ref[0] != deletion.ref[-1]


def test_panel_targets_are_sorted_merged_exons(genome: Genome) -> None:
    targets = genome.targets
    assert len(targets) == 28 + 27
    order = [c.name for c in genome.chromosomes]
    keys = [(order.index(t.chrom), t.start) for t in targets]
    assert keys == sorted(keys)
    for left, right in zip(targets, targets[1:]):
        assert left.chrom != right.chrom or left.end < right.start
    assert {t.name for t in targets} >= {"EGFR_exon21", "ERBB2_exon1"}


def test_reference_regions_avoid_the_amplicon_and_egfr(genome: Genome) -> None:
    chr17_ref = genome.reference_region("chr17_ref")
    chr17 = genome.chromosome("chr17")
    assert chr17.centromere <= chr17_ref.start < chr17_ref.start + 1 <= chr17_ref.end
    assert chr17_ref.start - chr17.centromere < 100_000
    clones = {c.name: c for c in TINY.patients[0].clones}
    amplicon = event_interval(genome, clones["her2_amplified"].cn_events[0])
    assert chr17_ref.end <= amplicon[0]
    assert (
        amplicon[0] < genome.gene("ERBB2").start
        and genome.gene("GRB7").end < amplicon[1]
    )
    assert amplicon[1] - amplicon[0] == 600_000
    chr7_ref = genome.reference_region("chr7_ref")
    assert chr7_ref.start - genome.gene("EGFR").end > 100_000


def test_reference_files(genome: Genome, tmp_path: Path) -> None:
    fasta, fai = write_fasta(genome, tmp_path / "genome.fa")
    lines = fasta.read_text().splitlines()
    assert lines[0] == ">chr7" and all(len(line) <= 60 for line in lines)
    # Our .fai matches what samtools/pysam would build.
    copy = tmp_path / "copy" / "genome.fa"
    copy.parent.mkdir()
    shutil.copy(fasta, copy)
    pysam.faidx(str(copy))
    assert (copy.parent / "genome.fa.fai").read_text() == fai.read_text()
    with pysam.FastaFile(str(fasta)) as handle:
        egfr = genome.gene("EGFR")
        assert handle.fetch("chr7", egfr.start, egfr.start + 500) == genome.fetch(
            "chr7", egfr.start, egfr.start + 500
        )
    bed = write_genes_bed(genome, tmp_path / "genes.bed").read_text().splitlines()
    rows = [line.split("\t") for line in bed]
    assert [r[3] for r in rows] == ["EGFR", "ERBB2", "GRB7", "TOP2A"]
    assert all(len(r) == 6 and r[4] == "0" and r[5] in "+-" for r in rows)
    regions = (
        write_regions_bed(genome.reference_regions, tmp_path / "regions.bed")
        .read_text()
        .splitlines()
    )
    assert [line.split("\t")[3] for line in regions] == ["chr7_ref", "chr17_ref"]
