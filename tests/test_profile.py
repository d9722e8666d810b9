"""Copy-number building blocks with exact expectations on constructed profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import BIN_BP as BIN
from conftest import genome_bins
from ctc_profiler.copy_number.gc import gc_correct, gc_trend_within_segments
from ctc_profiler.copy_number.gene_copy_number import genes_copy_number
from ctc_profiler.copy_number.ploidy import fit_ploidy, integer_copy_number, tumour_copy_number
from ctc_profiler.copy_number.profile import CallSettings, call_profile, corrected_profile, reference_profile
from ctc_profiler.copy_number.qc import QcThresholds, assess, gini, mapd
from ctc_profiler.copy_number.segmentation import segment


def test_gc_correction_removes_an_injected_trend() -> None:
    rng = np.random.default_rng(3)
    gc = rng.uniform(0.3, 0.65, 3000)
    trend = np.exp(4.0 * (gc - 0.45)) * 200  # depth rises ~4x across the GC range
    depth = rng.poisson(trend).astype(float)
    corrected = gc_correct(depth, gc, np.ones_like(gc, dtype=bool))
    before = abs(np.corrcoef(gc, depth)[0, 1])
    after = abs(np.corrcoef(gc, corrected)[0, 1])
    assert before > 0.8
    assert after < 0.05
    assert np.median(corrected) == pytest.approx(1.0, abs=0.01)


def test_gc_trend_within_segments_is_recovered_apart_from_segment_levels() -> None:
    rng = np.random.default_rng(5)
    gc = rng.uniform(0.35, 0.6, 400)
    segment_id = np.repeat(np.arange(8), 50)
    levels = np.array([0, 1, 0, -1, 0.58, 0, 2, 0])[segment_id]
    trend = 3.0 * (gc - 0.45) - 8.0 * (gc - 0.45) ** 2
    outlier = np.zeros(400)
    outlier[[10, 11, 200]] = 3.0  # unsegmented focal events are left out of the fit
    fitted = gc_trend_within_segments(levels + trend + outlier, segment_id, gc, np.ones(400, bool))
    # a polynomial trend is known up to a constant, which the ratio's median takes
    assert np.allclose(fitted - fitted.mean(), trend - trend.mean(), atol=1e-9)
    assert np.all(gc_trend_within_segments(trend, segment_id, gc, np.zeros(400, bool)) == 0)


def test_amplification_of_four_bins_is_segmented_and_called_8() -> None:
    rng = np.random.default_rng(7)
    bins = genome_bins({"chr1": 120, "chr7": 80, "chr17": 60}, rng)
    truth = np.full(len(bins), 2.0)
    amp = bins.index[(bins["chrom"] == "chr17") & bins["start"].between(30 * BIN, 33 * BIN)]
    truth[amp] = 8.0
    bins["reads"] = rng.poisson(truth / 2 * 300 * np.exp(2.0 * (bins["gc"] - 0.45)))
    counts = bins[["chrom", "start", "end", "reads"]]
    profile, qc = corrected_profile(bins.drop(columns="reads"), counts, QcThresholds())
    assert qc.qc_pass, qc.qc_reason
    called, segments, ploidy, _ = call_profile(profile, None, None, CallSettings())
    assert ploidy == pytest.approx(2.0, abs=0.1)
    assert called.loc[amp, "cn"].between(7, 9).all()
    outside = called.drop(index=amp)
    assert (outside["cn"] == 2).mean() > 0.98
    amp_segments = segments[segments["cn"] >= 7]
    assert len(amp_segments) == 1 and amp_segments["bins"].iloc[0] == 4
    genes = pd.DataFrame({"name": ["ERBB2", "chr17_ref"], "chrom": ["chr17", "chr17"],
                          "start": [31 * BIN + 5000, 10 * BIN], "end": [31 * BIN + 47000, 20 * BIN]})
    table = genes_copy_number(called, genes).set_index("gene")
    assert table.loc["ERBB2", "cn"] == pytest.approx(8, abs=1)
    assert table.loc["ERBB2", "bins"] == 1
    assert table.loc["chr17_ref", "cn"] == 2


def profile_of(bins: pd.DataFrame, expected_reads: np.ndarray) -> pd.DataFrame:
    """A sample's profile from noise-free reads per bin (rounded expectations)."""
    counts = bins[["chrom", "start", "end"]].assign(reads=np.round(expected_reads).astype(int))
    return corrected_profile(bins, counts, QcThresholds())[0]


