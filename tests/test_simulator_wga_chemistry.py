"""WGA chemistry the variant caller must withstand, made by the simulator: a
kit per patient, high-fraction early amplification errors, germline SNPs
shared between patients (with a population AF VCF), a forced locus dropout of
a primary mutation, and WBCs with low depth at some targets. Checked on real
simulator output: truth tables, and reads counted at sites through their
`--tag-origin` headers."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import numpy as np
import pysam
import pytest
import yaml

from ctc_simulator.cohort import build_model, simulate_cohort
from ctc_simulator.design import DesignError, build_spec, design_from_mapping
from ctc_simulator.rng import child_rng
from ctc_simulator.spec import CohortSpec, shrink
from ctc_simulator.variants import shared_germline_snps
from ctc_simulator.wga import EARLY_ERROR_SHARE, amplify, early_errors, kit

CHROMOSOMES = ("chr7", "chr17")
KITS = ("DOP-PCR", "MALBAC", "MDA")
OPTIONS: dict[str, object] = {
    "patients": 3,
    "kit": ",".join(KITS),
    "ctcs": 2,
    "amplified_ctcs": 0,
    "egfr_l858r_ctcs": 0,
    "primary_egfr_l858r": True,
    "forced_dropout_ctcs": 1,
    "wbcs": 1,
    "early_errors_on_target": 6,
    "shared_germline_fraction": 0.5,
    "wbc_low_depth_share": 0.3,
    "reads_per_cell": 1000,
    "primary_reads": 1000,
    "panel_reads": 12_000,
}
COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


def spec_with(**options: object) -> CohortSpec:
    return shrink(build_spec(design_from_mapping(options)), CHROMOSOMES)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("chemistry") / "cohort"
    simulate_cohort(spec_with(**OPTIONS), str(root), seed=3, processes=2, tag_origin=True)
    return root


def base_counts(root: Path, sample: str, sites: list[tuple[str, int]]) -> dict[tuple[str, int], Counter[str]]:
    """Bases (reference strand) the panel reads of `sample` show at 1-based
    sites, placed by each read's origin tag (no indels in these cohorts)."""
    wanted: dict[str, list[int]] = {}
    for chrom, pos in sites:
        wanted.setdefault(chrom, []).append(pos)
    counts: dict[tuple[str, int], Counter[str]] = {site: Counter() for site in sites}
    for mate in (1, 2):
        with gzip.open(root / "reads" / f"{sample}.panel.R{mate}.fastq.gz", "rt") as handle:
            for header in handle:
                sequence = next(handle).rstrip()
                next(handle), next(handle)
                if "origin=" not in header or ":chimera" in header:
                    continue
                chrom, span, strand = header.split("origin=")[1].split(":")[:3]
                if chrom not in wanted:
                    continue
                start, end = map(int, span.split("-"))
                top = (strand == "+") == (mate == 1)
                for pos in wanted[chrom]:
                    if not start <= pos <= end:
                        continue
                    offset = pos - start if top else end - pos
                    if offset >= len(sequence):
                        continue
                    base = sequence[offset]
                    counts[(chrom, pos)][base if top else base.translate(COMPLEMENT)] += 1
    return counts


# ------------------------------------------------------------ 1. kit per patient
def test_each_patient_gets_its_kit_in_the_sheet_and_the_truth(cohort: Path) -> None:
    for table in (cohort / "samples.tsv", cohort / "truth" / "samples.tsv"):
        rows = read_tsv(table)
        for row in rows:
            expected = KITS[int(row["patient"][1:]) - 1] if row["type"] != "primary" else "none"
            assert row["wga"] == expected, row


def test_kit_lists_parse_from_text_or_yaml_and_bad_kits_are_named() -> None:
    assert design_from_mapping({"kit": ["MDA", "Ampli1"]}) == design_from_mapping({"kit": "MDA, Ampli1"})
    spec = build_spec(design_from_mapping({"patients": 3, "kit": "MDA,Ampli1"}))
    assert [{s.wga for s in p.samples if s.is_cell} for p in spec.patients] == [{"MDA"}, {"Ampli1"}, {"MDA"}]
    with pytest.raises(DesignError, match="kit must be one of .* not LIANTI"):
        design_from_mapping({"kit": "MDA,LIANTI"})


