"""The whole demo cohort through the real workflow: Snakemake, fastp, bwa,
samtools, mosdepth and MultiQC, each really run."""

from __future__ import annotations

import csv
from pathlib import Path

import pysam
import pytest
import yaml

from conftest import BIN, ROOT, run, snakemake

pytestmark = pytest.mark.workflow


def sheet(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def libraries(workdir: Path) -> list[tuple[str, str]]:
    rows = sheet(workdir / "demo" / "units.tsv")
    return sorted({(r["sample"], r["library"]) for r in rows})


def multiqc_table(workdir: Path, name: str) -> dict[str, dict[str, str]]:
    path = workdir / "results" / "multiqc" / "multiqc_data" / name
    return {row["Sample"]: row for row in sheet(path)}


def test_every_sample_has_a_sorted_indexed_duplicate_marked_bam(demo_run: Path) -> None:
    pairs = libraries(demo_run)
    assert len(pairs) >= 10
    for sample, library in pairs:
        path = demo_run / "results" / "bam" / f"{sample}.{library}.bam"
        assert Path(f"{path}.bai").is_file()
        with pysam.AlignmentFile(str(path)) as bam:
            header = bam.header.to_dict()
            assert header["HD"]["SO"] == "coordinate"
            assert {rg["SM"] for rg in header["RG"]} == {sample}
            assert any(pg["ID"].startswith("samtools") and "markdup" in pg.get("CL", "")
                       for pg in header["PG"])
            reads = list(bam.fetch())
        assert len(reads) > 1000
        positions = [(r.reference_id, r.reference_start) for r in reads]
        assert positions == sorted(positions)
        assert any(r.is_duplicate for r in reads), f"{sample}.{library}: no duplicate marked"
        assert all(r.get_tag("RG").startswith(f"{sample}.") for r in reads[:100])


def test_multiqc_holds_fastp_samtools_and_mosdepth_for_every_sample(demo_run: Path) -> None:
    report = demo_run / "results" / "multiqc" / "multiqc_report.html"
    assert report.stat().st_size > 100_000
    units = {f"{r['sample']}.{r['unit']}" for r in sheet(demo_run / "demo" / "units.tsv")}
    bams = {f"{s}.{lib}" for s, lib in libraries(demo_run)}
    assert set(multiqc_table(demo_run, "multiqc_fastp.txt")) == units
    assert set(multiqc_table(demo_run, "multiqc_samtools_stats.txt")) == bams
    assert set(multiqc_table(demo_run, "multiqc_samtools_flagstat.txt")) == bams
    general = multiqc_table(demo_run, "multiqc_general_stats.txt")
    mosdepth_columns = [c for c in next(iter(general.values())) if c.startswith("mosdepth")]
    assert mosdepth_columns
    # General Statistics folds a sample's libraries under it as "<sample> <kind>" (table_sample_merge)
    kinds = {"lowpass_wgs": "low-pass", "panel": "panel", "wes": "exome", "wgs": "genome"}
    for sample, library in libraries(demo_run):
        name = f"{sample} {kinds[library]}"
        assert any(general[name][c] for c in mosdepth_columns), f"no mosdepth data for {name}"


def test_versions_section_lists_every_tool(demo_run: Path) -> None:
    versions = yaml.safe_load(
        (demo_run / "results" / "qc" / "software_versions_mqc_versions.yml").read_text())
    tools = {tool for group in versions.values() for tool in group}
    assert {"fastp", "bwa", "samtools", "mosdepth", "multiqc", "snakemake", "python"} <= tools
    # the report's own versions table: a row per group, a column per tool;
    # MultiQC merges a group with its own module of that name, whatever the case
    table = multiqc_table(demo_run, "multiqc_software_versions.txt")
    listed_in_report = {(group.lower(), tool.lower()): value
                        for group, row in table.items() for tool, value in row.items() if value}
    for group, listed in versions.items():
        for tool, version in listed.items():
            assert listed_in_report.get((group, tool)) == str(version), f"{group}/{tool} not in report"


def test_second_run_has_nothing_to_do(demo_run: Path) -> None:
    result = snakemake(demo_run, "-n")
    assert result.returncode == 0, result.stderr
    assert "Nothing to be done" in result.stdout + result.stderr


def test_lint_is_clean(demo_run: Path) -> None:
    result = snakemake(demo_run, "--lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Congratulations" in result.stdout + result.stderr


def test_snakefmt_is_clean() -> None:
    result = run([str(BIN / "snakefmt"), "--check", "Snakefile", "workflow/rules"], cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_copy_number_her2_status_matches_the_truth(demo_run: Path) -> None:
    called = {row["sample"]: row for row in sheet(demo_run / "results/copy_number/summary.tsv")}
    truth = {row["sample"]: row for row in sheet(demo_run / "demo/truth/genes.tsv")
             if row["gene"] == "ERBB2"}
    assert set(called) == set(truth)
    for sample, expected in truth.items():
        row = called[sample]
        assert row["qc_pass"] == "True", f"{sample}: {row['qc_reason']}"
        assert row["her2_status"] == expected["her2_status"], sample
    positives = {s for s, row in called.items() if row["her2_status"] == "positive"}
    assert positives == {"P1_CTC01", "P1_CTC02"}
    # a cell keeps its ratio to its WBCs (leave-one-out for a WBC) or to itself,
    # whichever is less noisy; the primary has no bulk normal
    others = {"P1_CTC01": "P1_WBC01,P1_WBC02", "P1_CTC04": "P1_WBC01,P1_WBC02", "P1_WBC01": "P1_WBC02"}
    for sample, wbcs in others.items():
        row = called[sample]
        wbc_noise, self_noise = float(row["reference_noise"]), float(row["self_noise"])
        if wbc_noise != self_noise:  # the table rounds them: a tie there says nothing
            assert row["reference"] == (wbcs if wbc_noise < self_noise else "self"), sample
    assert called["P1_primary"]["reference"] == "self"
    assert called["P1_primary"]["reference_noise"] == "" and float(called["P1_primary"]["self_noise"]) > 0


def test_copy_number_outputs_exist_for_every_sample(demo_run: Path) -> None:
    samples = {row["sample"] for row in sheet(demo_run / "demo/samples.tsv")}
    for sample in samples:
        folder = demo_run / "results" / "copy_number" / sample
        for name in ("bins.tsv", "segments.tsv", "genes.tsv"):
            assert len(sheet(folder / name)) > 0, f"{sample}/{name} empty"
        assert (folder / "profile.png").read_bytes()[:4] == b"\x89PNG"
    assert (demo_run / "results/copy_number/P1.heatmap.png").read_bytes()[:4] == b"\x89PNG"


def test_the_demo_ctcs_make_a_her2_positive_clone_apart_from_the_others(demo_run: Path) -> None:
    # truth: the simulator's ERBB2 groups (its own table), not the classifier
    truth = {row["sample"]: row["her2_status"] for row in sheet(demo_run / "demo/truth/genes.tsv")
             if row["gene"] == "ERBB2" and row["sample"].startswith("P1_CTC")}
    amplified = {s for s, status in truth.items() if status == "positive"}
    assert len(amplified) == 2 and len(truth) == 4
    clones = {row["sample"]: row["clone"] for row in sheet(demo_run / "results/copy_number/P1.clones.tsv")}
    assert set(clones) == set(truth)
    assert len({clones[s] for s in amplified}) == 1
    assert not {clones[s] for s in amplified} & {clones[s] for s in set(truth) - amplified}
    summary = {row["clone"]: row for row in sheet(demo_run / "results/copy_number/P1.clone_summary.tsv")}
    positive = summary[clones[next(iter(amplified))]]
    assert positive["her2_status"] == "positive"
    assert positive["relation"] == "subclone of the primary"
    assert "chr17" in positive["private_events"] and "amplification" in positive["private_events"]
    report = (demo_run / "results/multiqc/multiqc_report.html").read_text()
    assert f"HER2-positive clone {positive['clone']} (2 cells" in report


def test_the_reference_is_indexed_while_the_fastq_checks_run(tmp_path: Path) -> None:
    from conftest import write_toy_cohort

    cohort = write_toy_cohort(tmp_path / "toy")
    result = snakemake(cohort, "-n", "--quiet", "rules")
    assert result.returncode == 0, result.stderr
    planned = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    # before the checkpoint only the checks are planned, and beside them the indexes
    assert {"check_fastq", "fastq_verdicts", "bwa_index", "faidx"} <= planned
    assert "bwa_mem" not in planned