def gained_high_gc_cell(own_gc_slope: float) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, list]:
    """Bins, a cell's profile, its true copy number and two reference profiles:
    the kit's GC bias in all of them, the cell's copy number 4 on most of its
    high-GC bins (so its own GC lowess would mistake the gain for bias), and
    the cell's own extra GC slope on top."""
    rng = np.random.default_rng(11)
    bins = genome_bins({"chr1": 150, "chr7": 100, "chr17": 50}, rng)
    # GC-rich stretches (as isochores are), gained: chr7's end and most of chr17
    gained = ((bins["chrom"] == "chr7") & (bins["start"] >= 70 * BIN)) | (
        (bins["chrom"] == "chr17") & (bins["start"] >= 10 * BIN))
    bins.loc[gained, "gc"] = rng.uniform(0.5, 0.6, gained.sum())
    bins.loc[~gained, "gc"] = rng.uniform(0.35, 0.52, (~gained).sum())
    gc = bins["gc"].to_numpy()
    kit_bias = np.exp(6.0 * (gc - 0.47) - 20.0 * (gc - 0.47) ** 2)
    truth = np.where(gained, 4.0, 2.0)
    references = [profile_of(bins, 400 * kit_bias * w) for w in (1.0, 1.1)]
    cell = profile_of(bins, 400 * truth / 2 * kit_bias * np.exp(own_gc_slope * (gc - 0.47)))
    return bins, cell, truth, references


@pytest.mark.parametrize("own_gc_slope", [0.0, 3.0])
@pytest.mark.parametrize("with_reference", [False, True])
def test_ratio_keeps_a_gain_on_high_gc_bins(own_gc_slope: float, with_reference: bool) -> None:
    bins, cell, truth, references = gained_high_gc_cell(own_gc_slope)
    gained = truth == 4
    assert 0.15 < gained.mean() < 0.5
    # the cell's own lowess (its QC profile) takes part of the gain for GC bias ...
    lost = np.median(cell.loc[gained, "corrected"]) / np.median(cell.loc[~gained, "corrected"])
    assert lost < 1.8
    # ... the ratio does not: the kit's bias is in the reference (or is a smooth
    # GC trend), the cell's own slope is learnt within segments
    reference = reference_profile(references) if with_reference else None
    called, _, _, normalisation = call_profile(cell, reference, None, CallSettings())
    kept = np.median(called.loc[gained, "ratio"]) / np.median(called.loc[~gained, "ratio"])
    assert kept == pytest.approx(2.0, abs=0.05)
    assert (called["cn"].to_numpy() == truth).mean() > 0.97
    assert np.isnan(normalisation.reference_noise) != with_reference


def cell_and_wbcs(shared: float, own: float, seed: int) -> tuple[pd.DataFrame, np.ndarray, list]:
    """A cell (copy number 4 on a chr7 stretch, else 2) and three WBCs of one
    kit: a locus bias of SD `shared` (log) common to all four, and an
    amplification bias of SD `own` of each WBC's own; reads drawn at 400
    per diploid bin."""
    rng = np.random.default_rng(seed)
    bins = genome_bins({"chr1": 150, "chr7": 100, "chr17": 50}, rng)
    locus = np.exp(rng.normal(0, shared, len(bins)))
    truth = np.where((bins["chrom"] == "chr7") & (bins["start"] >= 40 * BIN), 4.0, 2.0)
    cell = profile_of(bins, rng.poisson(400 * truth / 2 * locus))
    wbcs = [profile_of(bins, rng.poisson(400 * locus * np.exp(rng.normal(0, own, len(bins))))) for _ in range(3)]
    return cell, truth, wbcs


@pytest.mark.parametrize("shared, own, expected", [(0.4, 0.1, True), (0.0, 0.3, False)])
def test_the_less_noisy_ratio_is_kept(shared: float, own: float, expected: bool) -> None:
    cell, truth, wbcs = cell_and_wbcs(shared, own, seed=21)
    called, _, ploidy, normalisation = call_profile(cell, reference_profile(wbcs), None, CallSettings())
    # bias shared with the WBCs: only the ratio to them removes it; the WBCs'
    # own bias alone: they only add noise, and the cell is its own reference
    assert normalisation.to_reference is expected
    assert (normalisation.reference_noise < normalisation.self_noise) is expected
    assert (called["cn"].to_numpy() == truth).mean() > 0.97
    assert ploidy == pytest.approx(np.mean(truth[cell["chrom"] != "chrX"]), abs=0.05)


