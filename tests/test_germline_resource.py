"""A population germline VCF (`resources.germline`) that cannot serve as the
germline prior is named before any job, with the fix."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pysam
import pytest

from conftest import vcf_text, write_vcf
from ctc_profiler.inputs.germline_resource import germline_resource_problems
from ctc_profiler.inputs.reference_check import contig_lengths

REFERENCE = {"chr7": 1000, "chr17": 1000}  # the toy cohort's


def problems_of(path: Path) -> list[str]:
    return germline_resource_problems(path, REFERENCE, "genome.fa")


def test_a_valid_file_has_no_problem(tmp_path: Path) -> None:
    assert problems_of(write_vcf(tmp_path, vcf_text())) == []


def test_contig_lengths_of_the_vcf_may_be_absent(tmp_path: Path) -> None:
    """No ##contig lines: the names come from the index, no length to compare."""
    assert problems_of(write_vcf(tmp_path, vcf_text(contigs={}))) == []
    assert problems_of(write_vcf(tmp_path, vcf_text(contigs={"chr7": None}))) == []


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path / "absent.vcf.gz")
    assert problem == f"resources.germline '{tmp_path / 'absent.vcf.gz'}' does not exist; fix the path in the config"


def test_a_plain_vcf_is_named_with_bgzip_and_tabix(tmp_path: Path) -> None:
    plain = tmp_path / "germline.vcf"
    plain.write_text(vcf_text())
    [problem] = problems_of(plain)
    assert problem.startswith(f"resources.germline '{plain}' is not bgzip-compressed")
    assert f"bgzip -c '{plain}'" in problem and "tabix -p vcf" in problem


def test_a_gzip_but_not_bgzip_vcf_is_named(tmp_path: Path) -> None:
    gzipped = tmp_path / "germline.vcf.gz"
    gzipped.write_bytes(gzip.compress(vcf_text().encode()))
    [problem] = problems_of(gzipped)
    assert "is gzip- but not bgzip-compressed" in problem and "resources.germline" in problem
    assert f"gunzip -c '{gzipped}' | bgzip -c" in problem and "tabix -p vcf" in problem


def test_a_missing_or_stale_index_is_named(tmp_path: Path) -> None:
    vcf = write_vcf(tmp_path, vcf_text(), index=False)
    [problem] = problems_of(vcf)
    assert "resources.germline" in problem and "has no index beside it" in problem
    assert f"tabix -p vcf '{vcf}'" in problem
    pysam.tabix_index(str(vcf), preset="vcf", csi=True)
    assert problems_of(vcf) == []  # a .csi serves as well
    os.utime(f"{vcf}.csi", (0, 0))
    [problem] = problems_of(vcf)
    assert "is newer than its index" in problem and "tabix -f -p vcf" in problem


def test_a_vcf_without_af_is_named(tmp_path: Path) -> None:
    [problem] = problems_of(write_vcf(tmp_path, vcf_text(af=False)))
    assert "resources.germline" in problem and "declares no INFO/AF" in problem
    assert "bcftools annotate -x '^INFO/AF'" in problem


def test_a_file_that_is_not_a_vcf_is_named(tmp_path: Path) -> None:
    text, compressed = tmp_path / "genes.bed", tmp_path / "genes.bed.gz"
    text.write_text("chr7\t1\t100\tEGFR\n")
    pysam.tabix_compress(str(text), str(compressed))
    pysam.tabix_index(str(compressed), preset="bed")
    [problem] = problems_of(compressed)
    assert "cannot be read as a VCF" in problem and "resources.germline" in problem


def test_another_build_names_the_contigs_and_both_lengths(tmp_path: Path) -> None:
    contigs = {"chr7": 1000, "chr17": 1200}
    [problem] = problems_of(write_vcf(tmp_path, vcf_text(contigs=contigs)))
    assert "resources.germline" in problem and "is for another build than reference.fasta 'genome.fa'" in problem
    assert "chr17 1200 in the VCF, 1000 in the reference" in problem and "chr7 " not in problem
    assert "lift the file over" in problem


def test_at_most_three_contigs_are_named(tmp_path: Path) -> None:
    reference = {f"chr{n}": 1000 for n in range(1, 6)}
    vcf = write_vcf(tmp_path, vcf_text(contigs={f"chr{n}": 999 for n in range(1, 6)}, chrom="chr1"))
    [problem] = germline_resource_problems(vcf, reference, "genome.fa")
    assert "chr3 999 in the VCF, 1000 in the reference; and 2 more" in problem and "chr4 999" not in problem


@pytest.mark.parametrize("contigs", [{"7": 1000, "17": 1000}, {}])
def test_no_shared_contig_name_suggests_renaming(tmp_path: Path, contigs: dict[str, int]) -> None:
    """Named in ##contig lines, or (none there) in the index alone."""
    [problem] = problems_of(write_vcf(tmp_path, vcf_text(contigs=contigs, chrom="7")))
    assert "shares no contig name with reference.fasta 'genome.fa'" in problem and "resources.germline" in problem
    assert "the 'chr' prefix differs" in problem and "bcftools annotate --rename-chrs" in problem


def test_contig_lengths_from_the_index_or_the_fasta(tmp_path: Path) -> None:
    fasta = tmp_path / "ref.fa"
    fasta.write_text(">chr7 description\nACGT\nAC\n>chr17\nACGTACGT\n")
    assert contig_lengths(fasta) == {"chr7": 6, "chr17": 8}
    Path(f"{fasta}.fai").write_text("chrA\t4\t6\t4\t5\n")
    assert contig_lengths(fasta) == {"chrA": 4}  # the index is trusted when present
