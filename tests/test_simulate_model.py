"""Clones, variants, single-cell amplification and molecule sampling."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from ctc_simulator.cohort import CohortModel, build_model, write_cohort_truth
from ctc_simulator.design import build_spec, demo_spec, design_from_mapping
from ctc_simulator.genome import Genome
from ctc_simulator.rng import child_rng
from ctc_simulator.sampling import MoleculeSampler, Source, copies_per_molecule
from ctc_simulator.spec import shrink
from ctc_simulator.truth import CHROMOSOME_LEVELS_NOTE, README
from ctc_simulator.variants import genotypes
from ctc_simulator.wga import WGA_KITS, amplify, kit

TINY = shrink(demo_spec(), ("chr7", "chr17"))


@pytest.fixture(scope="module")
def model() -> CohortModel:
    return build_model(TINY, seed=1)


@pytest.fixture(scope="module")
def demo_model() -> CohortModel:
    return build_model(demo_spec(), seed=1)


def start_density(
    genome: Genome, starts: np.ndarray, chrom: str, start: int, end: int
) -> float:
    offset = genome.chromosome(chrom).offset
    inside = (starts >= offset + start) & (starts < offset + end)
    return inside.sum() / (end - start)


# ---------------------------------------------------------------- clones
def test_clone_copy_number_inherits_and_adds_events(model: CohortModel) -> None:
    genome = model.genome
    profiles = model.patients[0].profiles
    erbb2 = genome.gene("ERBB2")
    mid = (erbb2.start + erbb2.end) // 2
    chr17 = genome.chromosome("chr17")
    assert profiles["normal"].at(genome, "chr17", mid) == (1, 1)
    assert profiles["primary"].at(genome, "chr17", mid) == (2, 1)  # +17q
    assert profiles["primary"].at(genome, "chr17", chr17.centromere - 1) == (
        1,
        1,
    )  # 17p untouched
    assert profiles["her2_amplified"].at(genome, "chr17", mid) == (9, 1)
    assert profiles["egfr_l858r"].at(genome, "chr17", mid) == (2, 1)
    segments = profiles["her2_amplified"].segments(genome)
    chr17_segments = [s for s in segments if s.chrom == "chr17"]
    assert chr17_segments[0].start == 0 and chr17_segments[-1].end == chr17.length
    for left, right in zip(chr17_segments, chr17_segments[1:]):
        assert left.end == right.start
    assert [s.cn for s in chr17_segments] == [2, 3, 10, 3]


# -------------------------------------------------------------- variants
def test_germline_snps_are_shared_phased_and_spaced(model: CohortModel) -> None:
    patient = model.patients[0]
    germline = patient.germline
    spacing = model.genome.length / len(germline)
    assert 700 < spacing < 2000
    assert all(v.origin == "germline" and any(v.on_haplotype) for v in germline)
    hom = sum(all(v.on_haplotype) for v in germline) / len(germline)
    assert 0.2 < hom < 0.4
    for clone in ("normal", "primary", "her2_amplified"):
        carried = patient.carried(clone)
        assert carried[: len(germline)] == germline
    # Hotspot L858R only in its clone, on the haplotype the spec asks for.
    l858r = [v for v in patient.carried("egfr_l858r") if v.protein_change == "L858R"]
    assert len(l858r) == 1 and l858r[0].on_haplotype == (False, True)
    assert not [v for v in patient.carried("her2_amplified") if v.protein_change]


def test_genotypes_and_dropout_flags() -> None:
    carriers = np.array(
        [[True, False], [True, False], [True, True], [False, True], [True, False]]
    )
    copies = np.array([[1, 1], [1, 1], [1, 1], [1, 0], [0, 0]])
    dropped = np.array(
        [[False, False], [True, False], [True, False], [False, False], [False, False]]
    )
    labels, lost = genotypes(carriers, copies, dropped)
    assert labels == ["0/1", "0/1", "1/1", "0/0", "./."]
    assert lost.tolist() == [False, True, False, False, False]


# ------------------------------------------------------------------- WGA
@pytest.mark.parametrize("name", ["MDA", "MALBAC", "PicoPLEX", "DOP-PCR", "Ampli1"])
def test_allelic_dropout_rate_is_near_the_kit_preset(
    model: CohortModel, name: str
) -> None:
    wga = kit(name)
    amplification = amplify(model.genome, wga, child_rng(3, "ado", name))
    assert abs(amplification.dropout_fraction() - wga.ado_rate) < 0.05
    # One haplotype at a time.
    assert not (amplification.dropout[0] & amplification.dropout[1]).any()


def test_mda_is_less_uniform_than_picoplex_and_bulk_is_flat(model: CohortModel) -> None:
    genome = model.genome
    spread = {}
    for name in ("MDA", "PicoPLEX", "none"):
        flat = dataclasses.replace(WGA_KITS[name], gc_width=1e9)  # look at noise only
        spread[name] = np.log(amplify(genome, flat, child_rng(4, name)).coverage).std()
    assert spread["MDA"] > 1.5 * spread["PicoPLEX"] > 0
    assert spread["none"] == pytest.approx(0.0, abs=1e-9)
    bulk = amplify(genome, kit("none"), child_rng(4, "bulk"))
    assert not bulk.dropout.any() and bulk.error_pos.size == 0


def test_chromosome_levels_scatter_by_the_requested_sd_and_leave_the_rest_of_the_cell(model: CohortModel) -> None:
    genome = model.genome
    plain = amplify(genome, kit("DOP-PCR"), child_rng(8, "cell"))
    scattered = amplify(genome, kit("DOP-PCR", chromosome_sd=0.5), child_rng(8, "cell"))
    # the same cell (dropout, errors, coverage within a chromosome), with a level per chromosome
    assert (plain.dropout == scattered.dropout).all() and (plain.error_pos == scattered.error_pos).all()
    log2_ratio = np.log2(scattered.coverage / plain.coverage)
    per_chromosome = [log2_ratio[genome.bin_chrom == i] for i in range(len(genome.chromosomes))]
    assert max(np.ptp(levels) for levels in per_chromosome) < 1e-9
    # over many cells, two chromosomes' levels differ by the requested SD times sqrt(2)
    differences = []
    for cell in range(80):
        pair = [amplify(genome, kit("DOP-PCR", chromosome_sd=sd), child_rng(9, str(cell))) for sd in (0.0, 0.5)]
        ratio = np.log2(pair[1].coverage / pair[0].coverage)
        differences.append(ratio[genome.bin_chrom == 0][0] - ratio[genome.bin_chrom == 1][0])
    assert 0.4 < np.std(differences) / np.sqrt(2) < 0.6
    assert (amplify(genome, kit("DOP-PCR", chromosome_sd=0.0), child_rng(8, "cell")).coverage
            == plain.coverage).all()


def test_the_truth_lists_the_chromosome_levels_drawn_and_only_when_drawn(tmp_path) -> None:
    def cohort(**options: object) -> CohortModel:
        return build_model(shrink(build_spec(design_from_mapping(options)), ("chr7", "chr17")), seed=1)

    scattered, plain = cohort(chromosome_sd=0.3), cohort()
    write_cohort_truth(scattered, tmp_path / "scattered")
    write_cohort_truth(plain, tmp_path / "plain")
    levels = pd.read_csv(tmp_path / "scattered" / "truth" / "chromosome_levels.tsv", sep="\t")
    patient = scattered.patients[0]
    cells = [s.sample for s in patient.spec.samples if s.is_cell]
    assert sorted(levels["sample"].unique()) == sorted(cells)
    for cell in cells:
        drawn = patient.amplifications[cell].chromosome_log2
        assert np.allclose(levels.loc[levels["sample"] == cell, "log2_level"], drawn, atol=1e-4)
    assert (tmp_path / "scattered" / "truth" / "README.md").read_text() == README + CHROMOSOME_LEVELS_NOTE
    assert not (tmp_path / "plain" / "truth" / "chromosome_levels.tsv").exists()
    assert (tmp_path / "plain" / "truth" / "README.md").read_text() == README


def test_amplification_errors_have_a_c_to_t_excess(model: CohortModel) -> None:
    genome = model.genome
    amplification = amplify(genome, kit("PicoPLEX"), child_rng(5, "errors"))
    assert amplification.error_pos.size > 30
    ref = genome.sequence[amplification.error_pos]
    ct = ((ref == ord("C")) & (amplification.error_alt == ord("T"))) | (
        (ref == ord("G")) & (amplification.error_alt == ord("A"))
    )
    assert ct.mean() > 0.6
    assert (ref != amplification.error_alt).all()


def test_cells_of_a_sample_share_one_amplification_across_libraries(
    model: CohortModel,
) -> None:
    patient = model.patients[0]
    a, b = patient.amplifications["P1_CTC01"], patient.amplifications["P1_CTC02"]
    assert not np.array_equal(a.dropout, b.dropout)  # independent cells
    assert not patient.amplifications["P1_primary"].dropout.any()


def test_dropout_truth_rate_matches_the_kit(model: CohortModel) -> None:
    from ctc_simulator.truth import site_state

    patient = model.patients[0]
    het = [v for v in patient.germline if v.on_haplotype[0] != v.on_haplotype[1]]
    _, lost = site_state(
        model.genome,
        het,
        patient.profiles["normal"],
        patient.amplifications["P1_WBC01"],
    )
    assert abs(lost.mean() - kit("PicoPLEX").ado_rate) < 0.05


# -------------------------------------------------------------- sampling
def test_read_depth_follows_copy_number_without_wga_noise(model: CohortModel) -> None:
    genome = model.genome
    patient = model.patients[0]
    uniform = dataclasses.replace(kit("none"), gc_width=1e9)
    amplification = amplify(genome, uniform, child_rng(6, "flat"))
    library = TINY.libraries[0]
    sources = [Source("her2_amplified", 1.0, patient.profiles["her2_amplified"])]
    mol = MoleculeSampler(genome, sources, amplification, library).sample(
        200_000, child_rng(6, "draw")
    )
    ref = genome.reference_region("chr17_ref")
    erbb2 = genome.gene("ERBB2")
    amplicon = start_density(
        genome, mol.start, "chr17", erbb2.start - 60_000, erbb2.start + 500_000
    )
    reference = start_density(genome, mol.start, "chr17", ref.start, ref.end)
    assert amplicon / reference == pytest.approx(10 / 3, rel=0.1)
    # Haplotypes in proportion to their copies (9 a : 1 b in the amplicon).
    offset = genome.chromosome("chr17").offset
    inside = (mol.start >= offset + erbb2.start) & (mol.start < offset + erbb2.end)
    assert mol.hap[inside].mean() == pytest.approx(0.1, abs=0.03)


def test_demo_ctc01_lowpass_depth_shows_the_erbb2_amplicon(
    demo_model: CohortModel,
) -> None:
    genome = demo_model.genome
    patient = demo_model.patients[0]
    library = demo_model.spec.libraries[0]
    ref = genome.reference_region("chr17_ref")
    erbb2 = genome.gene("ERBB2")
    ratios = {}
    for name in ("P1_CTC01", "P1_CTC04"):
        sample = next(s for s in patient.spec.samples if s.sample == name)
        sampler = MoleculeSampler(
            genome, patient.sources(sample), patient.amplifications[name], library
        )
        starts = sampler.sample(
            library.reads_for("ctc"), child_rng(1, "depth", name)
        ).start
        amplicon = start_density(
            genome, starts, "chr17", erbb2.start - 60_000, erbb2.start + 500_000
        )
        ratios[name] = amplicon / start_density(
            genome, starts, "chr17", ref.start, ref.end
        )
    assert ratios["P1_CTC01"] > 2.5
    assert ratios["P1_CTC04"] < 1.5


def test_bulk_mixes_tumour_and_normal_by_purity(model: CohortModel) -> None:
    genome = model.genome
    patient = model.patients[0]
    primary = next(s for s in patient.spec.samples if s.sample == "P1_primary")
    sources = patient.sources(primary)
    assert [(s.name, s.cell_fraction) for s in sources] == [
        ("primary", 0.7),
        ("normal", pytest.approx(0.3)),
    ]
    flat = dataclasses.replace(kit("none"), gc_width=1e9)
    sampler = MoleculeSampler(
        genome, sources, amplify(genome, flat, child_rng(7, "x")), TINY.libraries[0]
    )
    mol = sampler.sample(200_000, child_rng(7, "draw"))
    chr17 = genome.chromosome("chr17")
    q_arm = start_density(genome, mol.start, "chr17", chr17.centromere, chr17.length)
    p_arm = start_density(genome, mol.start, "chr17", 0, chr17.centromere)
    # 17q: 0.7 x 3 + 0.3 x 2 copies against 2 on 17p.
    assert q_arm / p_arm == pytest.approx(2.7 / 2, rel=0.05)
    assert (mol.source == 0).mean() == pytest.approx(
        0.7 * 2.3 / (0.7 * 2.3 + 0.3 * 2), abs=0.02
    )


def test_panel_capture_puts_most_fragments_on_target(model: CohortModel) -> None:
    genome = model.genome
    patient = model.patients[0]
    panel = TINY.libraries[1]
    sample = next(s for s in patient.spec.samples if s.sample == "P1_CTC04")
    sampler = MoleculeSampler(
        genome,
        patient.sources(sample),
        patient.amplifications[sample.sample],
        panel,
        model.capture_efficiency["panel"],
    )
    mol = sampler.sample(20_000, child_rng(8, "panel"))
    on = np.zeros(len(mol), dtype=bool)
    for target in genome.targets:
        offset = genome.chromosome(target.chrom).offset
        on |= (mol.start < offset + target.end) & (
            mol.start + mol.length > offset + target.start
        )
    assert on.mean() == pytest.approx(panel.on_target_fraction, abs=0.03)
    assert abs(mol.length.mean() - panel.insert_mean) < 10
    assert mol.reverse.mean() == pytest.approx(0.5, abs=0.02)


def test_duplicate_copies_match_the_requested_fraction() -> None:
    copies = copies_per_molecule(100_000, 0.2, np.random.default_rng(0))
    assert copies.min() == 1
    duplicates = (copies - 1).sum() / copies.sum()
    assert duplicates == pytest.approx(0.2, abs=0.01)
