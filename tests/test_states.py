"""Single-cell-aware genotype states: dropout, amplification errors, strand
bias, bulk logic and joint evidence."""

from __future__ import annotations

import pytest

from ctc_profiler.variants.states import (
    AlleleCounts,
    StateSettings,
    call_state,
    joint_prior,
    strand_biased,
)

SETTINGS = StateSettings()


def counts(alt_fwd: int, alt_rev: int, ref_fwd: int, ref_rev: int) -> AlleleCounts:
    return AlleleCounts(ref=ref_fwd + ref_rev, alt=alt_fwd + alt_rev, alt_fwd=alt_fwd,
                        alt_rev=alt_rev, ref_fwd=ref_fwd, ref_rev=ref_rev)


def cell(c: AlleleCounts, ado: float, prior: float, ref: str = "T", alt: str = "G", expected: bool = False):
    return call_state(c, ref=ref, alt=alt, cell=True, ado=ado, prior=prior, settings=SETTINGS,
                      expected=expected)


def test_het_site_without_alt_reads_in_a_high_ado_cell_is_dropout_possible() -> None:
    # a known heterozygous site (germline prior), 0 alt / 6 ref, 30% ADO
    call = cell(counts(0, 0, 3, 3), ado=0.3, prior=SETTINGS.prior_germline, expected=True)
    assert call.state == "dropout_possible"
    assert call.quality == 0.0


def test_absent_mutation_is_wildtype_only_when_dropout_is_unlikely() -> None:
    deep = counts(0, 0, 15, 15)
    assert cell(deep, ado=0.3, prior=0.5).state == "dropout_possible"
    low_ado = cell(deep, ado=0.02, prior=0.5)
    assert low_ado.state == "wildtype"
    assert low_ado.quality > 10


def test_mutation_seen_in_other_cells_is_not_excluded_where_dropout_could_hide_it() -> None:
    # 0 alt / 36 ref in an MDA-like cell (25% ADO); two of six other tumour
    # samples carry the mutation: a carrier shows no alt read 12.5% of the time
    c, prior = counts(0, 0, 18, 18), joint_prior(SETTINGS.prior_somatic, 2, 6)
    assert cell(c, ado=0.25, prior=prior, expected=True).state == "dropout_possible"
    assert cell(c, ado=0.05, prior=prior, expected=True).state == "wildtype"


def test_site_not_expected_in_the_cell_is_wildtype_despite_dropout() -> None:
    # a hotspot nobody in the patient carries: the prior, not only ADO, decides
    assert cell(counts(0, 0, 10, 10), ado=0.3, prior=SETTINGS.prior_hotspot).state == "wildtype"


def test_c_to_t_with_two_alt_reads_on_one_strand_is_not_mutant() -> None:
    one_strand, both_strands = counts(2, 0, 2, 2), counts(1, 1, 2, 2)
    assert strand_biased(one_strand) and not strand_biased(both_strands)
    # with joint evidence (seen in the primary), the same reads split over
    # both strands make a mutant; on one strand they do not
    assert cell(both_strands, ado=0.1, prior=0.5, ref="C", alt="T").state == "mutant"
    assert cell(one_strand, ado=0.1, prior=0.5, ref="C", alt="T").state != "mutant"
    deeper = counts(2, 0, 9, 9)
    assert cell(deeper, ado=0.1, prior=SETTINGS.prior_somatic, ref="C", alt="T").state != "mutant"


def test_alt_reads_on_both_strands_make_a_mutant_with_a_quality() -> None:
    call = cell(counts(5, 5, 5, 5), ado=0.2, prior=SETTINGS.prior_hotspot)
    assert call.state == "mutant"
    assert call.quality >= 20


def test_deamination_like_changes_need_more_evidence() -> None:
    c = counts(2, 2, 13, 13)
    ct = cell(c, ado=0.2, prior=SETTINGS.prior_somatic, ref="C", alt="T")
    ac = cell(c, ado=0.2, prior=SETTINGS.prior_somatic, ref="A", alt="C")
    assert ct.posterior < ac.posterior


def test_low_fraction_alt_reads_look_like_an_amplification_error() -> None:
    # 3 of 30 reads (10%): an early amplification error, not a het mutation
    c = counts(2, 1, 14, 13)
    assert cell(c, ado=0.2, prior=SETTINGS.prior_somatic, ref="A", alt="C").state != "mutant"


