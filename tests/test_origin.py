"""Germline or somatic from the reads of WBCs, normals and the bulk tumour."""

from __future__ import annotations

import pytest

from ctc_profiler.variants.origin import OriginSample, OriginSettings, variant_origin
from ctc_profiler.variants.patient import copy_number_at, read_segments
from ctc_profiler.variants.states import AlleleCounts, StateSettings


def reads(ref: int, alt: int) -> AlleleCounts:
    return AlleleCounts(ref=ref, alt=alt, ref_fwd=ref // 2, ref_rev=ref - ref // 2,
                        alt_fwd=alt // 2, alt_rev=alt - alt // 2)


def origin(counts: dict[str, AlleleCounts], samples: list[OriginSample], hotspot: bool = False):
    return variant_origin(counts, samples, ref="T", alt="G", hotspot=hotspot,
                          states=StateSettings(), settings=OriginSettings())


WBCS = [OriginSample("WBC01", "wbc", ado=0.3), OriginSample("WBC02", "wbc", ado=0.3)]
PRIMARY = OriginSample("primary", "primary", purity=0.6)
CTC = OriginSample("CTC01", "ctc")


def test_germline_snp_both_wbcs_missed_is_germline_by_the_primary() -> None:
    # one WBC lost the allele (0 of 11), the other has 2 reads: the primary at 1/2 decides
    counts = {"WBC01": reads(11, 0), "WBC02": reads(2, 0), "primary": reads(30, 30), "CTC01": reads(5, 5)}
    result = origin(counts, [*WBCS, PRIMARY, CTC])
    assert result.origin == "germline"


def test_clonal_somatic_at_purity_over_two_in_primary_and_absent_in_wbcs() -> None:
    counts = {"WBC01": reads(20, 0), "WBC02": reads(20, 0), "primary": reads(42, 18), "CTC01": reads(5, 5)}
    assert origin(counts, [*WBCS, PRIMARY, CTC]).origin == "somatic"


def test_a_ctc_private_mutation_is_somatic_by_a_deep_primary_without_any_wbc() -> None:
    counts = {"primary": reads(40, 0), "CTC01": reads(5, 5)}
    result = origin(counts, [PRIMARY, CTC])
    assert result.origin == "somatic"
    assert result.germline_probability < 0.01


def test_two_wbcs_with_dropout_cannot_exclude_germline_four_can() -> None:
    # each WBC without alt reads is at most 2 / ADO-fold evidence against germline
    two = origin({"WBC01": reads(20, 0), "WBC02": reads(20, 0), "CTC01": reads(5, 5)}, [*WBCS, CTC])
    assert two.origin == "unresolved"
    four_wbcs = [OriginSample(f"WBC0{i}", "wbc", ado=0.3) for i in range(1, 5)]
    counts = {f"WBC0{i}": reads(20, 0) for i in range(1, 5)} | {"CTC01": reads(5, 5)}
    assert origin(counts, [*four_wbcs, CTC]).origin == "somatic"


def test_a_hotspot_allele_absent_from_the_wbcs_is_somatic() -> None:
    counts = {"WBC01": reads(20, 0), "WBC02": reads(20, 0), "CTC01": reads(5, 5)}
    assert origin(counts, [*WBCS, CTC], hotspot=True).origin == "somatic"


def test_wbc_showing_the_allele_makes_it_germline() -> None:
    counts = {"WBC01": reads(6, 5), "WBC02": reads(20, 0), "CTC01": reads(5, 5)}
    assert origin(counts, [*WBCS, CTC]).origin == "germline"


def test_homozygous_germline_in_a_bulk_normal() -> None:
    counts = {"normal": reads(0, 30), "CTC01": reads(0, 8)}
    assert origin(counts, [OriginSample("normal", "normal"), CTC]).origin == "germline"


@pytest.mark.parametrize("counts", [
    {"CTC01": reads(5, 5)},  # nothing but CTCs
    {"WBC01": reads(2, 0), "WBC02": reads(1, 0), "CTC01": reads(5, 5)},  # WBCs below min_depth
])
def test_without_reads_that_can_tell_the_origin_is_unresolved(counts) -> None:
    result = origin(counts, [*WBCS, CTC])
    assert result.origin == "unresolved"


def test_copy_number_of_the_primary_places_the_allele_fractions() -> None:
    # 39 of 73 reads in a primary of purity 0.7, the WBCs barely covered: at
    # copy number 2 a heterozygous SNP (1/2) fits; at 3 it would sit at 0.37
    # or 0.63, and a somatic mutation on a gained copy at 0.52 fits better
    counts = {"WBC01": reads(2, 0), "WBC02": reads(6, 0), "primary": reads(34, 39)}
    diploid, gained = (
        origin(counts, [*WBCS, OriginSample("primary", "primary", purity=0.7, copy_number=c)]) for c in (2, 3)
    )
    assert diploid.origin == "germline"
    assert gained.origin != "germline"
    assert gained.germline_probability < diploid.germline_probability


def test_segments_give_the_copy_number_at_a_position(tmp_path) -> None:
    path = tmp_path / "segments.tsv"
    path.write_text("chrom\tstart\tend\tbins\tlog2\tratio\tcn_estimate\tcn\n"
                    "chr17\t0\t628000\t6\t0\t1\t2.0\t2\n"
                    "chr17\t628000\t2081436\t14\t0.5\t1.4\t3.1\t3\n"
                    "chr7\t0\t1000\t0\tnan\tnan\tnan\tnan\n")
    segments = read_segments(path)
    assert copy_number_at(segments, "chr17", 628000) == 2  # 1-based position, 0-based start
    assert copy_number_at(segments, "chr17", 628001) == 3
    assert copy_number_at(segments, "chr7", 500) is None


def test_an_allele_known_elsewhere_is_never_somatic_here() -> None:
    # both WBCs missed the allele (20 reads each: dropout); the primary shows
    # it at 70% (purity 0.7, the other allele lost): alone the reads argue
    # for somatic
    counts = {"WBC01": reads(20, 0), "WBC02": reads(20, 0), "primary": reads(30, 70), "CTC01": reads(3, 9)}
    samples = [*WBCS, OriginSample("primary", "primary", purity=0.7), CTC]
    states, settings = StateSettings(), OriginSettings()
    alone = variant_origin(counts, samples, ref="T", alt="G", hotspot=False, states=states, settings=settings)
    known = variant_origin(counts, samples, ref="T", alt="G", hotspot=False, states=states, settings=settings,
                           known_germline=True)
    assert alone.origin == "somatic"
    assert known.origin != "somatic"
    assert known.germline_probability > alone.germline_probability
