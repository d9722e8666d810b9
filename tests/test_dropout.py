"""Per-cell allelic dropout and imbalance at germline heterozygous sites."""

from __future__ import annotations

import math

import pytest

from ctc_profiler.core.wga_kits import kit_ado_prior
from ctc_profiler.variants.dropout import (
    AdoMeasure,
    AdoSettings,
    DropoutMap,
    LocalDropout,
    ado_for_calling,
    is_heterozygous,
    measure_dropout,
)
from ctc_profiler.variants.states import AlleleCounts

SETTINGS = AdoSettings()


def test_dropout_is_one_allele_only_at_sites_with_enough_reads() -> None:
    sites = [
        AlleleCounts(ref=5, alt=5),  # both
        AlleleCounts(ref=10, alt=0),  # alt dropped
        AlleleCounts(ref=0, alt=9),  # ref dropped
        AlleleCounts(ref=6, alt=2),  # both, imbalanced
        AlleleCounts(ref=3, alt=0),  # too few reads to judge
    ]
    measure = measure_dropout(sites, SETTINGS)
    assert (measure.sites, measure.dropouts) == (4, 2)
    assert measure.rate == 0.5
    assert measure.imbalance == pytest.approx((0.0 + 0.25) / 2)


def test_heterozygous_needs_both_alleles_at_a_het_fraction() -> None:
    assert is_heterozygous(AlleleCounts(ref=10, alt=8), SETTINGS)
    assert not is_heterozygous(AlleleCounts(ref=0, alt=20), SETTINGS)  # homozygous
    assert not is_heterozygous(AlleleCounts(ref=18, alt=2), SETTINGS)  # error-like
    assert not is_heterozygous(AlleleCounts(ref=3, alt=3), SETTINGS)  # too few reads


def test_rate_used_for_calling_shrinks_towards_the_kit_prior() -> None:
    assert ado_for_calling(None, 0.2, SETTINGS) == 0.2
    assert ado_for_calling(AdoMeasure(0, 0, None), 0.2, SETTINGS) == 0.2
    few = ado_for_calling(AdoMeasure(2, 0, 0.1), 0.2, SETTINGS)
    many = ado_for_calling(AdoMeasure(200, 0, 0.1), 0.2, SETTINGS)
    assert 0 < many < few < 0.2


def test_kit_prior_lookup() -> None:
    priors = {"default": 0.2, "MDA": 0.3}
    assert kit_ado_prior("mda", priors) == 0.3
    assert kit_ado_prior("PicoPLEX", priors) == 0.2


def test_neighbouring_het_sites_are_one_dropout_observation() -> None:
    # three sites in one dropout stretch and two far apart with both alleles
    counts = [AlleleCounts(ref=10, alt=0)] * 3 + [AlleleCounts(ref=5, alt=5)] * 2
    positions = [("chr7", 1000), ("chr7", 1500), ("chr7", 2500), ("chr7", 50_000), ("chr17", 1000)]
    measure = measure_dropout(counts, SETTINGS, positions)
    assert (measure.sites, measure.observations, measure.dropouts) == (5, 3, 1)
    assert measure.rate == pytest.approx(1 / 3)
    assert measure_dropout(counts, SETTINGS).rate == pytest.approx(3 / 5)  # sites as independent


def test_dropout_near_a_position_follows_the_nearest_het_site() -> None:
    both, one = AlleleCounts(ref=5, alt=5), AlleleCounts(ref=10, alt=0)
    dropout_map = DropoutMap.build(
        [("chr7", 10_000, both), ("chr7", 50_000, one), ("chr7", 90_000, AlleleCounts(ref=3, alt=0))],
        AdoSettings(),
    )
    window = 10_000
    # 1 kb from a site with both alleles: in its stretch with probability e^-0.1
    assert dropout_map.near("chr7", 11_000, 0.3, window) == pytest.approx((1 - math.exp(-0.1)) * 0.3)
    # 2 kb from a site showing one allele
    same = math.exp(-0.2)
    assert dropout_map.near("chr7", 48_000, 0.3, window) == pytest.approx(same + (1 - same) * 0.3)
    # the site itself and a site below ado_min_depth (3 reads) do not count
    assert dropout_map.near("chr7", 10_000, 0.3, window) == pytest.approx(
        math.exp(-4) + (1 - math.exp(-4)) * 0.3)
    assert dropout_map.near("chr17", 1_000, 0.3, window) == 0.3
    local = LocalDropout({"CTC": 0.3, "primary": 0.0}, {"CTC": dropout_map}, window)
    assert local.at("CTC", "chr17", 5) == 0.3
    assert local.at("primary", "chr7", 11_000) == 0.0
