"""The simulator's GRCh38 genome (--genome grch38): chr7 and chr17 at real
positions, so the workflow's shipped GRCh38 tables fit it. Expected values are
public GRCh38 coordinates and bases, written out here, not read from the
simulator."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pysam
import pytest

from conftest import ROOT
from ctc_simulator.cohort import build_model, write_reference
from ctc_simulator.design import CohortDesign, build_spec, preset, preset_design
from ctc_simulator.genome import _real_exons
from ctc_simulator.spec import GRCH38_REAL_GENES

SHIPPED_HOTSPOTS = ROOT / "workflow" / "resources" / "hotspots" / "GRCh38.tsv"

# 1-based GRCh38 position and reference base of hotspots (domain notes; the
# EGFR ones checked on the real LRG_304 locus).
REAL_BASES = {
    ("chr7", 55174014): "G",  # EGFR G719
    ("chr7", 55181378): "C",  # EGFR T790M
    ("chr7", 55181399): "G",  # EGFR C797S
    ("chr7", 55191822): "T",  # EGFR L858R
    ("chr7", 55191831): "T",  # EGFR L861Q
    ("chr17", 39711955): "C",  # ERBB2 S310F
    ("chr17", 39723967): "T",  # ERBB2 L755S
    ("chr17", 39724008): "G",  # ERBB2 D769Y
    ("chr17", 39724747): "G",  # ERBB2 V777L
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference files of the grch38 preset (reads are not generated)."""
    outdir = tmp_path_factory.mktemp("grch38")
    write_reference(build_model(preset("grch38"), 1), outdir)
    return outdir / "reference"


def read_rows(path: Path) -> list[list[str]]:
    with path.open() as handle:
        return [line.rstrip("\n").split("\t") for line in handle if not line.startswith("#")]


def test_chromosomes_are_chr7_and_chr17_cut_past_the_tables(reference: Path) -> None:
    fai = [(row[0], int(row[1])) for row in read_rows(reference / "genome.fa.fai")]
    assert fai == [("chr7", 72_500_000), ("chr17", 41_500_000)]


def test_genes_and_reference_regions_sit_at_their_grch38_positions(reference: Path) -> None:
    genes = {row[3]: (row[0], int(row[1]), int(row[2]), row[5])
             for row in read_rows(reference / "genes.bed")}
    assert genes["EGFR"] == ("chr7", 55_019_016, 55_211_628, "+")
    chrom, start, end, _ = genes["ERBB2"]
    # the NM_004448.4 span, chr17:39,688,094-39,728,658, lies inside the gene
    assert chrom == "chr17" and start < 39_688_094 - 1 and end >= 39_728_658
    assert set(genes) == {"EGFR", "ERBB2", "GRB7", "TOP2A"}
    regions = {row[3]: (row[0], int(row[1]), int(row[2]))
               for row in read_rows(reference / "reference_regions.bed")}
    assert regions == {"chr7_ref": ("chr7", 66_000_000, 72_000_000),
                       "chr17_ref": ("chr17", 27_000_000, 33_000_000)}


def test_hotspot_bases_are_the_real_ones(reference: Path) -> None:
    with pysam.FastaFile(str(reference / "genome.fa")) as fasta:
        for (chrom, pos), base in REAL_BASES.items():
            assert fasta.fetch(chrom, pos - 1, pos) == base, (chrom, pos)
        # exon 19 around the E746_A750del anchor, real sequence
        assert fasta.fetch("chr7", 55174770, 55174786) == "AGGAATTAAGAGAAGC"
    with (reference / "hotspots.tsv").open() as handle:
        written = {(r["chrom"], int(r["pos"])): r["ref"]
                   for r in csv.DictReader(handle, delimiter="\t") if r["kind"] == "snv"}
    assert written == REAL_BASES


def test_shipped_hotspot_table_agrees_with_the_genome_on_chr7_and_chr17(reference: Path) -> None:
    checked = 0
    with pysam.FastaFile(str(reference / "genome.fa")) as fasta, SHIPPED_HOTSPOTS.open() as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["chrom"] not in ("chr7", "chr17"):
                continue
            pos = int(row["pos"])
            assert fasta.fetch(row["chrom"], pos - 1, pos - 1 + len(row["ref"])) == row["ref"], row
            checked += 1
    assert checked == 15  # 11 EGFR rows, exon 19 and 20 regions included, and 4 ERBB2


def test_panel_targets_are_the_real_exons(reference: Path) -> None:
    targets = [(row[0], int(row[1]), int(row[2]), row[3])
               for row in read_rows(reference / "panel_targets.bed")]
    assert len(targets) == 28 + 27
    assert ("chr7", 55191718, 55191874, "EGFR_exon21") in targets
    assert ("chr17", 39711927, 39712047, "ERBB2_exon8") in targets
    for chrom, pos in REAL_BASES:
        assert any(c == chrom and s < pos <= e for c, s, e, _ in targets), (chrom, pos)


def test_grch38_is_an_option_and_the_default_genome_is_unchanged() -> None:
    assert CohortDesign().genome == "scaled"
    scaled = build_spec(CohortDesign())
    assert [c.name for c in scaled.genome.chromosomes] == [
        "chr1", "chr7", "chr8", "chr11", "chr17", "chrX"]
    assert not scaled.genome.real_exons
    real = build_spec(dataclasses.replace(preset_design("demo"), genome="grch38"))
    assert [c.name for c in real.genome.chromosomes] == ["chr7", "chr17"]
    # the trunk's chr1/chr8 events are dropped with their chromosomes
    events = {e.chrom for p in real.patients for c in p.clones for e in c.cn_events}
    assert events <= {"chr7", "chr17"} and "chr17" in events


def test_exon_sequence_that_does_not_fit_its_coordinates_is_refused() -> None:
    egfr = next(g for g in GRCH38_REAL_GENES if g.name == "EGFR")
    # exon 17 a base longer puts exon 18's first base at c.2063, not c.2062
    longer = dataclasses.replace(
        egfr, exon_coordinates=tuple((s, e + 1) if i == 17 else (s, e)
                                     for i, (s, e) in enumerate(egfr.exon_coordinates, 1)))
    exons = _real_exons(egfr, egfr.start, egfr.end)
    assert [e.cdna_start for e in exons if e.number in (18, 21)] == [2062, 2470]
    with pytest.raises(ValueError, match="exon 18"):
        _real_exons(longer, longer.start, longer.end)