@pytest.mark.parametrize("ploidy, states", [(2, [1, 2, 3]), (3, [2, 3, 4]), (4, [3, 4, 5, 6])])
def test_ploidy_search_recovers_noise_free_profiles(ploidy: int, states: list[int]) -> None:
    cn = np.array(states * 5 + [ploidy] * 20, dtype=float)
    ratios = cn / np.median(cn)  # profiles are normalised to their median
    fit = fit_ploidy(ratios, np.ones_like(ratios))
    assert np.allclose(tumour_copy_number(ratios, fit.ploidy), cn)
    assert fit.ploidy == pytest.approx(np.median(cn))


def mixed_ratios(cn: np.ndarray, purity: float, scale: float) -> np.ndarray:
    """Ratios of tumour copy numbers in a bulk sample, copy number `scale` at ratio 1."""
    return (purity * cn + 2 * (1 - purity)) / (purity * scale + 2 * (1 - purity))


@pytest.mark.parametrize("purity", [1.0, 0.7])
def test_short_segments_between_states_do_not_double_a_diploid_profile(purity: float) -> None:
    # 10% of the genome half-way between states (a bias the reference left);
    # a doubled scale puts them on odd states, which the bin-weighted
    # evidence does not buy for the 90% it must spread over twice the states
    cn = np.array([2, 2, 2, 1, 3, 2, 1, 3, 2.5, 1.5, 2.5])
    bins = np.array([40, 40, 40, 30, 30, 20, 20, 20, 8, 8, 8])
    for noise in (0.0, 0.1, 0.3):
        assert fit_ploidy(mixed_ratios(cn, purity, 2), bins, purity, noise).ploidy == 2


@pytest.mark.parametrize("purity", [1.0, 0.7])
def test_tetraploid_with_odd_states_and_scatter_keeps_its_scale(purity: float) -> None:
    cn = np.array([4, 4, 4, 3, 5, 3, 5, 6, 2, 4, 3, 5]) + np.array(
        [0.1, -0.1, 0.05, -0.1, 0.1, 0.05, -0.05, 0.1, -0.1, 0, 0.1, -0.1])
    bins = np.array([40, 30, 30, 20, 20, 20, 20, 15, 15, 15, 10, 10])
    for noise in (0.0, 0.1, 0.2):
        assert fit_ploidy(mixed_ratios(cn, purity, 4), bins, purity, noise).ploidy == 4


def test_evidence_is_judged_against_the_noise() -> None:
    # a diploid profile of short segments scattered by 0.2 copies around its
    # states: as noise of a deep profile that scatter needs a finer scale;
    # with the noise of a shallow one it is expected
    states = np.array([2, 2, 1, 3, 2, 2, 1, 3, 2, 2], dtype=float)
    ratios = (states + 0.2 * np.array([1, -1] * 5)) / 2
    bins = np.full(len(states), 5)
    assert fit_ploidy(ratios, bins, noise=0.05).ploidy > 3
    shallow = fit_ploidy(ratios, bins, noise=0.4)
    assert shallow.ploidy == pytest.approx(2, abs=0.15)
    assert np.array_equal(integer_copy_number(ratios, shallow.ploidy), states)


def test_chromosome_levels_scattered_as_in_real_cells_keep_a_diploid_scale() -> None:
    # whole chromosomes of diploid cells (5 Mb bins), their levels scattered
    # by 0.25 log2 as in real DOP-PCR cells (benchmarks/real_cells.py); a
    # single small level error read that scatter as states of a scale 2-3x
    bins = np.array([50, 49, 40, 38, 36, 34, 32, 29, 28, 27, 27, 27, 23, 21, 20, 18, 17, 16, 12, 13, 9, 10])
    profiles = [2 ** np.random.default_rng(seed).normal(0, 0.25, len(bins)) for seed in range(1, 11)]
    diploid = [abs(fit_ploidy(ratios, bins, noise=0.15).ploidy - 2) <= 0.35 for ratios in profiles]
    before = [abs(fit_ploidy(ratios, bins, noise=0.15, level_sds=(0.05,)).ploidy - 2) <= 0.35
              for ratios in profiles]
    assert sum(diploid) >= 7
    assert sum(before) <= 2


def test_bulk_purity_is_taken_into_account() -> None:
    cn = np.array([2.0] * 30 + [1.0] * 10 + [4.0] * 10)
    purity = 0.6
    observed = purity * cn + 2 * (1 - purity)
    ratios = observed / np.median(observed)
    fit = fit_ploidy(ratios, np.ones_like(ratios), purity=purity)
    assert np.allclose(tumour_copy_number(ratios, fit.ploidy, purity), cn)