# ---------------------------------------------------------- 2. early errors
def test_every_kit_makes_its_share_of_early_errors() -> None:
    spec = spec_with()
    model = build_model(spec, seed=5)
    genome = model.genome
    for name, share in EARLY_ERROR_SHARE.items():
        early = total = 0
        for i in range(6):
            amplification = amplify(genome, kit(name), child_rng(5, "test", name, str(i)))
            done = early_errors(amplification, genome, np.zeros(0, dtype=np.int64), 0, child_rng(5, "e", str(i)))
            early += int(done.early().sum())
            total += done.error_pos.size
            assert np.array_equal(done.error_pos, amplification.error_pos)  # positions kept
            assert (done.error_fraction[done.early()] >= 0.2).all()
        assert abs(early / total - share) < 0.08, name


def test_on_target_early_errors_are_listed_for_every_cell(cohort: Path) -> None:
    errors = read_tsv(cohort / "truth" / "amplification_errors.tsv")
    cells = {r["sample"] for r in read_tsv(cohort / "truth" / "samples.tsv") if r["type"] != "primary"}
    assert {r["sample"] for r in errors} == cells
    for cell in cells:
        own = [r for r in errors if r["sample"] == cell and r["early"] == "true" and r["on_target"] == "true"]
        assert len(own) >= 6
    ct = [r for r in errors if r["early"] == "true" and r["on_target"] == "true"]
    share_ct = np.mean([(r["ref"], r["alt"]) in (("C", "T"), ("G", "A")) for r in ct])
    assert 0.3 < share_ct < 0.75
    expected = np.array([float(r["expected_read_fraction"]) for r in ct])
    # beyond 0.5 only where the other haplotype dropped out; 0 where this one did
    assert (expected <= 1.0).all() and np.mean((expected >= 0.1) & (expected <= 0.5)) > 0.6


def test_early_error_reads_show_them_at_a_tenth_to_half(cohort: Path) -> None:
    errors = read_tsv(cohort / "truth" / "amplification_errors.tsv")
    measured = []
    for sample in sorted({r["sample"] for r in errors}):
        # EGFR's chr7 is diploid in every clone: the expected share is 0.1-0.5
        sites = [
            r for r in errors
            if r["sample"] == sample and r["on_target"] == "true" and r["early"] == "true"
            and r["chrom"] == "chr7" and 0.1 <= float(r["expected_read_fraction"]) <= 0.5
        ]
        counts = base_counts(cohort, sample, [(r["chrom"], int(r["pos"])) for r in sites])
        for row in sites:
            seen = counts[(row["chrom"], int(row["pos"]))]
            depth = sum(seen.values())
            if depth < 30:
                continue
            fraction = seen[row["alt"]] / depth
            expected = float(row["expected_read_fraction"])
            assert 0.1 <= expected <= 0.5
            # duplicates and mates share a molecule: about half the reads are independent
            tolerance = 0.1 + 2.5 * np.sqrt(expected * (1 - expected) / (depth / 2))
            assert abs(fraction - expected) < tolerance, (row, seen)
            measured.append(fraction)
    assert len(measured) >= 10
    assert 0.1 < np.median(measured) < 0.5 and np.mean([0.05 <= f <= 0.6 for f in measured]) > 0.8


def test_no_on_target_errors_by_default() -> None:
    model = build_model(spec_with(reads_per_cell=1000), seed=1)
    with_errors = build_model(spec_with(reads_per_cell=1000, early_errors_on_target=5), seed=1)
    for sample, amplification in model.patients[0].amplifications.items():
        other = with_errors.patients[0].amplifications[sample]
        assert np.array_equal(amplification.dropout, other.dropout)
        assert np.array_equal(amplification.coverage, other.coverage)
        extra = other.error_pos.size - amplification.error_pos.size
        assert extra == (5 if sample != "P1_primary" else 0)


