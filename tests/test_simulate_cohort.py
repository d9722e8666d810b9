"""The whole simulator: determinism, files and read counts, sheets and truth
consistency on a small cohort, and one run of the demo preset via the CLI."""

from __future__ import annotations

import csv
import gzip
import subprocess
import sys
import time
from pathlib import Path

import pysam
import pytest

from ctc_simulator import simulate_cohort
from ctc_simulator.cohort import fastq_names
from ctc_simulator.design import demo_spec
from ctc_simulator.hotspots import reverse_complement
from ctc_simulator.spec import CohortSpec, shrink

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / "simulator" / "simulate_cohort.py"
SMALL: CohortSpec = shrink(demo_spec(), ("chr7", "chr17"), read_fraction=0.05)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def fastq_records(path: Path) -> list[tuple[str, str, str]]:
    with gzip.open(path, "rt") as handle:
        lines = handle.read().splitlines()
    assert len(lines) % 4 == 0
    return [
        (lines[i], lines[i + 1], lines[i + 3])
        for i in range(0, len(lines), 4)
        if lines[i + 2] == "+"
    ]


def all_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("cohorts")
    out = {}
    for name, seed, processes in (("a", 1, 2), ("b", 1, 1), ("c", 2, 2)):
        out[name] = base / name
        simulate_cohort(SMALL, str(out[name]), seed, processes)
    return out


def test_same_seed_gives_identical_bytes_whatever_the_parallelism(
    runs: dict[str, Path],
) -> None:
    a, b = all_files(runs["a"]), all_files(runs["b"])
    assert a.keys() == b.keys()
    for name in a:
        if name in ("units.tsv", "config.yaml"):  # they hold the output directory itself
            assert a[name].replace(str(runs["a"]).encode(), b"X") == b[name].replace(
                str(runs["b"]).encode(), b"X"
            )
        else:
            assert a[name] == b[name], name
    assert not [p for p in runs["a"].rglob("*") if ".tmp" in p.name]


def test_another_seed_gives_other_data(runs: dict[str, Path]) -> None:
    a, c = all_files(runs["a"]), all_files(runs["c"])
    assert a["reference/genome.fa"] != c["reference/genome.fa"]
    assert (
        a["reads/P1_CTC01.lowpass_wgs.R1.fastq.gz"]
        != c["reads/P1_CTC01.lowpass_wgs.R1.fastq.gz"]
    )


def test_layout_and_read_counts(runs: dict[str, Path]) -> None:
    root = runs["a"]
    for name in (
        "genome.fa",
        "genome.fa.fai",
        "genes.bed",
        "reference_regions.bed",
        "panel_targets.bed",
        "hotspots.tsv",
    ):
        assert (root / "reference" / name).is_file()
    for name in (
        "samples.tsv",
        "copy_number.tsv",
        "genes.tsv",
        "variants.tsv",
        "discordance.tsv",
        "amplification_errors.tsv",
        "README.md",
    ):
        assert (root / "truth" / name).is_file()
    patient = SMALL.patients[0]
    expected = set()
    for sample in patient.samples:
        for library in SMALL.libraries:
            names = fastq_names(sample.sample, library)
            expected.update(names)
            records = [fastq_records(root / "reads" / n) for n in names]
            for recs in records:
                assert len(recs) == library.reads_for(sample.type)
                for header, seq, qual in recs[:500]:
                    assert len(seq) == len(qual) == library.read_length
                    assert set(seq) <= set("ACGTN")
                headers = [r[0] for r in recs]
                assert len(set(headers)) == len(headers)
                assert headers[0] == f"@{sample.sample}:{library.library}:1"
            if library.paired:
                assert [r[0] for r in records[0]] == [r[0] for r in records[1]]
    assert {p.name for p in (root / "reads").iterdir()} == expected


