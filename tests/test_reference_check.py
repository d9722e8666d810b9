"""Reference and region files that disagree are named before any job runs."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from conftest import snakemake
from ctc_profiler.inputs.reference_check import (
    contig_names,
    contig_table,
    fasta_format_problems,
    fasta_index_for,
    fasta_problems,
    region_file_problems,
)


def test_contig_names_from_headers_and_from_the_index(tmp_path: Path) -> None:
    fasta = tmp_path / "ref.fa"
    fasta.write_text(">chr7 some description\nACGT\n>chr17\nACGT\n")
    assert contig_names(fasta) == ["chr7", "chr17"]
    Path(f"{fasta}.fai").write_text("chrA\t4\t6\t4\t5\n")
    assert contig_names(fasta) == ["chrA"]  # the index is trusted when present


def test_contig_table_keeps_repeated_names_for_the_duplicate_check(tmp_path: Path) -> None:
    # read once at start-up when resources.germline needs the lengths: the
    # names it gives must still show a contig named twice
    fasta = tmp_path / "ref.fa"
    fasta.write_text(">chr7\nACGT\nAC\n>chr7\nACG\n")
    assert contig_table(fasta) == [("chr7", 6), ("chr7", 3)]
    assert "chr7 more than once" in fasta_problems(fasta, [n for n, _ in contig_table(fasta)])[0]


def test_empty_and_duplicated_fasta(tmp_path: Path) -> None:
    assert "holds no sequences" in fasta_problems("x.fa", [])[0]
    assert "chr7 more than once" in fasta_problems("x.fa", ["chr7", "chr17", "chr7"])[0]


def test_chr_prefix_mismatch_is_named_as_the_likely_cause(tmp_path: Path) -> None:
    bed = tmp_path / "genes.bed"
    bed.write_text("# header\n17\t39687913\t39730426\tERBB2\n7\t55019016\t55211628\tEGFR\n")
    problems = region_file_problems(bed, "resources.genes", {"chr7", "chr17"}, "ref.fa")
    assert len(problems) == 1
    assert "resources.genes" in problems[0] and "'17' there is 'chr17'" in problems[0]
    assert "'chr' prefix" in problems[0]


def test_absent_chromosome_is_named(tmp_path: Path) -> None:
    bed = tmp_path / "genes.bed"
    bed.write_text("chr8\t1\t2\tMYC\n")
    problems = region_file_problems(bed, "resources.genes", {"chr7", "chr17"}, "ref.fa")
    assert "chr8 absent from reference.fasta 'ref.fa'" in problems[0]
    assert region_file_problems(tmp_path / "none.bed", "targets.panel", set(), "ref.fa") == [
        f"targets.panel '{tmp_path / 'none.bed'}' does not exist; fix the path in the config"]


def test_workflow_stops_before_any_job_on_renamed_chromosomes(toy_cohort: Path) -> None:
    genes = toy_cohort / "genes.bed"
    genes.write_text(genes.read_text().replace("chr", ""))
    result = snakemake(toy_cohort, "--cores", "1")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Invalid reference or region files" in output
    assert "resources.genes 'genes.bed'" in output and "'chr' prefix" in output
    assert not (toy_cohort / "results").exists()


def test_workflow_stops_on_a_reference_that_is_not_fasta(toy_cohort: Path) -> None:
    (toy_cohort / "genome.fa").write_text("ACGT\n")
    result = snakemake(toy_cohort, "--cores", "1")
    assert result.returncode != 0
    assert "does not start with a '>' header line" in result.stdout + result.stderr
    assert not (toy_cohort / "results").exists()


def test_a_gzipped_reference_is_named_with_the_fix(tmp_path: Path) -> None:
    fasta = tmp_path / "genome.fa.gz"
    fasta.write_bytes(gzip.compress(b">chr7\nACGT\n"))
    [problem] = fasta_format_problems(fasta)
    assert "is gzip-compressed" in problem and "gunzip -c" in problem
    plain = tmp_path / "genome.fa"
    plain.write_text(">chr7\nACGT\n")
    assert fasta_format_problems(plain) == []


def test_only_an_index_newer_than_the_fasta_is_used(tmp_path: Path) -> None:
    fasta = tmp_path / "genome.fa"
    fasta.write_text(">chr7\nACGT\n")
    stale, fresh = tmp_path / "stale.fai", tmp_path / "fresh.fai"
    for index in (stale, fresh):
        index.write_text("chr7\t4\t6\t4\t5\n")
    os.utime(stale, (0, 0))
    assert fasta_index_for(fasta, [stale, tmp_path / "absent.fai", fresh]) == fresh
    assert fasta_index_for(fasta, [stale]) is None