# ------------------------------------------------------- 3. shared germline
def test_shared_snps_sit_at_pool_sites_in_every_patient(cohort: Path) -> None:
    variants = read_tsv(cohort / "truth" / "variants.tsv")
    with pysam.VariantFile(str(cohort / "resources" / "population_af.vcf.gz")) as vcf:
        header = vcf.header
        assert set(header.contigs) == set(CHROMOSOMES)
        assert header.info["AF"].number == "A" and header.info["AF"].type == "Float"
        pool = {(r.chrom, r.pos, r.ref, r.alts[0]): r.info["AF"][0] for r in vcf}
        assert len(list(vcf.fetch("chr7", 0, 10_000_000))) > 0  # indexed
    assert all(0.0099 <= af <= 0.9901 for af in pool.values())  # float32 in the VCF
    targets = [line.split("\t") for line in (cohort / "reference" / "panel_targets.bed").read_text().splitlines()]
    in_panel = [
        site for site in pool
        if any(site[0] == c and int(s) < site[1] <= int(e) for c, s, e, *_ in targets)
    ]
    assert len(in_panel) >= 10
    carried: dict[str, set[tuple[str, int, str, str]]] = {}
    for row in variants:
        if row["origin"] == "germline" and row["sample"].endswith("_primary"):
            carried.setdefault(row["sample"], set()).add((row["chrom"], int(row["pos"]), row["ref"], row["alt"]))
    assert len(carried) == 3
    common = set.intersection(*carried.values())
    assert common and common <= set(pool)  # patients share pool sites only
    for sites in carried.values():
        shared = len(sites & set(pool)) / len(sites)
        assert 0.35 < shared < 0.65
    config = yaml.safe_load((cohort / "config.yaml").read_text())
    assert Path(config["resources"]["germline"]) == cohort / "resources" / "population_af.vcf.gz"


def test_pool_genotypes_follow_hardy_weinberg() -> None:
    model = build_model(spec_with(shared_germline_fraction=0.6, wbcs=0, ctcs=1, amplified_ctcs=0), seed=2)
    population = model.population
    assert population.pos.size > 200
    hom = het = 0
    for i in range(200):
        for v in shared_germline_snps(model.genome, population, child_rng(2, "hwe", str(i))):
            hom += all(v.on_haplotype)
            het += sum(v.on_haplotype) == 1
    p = population.af
    n = 200
    assert abs(het / n - np.sum(2 * p * (1 - p))) < 0.03 * np.sum(2 * p * (1 - p))
    assert abs(hom / n - np.sum(p * p)) < 0.03 * np.sum(p * p)


def test_no_pool_no_vcf_and_no_config_key(tmp_path: Path) -> None:
    simulate_cohort(spec_with(reads_per_cell=200, primary_reads=200, panel_reads=100, ctcs=1,
                              amplified_ctcs=0, wbcs=0), str(tmp_path), seed=1)
    assert not (tmp_path / "resources").exists()
    assert "germline" not in yaml.safe_load((tmp_path / "config.yaml").read_text())["resources"]
    with pytest.raises(DesignError, match="shared-germline-fraction must be in"):
        design_from_mapping({"shared_germline_fraction": 1.5})


# ---------------------------------------------------------- 4. forced dropout
def test_forced_dropout_hides_l858r_in_its_cell_only(cohort: Path) -> None:
    hotspots = read_tsv(cohort / "reference" / "hotspots.tsv")
    l858r = next(h for h in hotspots if h["protein_change"] == "L858R")
    site = (l858r["chrom"], int(l858r["pos"]))
    rows = [
        r for r in read_tsv(cohort / "truth" / "variants.tsv")
        if (r["chrom"], int(r["pos"]), r["alt"]) == (*site, l858r["alt"])
    ]
    by_sample = {r["sample"]: r for r in rows}
    for patient in ("P1", "P2", "P3"):
        forced, other = by_sample[f"{patient}_CTC01"], by_sample[f"{patient}_CTC02"]
        assert forced["genotype"] == "0/1" and forced["dropped_out"] == "true"
        assert other["genotype"] == "0/1" and f"{patient}_primary" in by_sample
        assert not any(r["sample"].startswith(f"{patient}_WBC") for r in rows)
    calls = {
        (r["ctc"], r["call"]) for r in read_tsv(cohort / "truth" / "discordance.tsv") if r["feature"] == "EGFR:L858R"
    }
    assert {call for _, call in calls} == {"concordant"}
    forced_counts = base_counts(cohort, "P1_CTC01", [site])[site]
    primary_counts = base_counts(cohort, "P1_primary", [site])[site]
    assert sum(forced_counts.values()) >= 15 and forced_counts[l858r["alt"]] <= 1
    assert primary_counts[l858r["alt"]] >= 5
    # the cell's genome-wide dropout is the kit's (DOP-PCR: 0.2), not raised
    samples = {r["sample"]: r for r in read_tsv(cohort / "truth" / "samples.tsv")}
    assert float(samples["P1_CTC01"]["ado_fraction"]) < 0.3