def test_sheets_list_every_sample_and_file(runs: dict[str, Path]) -> None:
    root = runs["a"]
    samples = read_tsv(root / "samples.tsv")
    assert list(samples[0]) == ["patient", "sample", "type", "wga", "purity"]
    by_id = {s["sample"]: s for s in samples}
    assert by_id["P1_primary"] == {
        "patient": "P1",
        "sample": "P1_primary",
        "type": "primary",
        "wga": "none",
        "purity": "0.7",
    }
    assert by_id["P1_CTC01"]["wga"] == "PicoPLEX" and by_id["P1_CTC01"]["purity"] == ""
    assert sorted(s["type"] for s in samples) == ["ctc"] * 4 + ["primary"] + ["wbc"] * 2
    units = read_tsv(root / "units.tsv")
    assert list(units[0]) == ["sample", "unit", "library", "fq1", "fq2"]
    assert len(units) == 2 * len(samples)
    for unit in units:
        assert unit["unit"] in {"lowpass_wgs", "panel"}
        assert Path(unit["fq1"]).is_file()
        if unit["library"] == "panel":
            assert Path(unit["fq2"]).is_file()
        else:
            assert unit["library"] == "lowpass_wgs" and unit["fq2"] == ""


def test_relative_outdir_stays_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    tiny = shrink(demo_spec(), ("chr7", "chr17"), read_fraction=0.005)
    simulate_cohort(tiny, "demo", 1)
    units = read_tsv(tmp_path / "demo" / "units.tsv")
    assert units[0]["fq1"] == "demo/reads/P1_primary.lowpass_wgs.R1.fastq.gz"
    assert all(Path(u["fq1"]).is_file() for u in units)


def test_truth_is_consistent_with_the_sheets_and_reference(
    runs: dict[str, Path],
) -> None:
    root = runs["a"]
    samples = {s["sample"] for s in read_tsv(root / "samples.tsv")}
    fai = {
        line.split("\t")[0]: int(line.split("\t")[1])
        for line in (root / "reference" / "genome.fa.fai").read_text().splitlines()
    }
    segments = read_tsv(root / "truth" / "copy_number.tsv")
    assert {s["sample"] for s in segments} == samples
    for sample in samples:
        for chrom, length in fai.items():
            rows = [
                s for s in segments if s["sample"] == sample and s["chrom"] == chrom
            ]
            assert int(rows[0]["start"]) == 0 and int(rows[-1]["end"]) == length
            for left, right in zip(rows, rows[1:]):
                assert left["end"] == right["start"]
            assert all(int(r["cn"]) == int(r["cn_a"]) + int(r["cn_b"]) for r in rows)

    genes = read_tsv(root / "truth" / "genes.tsv")
    assert {g["sample"] for g in genes} == samples
    her2 = {g["sample"]: g for g in genes if g["gene"] == "ERBB2"}
    assert (
        her2["P1_CTC01"]["her2_status"] == her2["P1_CTC02"]["her2_status"] == "positive"
    )
    assert (
        her2["P1_CTC01"]["her2_group"] == "1" and 8 <= int(her2["P1_CTC01"]["cn"]) <= 10
    )
    for sample in ("P1_primary", "P1_CTC03", "P1_CTC04", "P1_WBC01"):
        assert her2[sample]["her2_status"] == "negative"
    assert float(her2["P1_primary"]["her2_ratio"]) < 2
    assert all(g["egfr_amplified"] == "false" for g in genes)

    variants = read_tsv(root / "truth" / "variants.tsv")
    assert {v["sample"] for v in variants} == samples
    l858r = [v for v in variants if v["protein_change"] == "L858R"]
    assert [v["sample"] for v in l858r] == ["P1_CTC03"] and l858r[0][
        "genotype"
    ] == "0/1"
    hotspots = {
        h["protein_change"]: h for h in read_tsv(root / "reference" / "hotspots.tsv")
    }
    assert (
        l858r[0]["chrom"],
        l858r[0]["pos"],
        l858r[0]["ref"],
        l858r[0]["alt"],
    ) == tuple(hotspots["L858R"][k] for k in ("chrom", "pos", "ref", "alt"))
    assert all(
        v["dropped_out"] == "false" for v in variants if v["sample"] == "P1_primary"
    )
    assert any(
        v["dropped_out"] == "true" for v in variants if v["sample"] == "P1_WBC01"
    )
    somatic_in_wbc = [
        v
        for v in variants
        if v["sample"].startswith("P1_WBC") and v["origin"] == "somatic"
    ]
    assert somatic_in_wbc == []
    with pysam.FastaFile(str(root / "reference" / "genome.fa")) as fasta:
        for v in variants[:2000]:
            pos = int(v["pos"])
            assert fasta.fetch(v["chrom"], pos - 1, pos - 1 + len(v["ref"])) == v["ref"]

    calls = {
        (d["ctc"], d["feature"]): d
        for d in read_tsv(root / "truth" / "discordance.tsv")
    }
    assert calls[("P1_CTC01", "HER2")]["call"] == "gain"
    assert calls[("P1_CTC03", "HER2")]["call"] == "concordant"
    assert calls[("P1_CTC03", "EGFR:L858R")]["call"] == "gain"
    assert calls[("P1_CTC03", "EGFR:L858R")]["ctc_value"] == "present"
    assert calls[("P1_CTC04", "EGFR:L858R")]["call"] == "concordant"
    assert {d["ctc"] for d in calls.values()} == {
        "P1_CTC01",
        "P1_CTC02",
        "P1_CTC03",
        "P1_CTC04",
    }
    readme = (root / "truth" / "README.md").read_text()
    for column in ("cn_a", "her2_group", "dropped_out", "primary_value"):
        assert column in readme