def test_segmentation_finds_a_step() -> None:
    rng = np.random.default_rng(1)
    bins = genome_bins({"chr1": 100}, rng)
    bins["log2"] = np.r_[np.zeros(60), np.ones(40) * 0.58] + rng.normal(0, 0.1, 100)
    segments = segment(bins)
    assert list(segments["bins"]) == [60, 40]


def test_qc_metrics() -> None:
    assert gini(np.ones(100)) == pytest.approx(0.0)
    assert gini(np.r_[np.zeros(99), 1.0]) == pytest.approx(0.99)
    assert mapd(np.array([1, 2, 1, 2.0]), np.array(["a"] * 4)) == pytest.approx(1.0)
    assert mapd(np.array([1, 2, 1, 2.0]), np.array(["a", "b", "c", "d"])) != mapd(
        np.array([1, 2, 1, 2.0]), np.array(["a"] * 4))


def test_cell_below_thresholds_fails_with_its_reason() -> None:
    rng = np.random.default_rng(2)
    counts = rng.poisson(5, 200)
    qc = assess(counts, counts / counts.mean(), np.array(["chr1"] * 200), QcThresholds())
    assert not qc.qc_pass
    assert "median reads per bin 5 < 60" in qc.qc_reason


def wbc_reference(bins: pd.DataFrame) -> np.ndarray:
    return reference_profile([profile_of(bins, np.full(len(bins), 300.0))])


@pytest.mark.parametrize("with_reference", [False, True])
def test_cell_without_reads_is_not_assessable_and_does_not_crash(with_reference: bool) -> None:
    from ctc_profiler.copy_number.gene_copy_number import genes_copy_number as gene_table
    from ctc_profiler.copy_number.sample_summary import status_row

    rng = np.random.default_rng(5)
    bins = genome_bins({"chr7": 50, "chr17": 40}, rng)
    counts = bins[["chrom", "start", "end"]].assign(reads=0)
    profile, qc = corrected_profile(bins, counts, QcThresholds())
    assert not qc.qc_pass and qc.reads == 0
    reference = wbc_reference(bins) if with_reference else None
    called, segments, ploidy, _ = call_profile(profile, reference, None, CallSettings())
    assert segments.empty and np.isnan(ploidy)
    regions = pd.DataFrame({"name": ["ERBB2", "chr17_ref", "EGFR", "chr7_ref"],
                            "chrom": ["chr17", "chr17", "chr7", "chr7"],
                            "start": [100, 10 * BIN, 100, 20 * BIN], "end": [200, 20 * BIN, 200, 30 * BIN]})
    row = status_row({"patient": "P", "sample": "C", "type": "ctc", "wga": "MDA"}, "self", qc,
                     ploidy, gene_table(called, regions), 1.6)
    assert row["her2_status"] == "not_assessable"
    assert row["egfr_amplified"] == "not_assessable"
    assert row["qc_reason"].startswith("no reads in usable bins")


@pytest.mark.parametrize("with_reference", [False, True])
def test_cell_without_reads_on_chr17_is_not_assessable_with_its_reason(with_reference: bool) -> None:
    from ctc_profiler.copy_number.sample_summary import status_row

    rng = np.random.default_rng(8)
    bins = genome_bins({"chr1": 150, "chr7": 80, "chr17": 40}, rng)
    expected = np.where(bins["chrom"] == "chr17", 0.0, 300.0)
    counts = bins[["chrom", "start", "end"]].assign(reads=rng.poisson(expected))
    profile, qc = corrected_profile(bins, counts, QcThresholds())
    reference = wbc_reference(bins) if with_reference else None
    called, _, ploidy, _ = call_profile(profile, reference, None, CallSettings())
    regions = pd.DataFrame({"name": ["ERBB2", "chr17_ref", "EGFR", "chr7_ref"],
                            "chrom": ["chr17", "chr17", "chr7", "chr7"],
                            "start": [25 * BIN, 5 * BIN, 10 * BIN, 40 * BIN],
                            "end": [25 * BIN + 40_000, 15 * BIN, 10 * BIN + 90_000, 50 * BIN]})
    row = status_row({"patient": "P", "sample": "C", "type": "ctc", "wga": "MDA"}, "self", qc,
                     ploidy, genes_copy_number(called, regions), 1.6)
    assert row["her2_status"] == "not_assessable"
    assert "chr17 reference region at copy number 0" in row["qc_reason"]
    assert row["egfr_amplified"] is False and row["egfr_cn"] == 2