def test_forced_dropout_options_are_checked() -> None:
    with pytest.raises(DesignError, match="forced-dropout-ctcs"):
        design_from_mapping({"forced_dropout_ctcs": 2, "egfr_l858r_ctcs": 1})
    with pytest.raises(DesignError, match="primary-egfr-l858r"):
        design_from_mapping({"primary_egfr_l858r": True})  # the demo's egfr-l858r-ctcs is 1
    design = design_from_mapping({"egfr_l858r_ctcs": 2, "forced_dropout_ctcs": 1})
    forced = [s.sample for s in build_spec(design).patients[0].samples if s.forced_dropout]
    assert forced == ["P1_CTC03"]  # the first of the L858R clone's CTCs


# ------------------------------------------------------------ 5. WBC low depth
def test_low_depth_targets_give_a_wbc_a_few_reads(cohort: Path) -> None:
    low = read_tsv(cohort / "truth" / "low_depth_targets.tsv")
    targets = (cohort / "reference" / "panel_targets.bed").read_text().splitlines()
    assert {r["sample"] for r in low} == {"P1_WBC01", "P2_WBC01", "P3_WBC01"}
    assert all(0.05 <= float(r["yield_multiplier"]) <= 0.15 for r in low)
    assert len([r for r in low if r["sample"] == "P1_WBC01"]) == round(0.3 * len(targets))
    cut = [(r["chrom"], int(r["start"]), int(r["end"])) for r in low if r["sample"] == "P1_WBC01"]
    germline = [
        (r["chrom"], int(r["pos"])) for r in read_tsv(cohort / "truth" / "variants.tsv")
        if r["sample"] == "P1_WBC01" and r["origin"] == "germline"
    ]
    inside = [s for s in germline if any(c == s[0] and a < s[1] <= b for c, a, b in cut)]
    normal_targets = [line.split("\t")[:3] for line in targets]
    outside = [
        s for s in germline
        if any(c == s[0] and int(a) < s[1] <= int(b) for c, a, b in normal_targets) and s not in inside
    ]
    counts = base_counts(cohort, "P1_WBC01", inside + outside)
    low_depth = [sum(counts[s].values()) for s in inside]
    usual = [sum(counts[s].values()) for s in outside]
    assert len(low_depth) >= 5 and len(usual) >= 5
    # 0.05-0.15 of the usual depth, give or take the cell's coverage swings
    assert np.median(low_depth) < 0.3 * np.median(usual) and min(low_depth) <= 8
    with pytest.raises(DesignError, match="wbc-low-depth-share must be in"):
        design_from_mapping({"wbc_low_depth_share": -0.1})


def test_same_seed_same_bytes_whatever_the_jobs(tmp_path: Path) -> None:
    small = dict(OPTIONS, patients=2, reads_per_cell=300, primary_reads=300, panel_reads=500)
    files = {}
    for jobs in (1, 3):
        root = tmp_path / f"jobs{jobs}"
        simulate_cohort(spec_with(**small), str(root), seed=4, processes=jobs)
        files[jobs] = {
            p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            if p.name not in ("config.yaml", "units.tsv")  # these name their own directory
        }
    assert files[1] == files[3]
    assert Path("resources/population_af.vcf.gz.tbi") in files[1]
