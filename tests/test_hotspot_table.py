"""The hotspot table: parsing and its errors, allele and region matching, and
reads counted for and against each hotspot in small hand-made BAMs."""

from __future__ import annotations

import random
from pathlib import Path

import pysam
import pytest

from conftest import ROOT
from ctc_profiler.inputs.hotspot_table import (
    Hotspot,
    HotspotTableError,
    annotation_rows,
    read_hotspots,
    reference_allele_problems,
)
from ctc_profiler.variants.hotspot_reads import count_hotspot

HEADER = "gene\ttranscript\tprotein_change\tcdna_change\tchrom\tpos\tref\talt\tkind\n"
random.seed(7)
GENOME = "".join(random.choice("ACGT") for _ in range(400))


def table(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "hotspots.tsv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows))
    return path


def test_shipped_tables_parse_with_region_rows_for_exon_19_and_20() -> None:
    for build in ("GRCh38", "GRCh37"):
        hotspots = read_hotspots(ROOT / "workflow" / "resources" / "hotspots" / f"{build}.tsv")
        regions = {h.protein_change: h for h in hotspots if h.kind == "region"}
        assert set(regions) == {"ex19del", "ex20ins"}
        assert (regions["ex19del"].event, len(regions["ex19del"].ref)) == ("deletion", 99)
        assert (regions["ex20ins"].event, len(regions["ex20ins"].ref)) == ("insertion", 186)
        # the exact exon 19 deletion lies in the exon 19 region
        e746 = next(h for h in hotspots if h.protein_change == "E746_A750del")
        assert regions["ex19del"].matches(e746.chrom, e746.pos, e746.ref, e746.alt)


def test_bad_rows_are_named_with_file_and_line(tmp_path: Path) -> None:
    path = table(
        tmp_path,
        "EGFR\tNM\tL858R\tc.2573T>G\tchr7\t100\tT\tG\tsnv",
        "EGFR\tNM\tX1\tc.1\tchr7\t100\tT\tG\tmissense",
        "EGFR\tNM\tX2\tc.2\tchr7\tabc\tT\tG\tsnv",
        "EGFR\tNM\tX3\tc.3\tchr7\t100\tTA\tG\tdeletion",
    )
    with pytest.raises(HotspotTableError) as error:
        read_hotspots(path)
    message = str(error.value)
    assert f"'{path}' line 3: kind 'missense'" in message
    assert "line 4: pos 'abc'" in message
    assert "line 5: a deletion is written VCF style" in message


def test_missing_columns_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("gene\tchrom\tpos\nEGFR\tchr7\t1\n")
    with pytest.raises(HotspotTableError, match="bad.tsv' lacks column"):
        read_hotspots(path)


def test_matching_exact_alleles_and_regions() -> None:
    snv = Hotspot("EGFR", "NM", "L858R", "c", "chr7", 100, "T", "G", "snv")
    assert snv.matches("chr7", 100, "T", "G")
    assert not snv.matches("chr7", 100, "T", "C") and not snv.matches("7", 100, "T", "G")
    region = Hotspot("EGFR", "NM", "ex19del", "c", "chr7", 100, "A" * 50, "<DEL>", "region")
    assert region.matches("chr7", 120, "CAGG", "C")  # deletes 121-123
    assert region.matches("chr7", 98, "CAGG", "C")  # deletes 99-101: overlaps the start
    assert not region.matches("chr7", 150, "CAGG", "C")  # deletes 151-153: after the exon
    assert not region.matches("chr7", 120, "C", "CAGG")  # an insertion is not a deletion
    insertion = Hotspot("EGFR", "NM", "ex20ins", "c", "chr7", 100, "A" * 50, "<INS>", "region")
    assert insertion.matches("chr7", 130, "C", "CGGT")
    assert not insertion.matches("chr7", 160, "C", "CGGT")


def test_reference_allele_problems_name_the_hotspot() -> None:
    hotspots = [
        Hotspot("EGFR", "NM", "L858R", "c", "chr1", 11, GENOME[10], "N", "snv"),
        Hotspot("EGFR", "NM", "T790M", "c", "chr1", 21, "A" if GENOME[20] != "A" else "C", "T", "snv"),
    ]
    problems = reference_allele_problems(hotspots, lambda c, s, e: GENOME[s:e], "hs.tsv")
    assert len(problems) == 1 and "EGFR T790M at chr1:21" in problems[0] and "hs.tsv" in problems[0]


def _bam(tmp_path: Path, reads: list[dict]) -> Path:
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": "chr1", "LN": len(GENOME)}],
              "RG": [{"ID": "c.panel", "SM": "c"}]}
    unsorted = tmp_path / "unsorted.bam"
    with pysam.AlignmentFile(str(unsorted), "wb", header=header) as out:
        for i, spec in enumerate(reads):
            read = pysam.AlignedSegment(out.header)
            read.query_name = spec.get("name", f"r{i}")
            read.reference_id, read.reference_start = 0, spec["start"]
            read.query_sequence = spec["seq"]
            read.cigarstring = spec.get("cigar", f"{len(spec['seq'])}M")
            read.mapping_quality = spec.get("mapq", 60)
            read.flag = spec.get("flag", 0)
            read.query_qualities = pysam.qualitystring_to_array("I" * len(spec["seq"]))
            out.write(read)
    path = tmp_path / "cell.bam"
    pysam.sort("-o", str(path), str(unsorted))
    pysam.index(str(path))
    return path


