"""A reference of some chromosomes: the gene, hotspot and region tables' rows
elsewhere are skipped with a warning; the rows a status needs are not."""

from __future__ import annotations

from pathlib import Path

from ctc_profiler.inputs.resource_placement import place, placed_lines

GENES = (
    "# genes of interest\n"
    "chr17\t39687913\t39730426\tERBB2\t0\t+\n"
    "chr7\t55019016\t55211628\tEGFR\t0\t+\n"
    "chr8\t127735433\t127742951\tMYC\t0\t+\n"
    "chr11\t69641155\t69654474\tCCND1\t0\t+\n"
)
HOTSPOTS = (
    "gene\ttranscript\tprotein_change\tcdna_change\tchrom\tpos\tref\talt\tkind\n"
    "EGFR\tNM_005228.5\tL858R\tc.2573T>G\tchr7\t55191822\tT\tG\tSNV\n"
    "PIK3CA\tNM_006218.4\tH1047R\tc.3140A>G\tchr3\t179234297\tA\tG\tSNV\n"
)
CHR7_17 = {"chr7", "chr17"}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_rows_on_absent_chromosomes_are_skipped_with_one_warning(tmp_path: Path) -> None:
    genes = write(tmp_path, "genes.bed", GENES)
    placement = place(genes, "genes", "resources.genes", CHR7_17, "ref.fa")
    assert placement.problems == []
    [warning] = placement.warnings
    assert "2 row(s) on chr8, chr11" in warning and "MYC, CCND1" in warning
    assert placed_lines(genes, "genes", CHR7_17) == GENES.splitlines(keepends=True)[:3]


def test_the_hotspot_header_stays_and_rows_are_named_by_gene_and_change(tmp_path: Path) -> None:
    hotspots = write(tmp_path, "hotspots.tsv", HOTSPOTS)
    placement = place(hotspots, "hotspots", "resources.hotspots", CHR7_17, "ref.fa")
    assert placement.problems == [] and "PIK3CA H1047R" in placement.warnings[0]
    assert placed_lines(hotspots, "hotspots", CHR7_17) == HOTSPOTS.splitlines(keepends=True)[:2]


def test_erbb2_off_the_reference_or_missing_is_an_error(tmp_path: Path) -> None:
    genes = write(tmp_path, "genes.bed", GENES)
    [problem] = place(genes, "genes", "resources.genes", {"chr7", "chr8"}, "ref.fa").problems
    assert "places ERBB2 on chr17, which reference.fasta 'ref.fa' lacks" in problem
    no_erbb2 = write(tmp_path, "no_erbb2.bed", GENES.replace("ERBB2", "ERBB3"))
    [problem] = place(no_erbb2, "genes", "resources.genes", CHR7_17, "ref.fa").problems
    assert "has no ERBB2 row, so HER2 status" in problem


def test_a_missing_table_is_named_with_its_key(tmp_path: Path) -> None:
    assert place(tmp_path / "none.bed", "genes", "resources.genes", CHR7_17, "ref.fa").problems == [
        f"resources.genes '{tmp_path / 'none.bed'}' does not exist; fix the path in the config"]


def test_a_table_of_another_naming_is_an_error_with_the_likely_cause(tmp_path: Path) -> None:
    genes = write(tmp_path, "genes.bed", GENES.replace("chr", ""))
    contigs = {"chr7", "chr8", "chr11", "chr17"}
    placement = place(genes, "genes", "resources.genes", contigs, "ref.fa")
    assert placement.warnings == []
    assert any("'chr' prefix" in p for p in placement.problems), placement.problems