def test_gene_across_a_breakpoint_takes_the_copy_number_of_most_of_its_bases() -> None:
    bins = pd.DataFrame({"chrom": ["chr17"] * 4, "start": [0, 100, 200, 300],
                         "end": [100, 200, 300, 400], "use": [True] * 4,
                         "cn": [2.0, 2.0, 9.0, 9.0], "cn_estimate": [2.1, 1.9, 8.8, 9.2]})
    regions = pd.DataFrame({"name": ["ERBB2", "EVEN"], "chrom": ["chr17", "chr17"],
                            "start": [150, 0], "end": [400, 400]})
    table = genes_copy_number(bins, regions).set_index("gene")
    assert table.loc["ERBB2", "cn"] == 9  # 200 of its 250 bases at 9
    assert table.loc["ERBB2", "bins"] == 3
    assert table.loc["EVEN", "cn"] == 2  # a tie goes to the lower copy number, never 5.5
    assert table.loc["EVEN", "cn_estimate"] == pytest.approx(5.45)  # the estimate stays a median


def test_noise_of_bins_sharing_noise_with_their_neighbours_is_not_understated() -> None:
    from ctc_profiler.copy_number.segmentation import lag_sd, noise_sd

    rng = np.random.default_rng(0)
    independent = rng.normal(0, 0.3, 5000)
    # each bin the sum of 4 neighbouring draws: SD 0.3, correlation 3/4 with the next bin
    shared = np.convolve(rng.normal(0, 0.3, 5003), np.ones(4) / 2, mode="valid")
    assert noise_sd(independent) == lag_sd(independent, 1)
    assert noise_sd(independent) == pytest.approx(0.3, rel=0.1)
    assert lag_sd(shared, 1) == pytest.approx(0.15, rel=0.15)  # successive differences alone
    assert noise_sd(shared) == pytest.approx(0.3, rel=0.1)


def test_the_sample_call_settings_are_the_config_sections() -> None:
    import yaml

    from conftest import ROOT
    from ctc_profiler.copy_number.sample_call import SampleCallSettings

    section = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["copy_number"]
    settings = SampleCallSettings.from_config(section)
    assert settings.call == CallSettings(section["segmentation"]["min_bins"], section["segmentation"]["penalty"],
                                         QcThresholds(**section["qc"]))
    assert settings.gene_window.min_tiles == section["gene_window"]["min_tiles"]
    assert settings.detection_limit.amplicon_bp == section["detection_limit"]["amplicon_bp"]
    assert settings.egfr_min_fold == section["egfr_min_fold"]
    assert settings == SampleCallSettings()  # the defaults are the template's


def test_a_sample_call_is_its_status_genes_and_limits_and_never_normalises_a_sample_by_itself() -> None:
    from ctc_profiler.copy_number.sample_call import SampleCallSettings, sample_call

    rng = np.random.default_rng(7)
    bins = genome_bins({"chr1": 120, "chr7": 80, "chr17": 60}, rng)
    truth = np.full(len(bins), 2.0)
    truth[(bins["chrom"] == "chr17") & bins["start"].between(30 * BIN, 33 * BIN)] = 8.0
    counts = bins[["chrom", "start", "end"]].assign(
        reads=rng.poisson(truth / 2 * 300 * np.exp(2.0 * (bins["gc"] - 0.45))))
    regions = pd.DataFrame({"chrom": ["chr17", "chr17", "chr7", "chr7"],
                            "start": [31 * BIN + 5000, 10 * BIN, 10 * BIN, 40 * BIN],
                            "end": [31 * BIN + 47000, 20 * BIN, 10 * BIN + 90_000, 50 * BIN],
                            "name": ["ERBB2", "chr17_ref", "EGFR", "chr7_ref"]})
    sample = {"patient": "P", "sample": "C", "type": "ctc", "wga": "MDA", "purity": float("nan")}
    # a table of normals whose one member is the sample itself
    itself = bins[["chrom", "start", "end"]].assign(C=1.0)
    call = sample_call(sample, bins, counts, None, None, regions, SampleCallSettings(), itself)
    assert call.reference == "self" and not call.normalisation.to_reference
    assert call.status["her2_status"] == "positive" and call.status["egfr_amplified"] is False
    assert call.status["erbb2_detectable_cn"] == "" and call.status["egfr_detectable_cn"] != ""
    assert list(call.genes.columns[:2]) == ["sample", "gene"] and set(call.genes["sample"]) == {"C"}
    quick = sample_call(sample, bins, counts, None, None, regions, SampleCallSettings(), limits=False)
    assert quick.status["egfr_detectable_cn"] == "" and quick.genes.equals(call.genes)