def test_reads_are_counted_per_allele_and_strand_once_per_fragment(tmp_path: Path) -> None:
    pos = 101  # 1-based
    ref_base = GENOME[pos - 1]
    alt_base = next(b for b in "ACGT" if b != ref_base)

    def with_alt(start: int) -> str:
        seq = GENOME[start:start + 50]
        i = pos - 1 - start
        return seq[:i] + alt_base + seq[i + 1:]

    reads = [
        {"start": 80, "seq": with_alt(80)},
        {"start": 70, "seq": with_alt(70), "flag": 16},
        {"start": 60, "seq": with_alt(60), "flag": 1024},  # duplicate: skipped
        {"start": 75, "seq": with_alt(75), "mapq": 5},  # low MQ: skipped
        {"start": 90, "seq": GENOME[90:140], "name": "pair", "flag": 1 | 2 | 64},
        {"start": 95, "seq": GENOME[95:145], "name": "pair", "flag": 1 | 2 | 128 | 16},  # its mate
        {"start": 85, "seq": GENOME[85:135], "flag": 16},
    ]
    bam = _bam(tmp_path, reads)
    hotspot = Hotspot("G", "T", "X1Y", "c", "chr1", pos, ref_base, alt_base, "snv")
    with pysam.AlignmentFile(str(bam)) as handle:
        c = count_hotspot([handle], hotspot, min_bq=13, min_mq=20, fetch=lambda ch, s, e: GENOME[s:e])
    assert (c.alt, c.alt_fwd, c.alt_rev) == (2, 1, 1)
    assert (c.ref, c.ref_fwd, c.ref_rev) == (2, 1, 1)


def test_deletions_match_exactly_or_by_region(tmp_path: Path) -> None:
    anchor = 150  # 1-based anchor; deletes 151-155
    deleted = GENOME[150:155]
    start = 120
    deletion_read = {"start": start, "seq": GENOME[start:150] + GENOME[155:185], "cigar": "30M5D30M"}
    # deletes 153-154: inside the hotspot but another allele
    other_deletion = {"start": start, "seq": GENOME[start:152] + GENOME[154:182], "cigar": "32M2D28M"}
    plain = {"start": start, "seq": GENOME[start:180]}
    bam = _bam(tmp_path, [deletion_read, other_deletion, plain])
    fetch = lambda ch, s, e: GENOME[max(0, s):e]  # noqa: E731
    exact = Hotspot("G", "T", "del", "c", "chr1", anchor, GENOME[anchor - 1] + deleted, GENOME[anchor - 1], "deletion")
    region = Hotspot("G", "T", "exdel", "c", "chr1", 140, GENOME[139:170], "<DEL>", "region")
    with pysam.AlignmentFile(str(bam)) as handle:
        by_allele = count_hotspot([handle], exact, min_bq=13, min_mq=20, fetch=fetch)
        by_region = count_hotspot([handle], region, min_bq=13, min_mq=20, fetch=fetch)
    assert (by_allele.alt, by_allele.ref) == (1, 1)  # the other deletion counts for neither
    assert (by_region.alt, by_region.ref) == (2, 1)


def test_a_hotspot_table_the_reference_contradicts_stops_the_workflow(toy_cohort: Path) -> None:
    from conftest import snakemake

    pysam.faidx(str(toy_cohort / "genome.fa"))  # the allele check reads the .fai
    (toy_cohort / "hotspots.tsv").write_text(HEADER + "EGFR\tNM\tL858R\tc.1\tchr7\t1\tC\tT\tsnv\n")
    config = toy_cohort / "config.yaml"
    config.write_text(config.read_text().replace("resources:\n", "resources:\n  hotspots: hotspots.tsv\n"))
    result = snakemake(toy_cohort, "--cores", "1", "-n")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Invalid hotspot table" in output
    assert "hotspots.tsv': EGFR L858R at chr7:1 has ref C but the reference reads A" in output


def test_vcf_annotation_names_exact_alleles_in_reference_order() -> None:
    hotspots = [
        Hotspot("ERBB2", "NM", "S310F", "c", "chr17", 50, "C", "T", "snv"),
        Hotspot("EGFR", "NM", "L858R", "c", "chr7", 90, "T", "G", "snv"),
        Hotspot("EGFR", "NM", "ex19del", "c", "chr7", 10, "ACGT", "<DEL>", "region"),
        Hotspot("EGFR", "NM", "E746_A750del", "c", "chr7", 20, "AGG", "A", "deletion"),
    ]
    assert annotation_rows(hotspots, ["chr7", "chr17"]) == [
        ("chr7", 20, "AGG", "A", "EGFR:E746_A750del"),
        ("chr7", 90, "T", "G", "EGFR:L858R"),
        ("chr17", 50, "C", "T", "ERBB2:S310F"),
    ]
