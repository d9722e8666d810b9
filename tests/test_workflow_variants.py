"""Variants of the demo cohort end to end: joint VCF, hotspot table, mutation
table and cell metrics checked against the simulator's truth."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from cyvcf2 import VCF

pytestmark = pytest.mark.workflow

MUTATION_COLUMNS = ["patient", "sample", "type", "gene", "protein_change", "chrom", "pos", "ref",
                    "alt", "origin", "germline_probability", "other_patients", "population_af", "hotspot", "state",
                    "alt_reads", "ref_reads", "depth", "quality"]
HOTSPOT_COLUMNS = ["patient", "sample", "type", "gene", "transcript", "protein_change",
                   "cdna_change", "chrom", "pos", "ref", "alt", "kind", "alt_reads", "ref_reads",
                   "depth", "state", "quality"]
STATES = {"mutant", "wildtype", "no_coverage", "dropout_possible"}
# outside the hotspot table, one cell's alt reads no other sample shows
MUTATION_STATES = STATES | {"private_unconfirmed"}


def table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open() as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return list(reader.fieldnames or []), list(reader)


def demo_samples(workdir: Path) -> list[dict[str, str]]:
    return table(workdir / "demo" / "samples.tsv")[1]


def test_joint_vcf_holds_one_column_per_sample_with_strand_counts(demo_run: Path) -> None:
    path = demo_run / "results" / "variants" / "P1.vcf.gz"
    assert Path(f"{path}.tbi").is_file()
    vcf = VCF(str(path))
    assert sorted(vcf.samples) == sorted(s["sample"] for s in demo_samples(demo_run))
    records = list(vcf)
    assert len(records) > 20
    assert all(len(r.ALT) == 1 for r in records)  # multiallelics split
    for key in ("AD", "ADF", "ADR", "DP"):
        assert records[0].format(key) is not None
    named = {(r.CHROM, r.POS, r.REF, r.ALT[0]): r.INFO.get("HOTSPOT") for r in records}
    _, truth = table(demo_run / "demo" / "truth" / "variants.tsv")
    l858r = next(t for t in truth if t["protein_change"] == "L858R")
    assert named[(l858r["chrom"], int(l858r["pos"]), l858r["ref"], l858r["alt"])] == "EGFR:L858R"


def test_hotspot_table_finds_l858r_in_its_cell_only(demo_run: Path) -> None:
    columns, rows = table(demo_run / "results" / "variants" / "P1.hotspots.tsv")
    assert columns == HOTSPOT_COLUMNS
    _, hotspots = table(demo_run / "demo" / "reference" / "hotspots.tsv")
    samples = demo_samples(demo_run)
    assert len(rows) == len(hotspots) * len(samples)
    assert {r["state"] for r in rows} <= STATES
    _, truth = table(demo_run / "demo" / "truth" / "variants.tsv")
    carriers = {(t["sample"], t["protein_change"]) for t in truth if t["protein_change"]}
    l858r_cells = {s for s, p in carriers if p == "L858R"}
    assert l858r_cells  # the demo has an L858R cell
    types = {s["sample"]: s["type"] for s in samples}
    for row in rows:
        if row["protein_change"] != "L858R":
            continue
        if row["sample"] in l858r_cells:
            assert row["state"] == "mutant", row
            assert int(row["alt_reads"]) >= 2 and float(row["quality"]) >= 20
        elif types[row["sample"]] == "wbc":
            assert row["state"] == "wildtype", row
    # no sample is called mutant at a hotspot it does not carry
    for row in rows:
        if row["state"] == "mutant":
            assert (row["sample"], row["protein_change"]) in carriers, row


def test_germline_snps_in_the_panel_are_labelled_germline(demo_run: Path) -> None:
    columns, rows = table(demo_run / "results" / "variants" / "P1.mutations.tsv")
    assert columns == MUTATION_COLUMNS
    assert {r["state"] for r in rows} <= MUTATION_STATES
    assert {r["origin"] for r in rows} <= {"germline", "somatic", "unresolved"}
    origin = {(r["chrom"], int(r["pos"]), r["ref"], r["alt"]): r["origin"] for r in rows}
    targets = [line.split("\t") for line in
               (demo_run / "demo" / "reference" / "panel_targets.bed").read_text().splitlines()]
    _, truth = table(demo_run / "demo" / "truth" / "variants.tsv")
    germline = {(t["chrom"], int(t["pos"]), t["ref"], t["alt"]) for t in truth
                if t["origin"] == "germline"
                and any(t["chrom"] == c and int(s) < int(t["pos"]) <= int(e) for c, s, e, *_ in targets)}
    assert len(germline) >= 10
    for site in germline:
        assert origin.get(site) == "germline", site
    somatic = {(t["chrom"], int(t["pos"]), t["ref"], t["alt"]) for t in truth if t["origin"] == "somatic"}
    assert not somatic & {site for site, o in origin.items() if o == "germline"}


def test_cell_metrics_measure_dropout_in_every_cell(demo_run: Path) -> None:
    columns, rows = table(demo_run / "results" / "variants" / "P1.cell_metrics.tsv")
    assert columns == ["sample", "germline_het_sites", "ado_rate", "allelic_imbalance", "note"]
    samples = {s["sample"]: s for s in demo_samples(demo_run)}
    assert {r["sample"] for r in rows} == set(samples)
    for row in rows:
        if samples[row["sample"]]["type"] in ("ctc", "wbc"):
            assert int(row["germline_het_sites"]) >= 5, row
            assert 0 <= float(row["ado_rate"]) <= 0.5
        else:
            assert row["ado_rate"] == "" and "bulk" in row["note"]


def test_bcftools_stats_reach_multiqc(demo_run: Path) -> None:
    stats = demo_run / "results" / "qc" / "bcftools_stats" / "P1.txt"
    assert "Summary numbers" in stats.read_text()
    data = demo_run / "results" / "multiqc" / "multiqc_data"
    assert any(p.name.startswith("multiqc_bcftools_stats") for p in data.iterdir())