def test_full_demo_via_cli(tmp_path: Path) -> None:
    """The one run of the demo preset: complete, fast and as specified."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(CLI), "--outdir", "demo", "--seed", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.startswith("simulate_cohort: wrote 37 files")
        and " in " in result.stdout
    )
    assert elapsed < 60
    root = tmp_path / "demo"
    fai = dict(
        line.split("\t")[:2]
        for line in (root / "reference" / "genome.fa.fai").read_text().splitlines()
    )
    assert {"chr1", "chr7", "chr8", "chr11", "chr17", "chrX"} <= set(fai)
    assert 15e6 < sum(int(n) for n in fai.values()) < 25e6
    genes = {
        line.split("\t")[3]
        for line in (root / "reference" / "genes.bed").read_text().splitlines()
    }
    assert {"ERBB2", "EGFR", "MYC", "CCND1", "FGFR1", "TOP2A", "GRB7"} <= genes
    spec = demo_spec()
    counts = {
        (s.sample, lib.library): lib.reads_for(s.type)
        for s in spec.patients[0].samples
        for lib in spec.libraries
    }
    for (sample, library), n in counts.items():
        if sample in ("P1_primary", "P1_CTC03"):
            with gzip.open(
                root / "reads" / f"{sample}.{library}.R1.fastq.gz", "rt"
            ) as handle:
                assert sum(1 for _ in handle) == 4 * n
    units = read_tsv(root / "units.tsv")
    assert all(u["fq1"].startswith("demo/reads/") for u in units)
    hotspots = read_tsv(root / "reference" / "hotspots.tsv")
    with pysam.FastaFile(str(root / "reference" / "genome.fa")) as fasta:
        for h in hotspots:
            pos = int(h["pos"])
            assert fasta.fetch(h["chrom"], pos - 1, pos - 1 + len(h["ref"])) == h["ref"]


def test_origin_tags_point_where_reads_come_from(tmp_path: Path) -> None:
    tiny = shrink(demo_spec(), ("chr7", "chr17"), read_fraction=0.02)
    simulate_cohort(tiny, str(tmp_path / "tagged"), 1, tag_origin=True)
    root = tmp_path / "tagged"
    checked = 0
    with pysam.FastaFile(str(root / "reference" / "genome.fa")) as fasta:
        for name in (
            "P1_CTC01.panel.R1.fastq.gz",
            "P1_primary.lowpass_wgs.R1.fastq.gz",
        ):
            for header, seq, qual in fastq_records(root / "reads" / name):
                _, origin = header.split(" origin=")
                chrom, span, strand, hap, source, *chimera = origin.split(":")
                start, end = (int(x) for x in span.split("-"))
                assert hap in "ab" and source in {"normal", "primary", "her2_amplified"}
                if chimera or end - start + 1 < len(seq):
                    continue
                if strand == "+":
                    expected = fasta.fetch(chrom, start - 1, start - 1 + len(seq))
                else:
                    expected = reverse_complement(
                        fasta.fetch(chrom, end - len(seq), end)
                    )
                # Bases above Q20: sequencing errors are rare, SNPs ~1/1.5 kb.
                good = [
                    (a, b)
                    for a, b, q in zip(seq, expected, qual, strict=True)
                    if ord(q) - 33 >= 20
                ]
                identity = sum(a == b for a, b in good) / len(good)
                assert identity > 0.95, header
                checked += 1
    assert checked > 1000