def test_half_the_reads_is_mutant_unless_an_early_deamination_error_explains_it() -> None:
    # seen in this cell only (somatic prior): half of 40 reads, both strands;
    # an early amplification error reaches 10-50% of the reads, and C>T errors
    # are the common kind, so only a hotspot's prior makes that C>T mutant
    half = counts(10, 10, 10, 10)
    assert cell(half, ado=0.2, prior=SETTINGS.prior_somatic, ref="A", alt="G").state == "mutant"
    assert cell(half, ado=0.2, prior=SETTINGS.prior_somatic, ref="C", alt="T").state != "mutant"
    assert cell(half, ado=0.2, prior=SETTINGS.prior_hotspot, ref="C", alt="T").state == "mutant"
    # the C>T at 44% of 190 reads seen in one cell only: not mutant by its reads
    seen = counts(42, 42, 53, 53)
    assert cell(seen, ado=0.2, prior=SETTINGS.prior_somatic, ref="C", alt="T").state != "mutant"
    # a fifth of the reads is what such an error typically reaches: not mutant
    fifth = counts(4, 4, 16, 16)
    assert cell(fifth, ado=0.2, prior=SETTINGS.prior_somatic, ref="A", alt="G").state != "mutant"


def test_a_larger_amplification_error_share_makes_private_calls_more_cautious() -> None:
    half = counts(10, 10, 10, 10)
    cautious = StateSettings(amplification_error_share=0.2)  # Beta(1, 4)
    call = call_state(half, ref="C", alt="T", cell=True, ado=0.2, prior=SETTINGS.prior_somatic,
                      settings=cautious)
    assert call.state != "mutant"
    assert call.posterior < cell(half, ado=0.2, prior=SETTINGS.prior_somatic, ref="C", alt="T").posterior


def test_a_kit_with_more_early_errors_is_more_cautious() -> None:
    third = counts(7, 7, 14, 14)
    settings = StateSettings(early_error_share={"default": 0.25, "MDA": 0.6})

    def posterior(kit: str) -> float:
        return call_state(third, ref="A", alt="G", cell=True, ado=0.2, prior=SETTINGS.prior_somatic,
                          settings=settings, kit=kit).posterior

    assert posterior("mda") < posterior("PicoPLEX")
    assert posterior("PicoPLEX") == posterior("default")


def test_joint_evidence_turns_a_borderline_cell_mutant() -> None:
    c = counts(2, 1, 2, 3)
    alone = cell(c, ado=0.2, prior=SETTINGS.prior_somatic, ref="C", alt="T")
    joint = cell(c, ado=0.2, prior=joint_prior(SETTINGS.prior_somatic, 3, 4), ref="C", alt="T")
    assert alone.state != "mutant"
    assert joint.state == "mutant"


def test_a_cell_with_one_alt_read_at_a_hotspot_is_not_wildtype() -> None:
    # 1 alt of 10: too little for mutant, but not evidence of absence either
    call = cell(counts(1, 0, 4, 5), ado=0.2, prior=SETTINGS.prior_hotspot)
    assert call.state == "dropout_possible"
    assert cell(counts(0, 0, 5, 5), ado=0.2, prior=SETTINGS.prior_hotspot).state == "wildtype"


def test_too_few_reads_is_no_coverage() -> None:
    assert cell(counts(1, 1, 1, 0), ado=0.2, prior=0.5).state == "no_coverage"
    assert cell(AlleleCounts(), ado=0.2, prior=0.5).state == "no_coverage"


@pytest.mark.parametrize(
    ("c", "state"),
    [
        (counts(0, 0, 30, 30), "wildtype"),  # deep enough: no dropout in bulk
        (counts(0, 0, 3, 3), "no_coverage"),  # too shallow to exclude purity/2
        (counts(10, 10, 20, 20), "mutant"),
    ],
)
def test_bulk_samples_use_purity_and_no_dropout(c: AlleleCounts, state: str) -> None:
    call = call_state(c, ref="T", alt="G", cell=False, ado=0.9, prior=0.5, settings=SETTINGS, purity=0.6)
    assert call.state == state


def test_joint_prior() -> None:
    assert joint_prior(0.01, 0, 5) == 0.01
    assert joint_prior(0.01, 1, 4) == pytest.approx(2 / 6)
    assert joint_prior(0.01, 4, 4) == pytest.approx(5 / 6)


def test_closed_form_distributions_match_scipy() -> None:
    from scipy.stats import betabinom, binom

    from ctc_profiler.variants.states import betabinom_cdf, betabinom_pmf, binom_cdf, binom_pmf

    for n, k in ((0, 0), (6, 0), (20, 3), (40, 40)):
        assert binom_pmf(k, n, 0.3) == pytest.approx(binom.pmf(k, n, 0.3))
        assert binom_cdf(k, n, 0.3) == pytest.approx(binom.cdf(k, n, 0.3))
        assert betabinom_pmf(k, n, 5, 5) == pytest.approx(betabinom(n, 5, 5).pmf(k))
        assert betabinom_cdf(k, n, 1, 4) == pytest.approx(betabinom(n, 1, 4).cdf(k))
