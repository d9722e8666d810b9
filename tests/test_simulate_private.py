"""Private SNVs: somatic SNVs of one cell alone (`--private-snvs`), absent
by default, in that cell's reads and truth only, deterministic per seed."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from ctc_simulator.cohort import CohortModel, build_model, write_cohort_truth
from ctc_simulator.design import (
    DesignError,
    build_spec,
    design_from_mapping,
)
from ctc_simulator.spec import CohortSpec, shrink
from ctc_simulator.truth import PRIVATE_SNVS_NOTE, README
from ctc_simulator.variants import Variant, build_haplotypes

CHROMOSOMES = ("chr7", "chr17")


def spec_with(**options: object) -> CohortSpec:
    return shrink(build_spec(design_from_mapping(options)), CHROMOSOMES)


@pytest.fixture(scope="module")
def model() -> CohortModel:
    return build_model(spec_with(private_snvs=3), seed=1)


@pytest.fixture(scope="module")
def plain() -> CohortModel:
    return build_model(spec_with(), seed=1)


def key(variant: Variant) -> tuple[str, int, str, str]:
    return (variant.chrom, variant.pos, variant.ref, variant.alt)


def as_key(row: dict[str, str]) -> tuple[str, str, int, str, str]:
    return (row["sample"], row["chrom"], int(row["pos"]), row["ref"], row["alt"])


def test_option_reaches_every_ctc_and_nothing_else() -> None:
    spec = build_spec(design_from_mapping({"private-snvs": "3", "wbcs": 1}))
    assert {(s.type, s.private_snvs) for s in spec.patients[0].samples} == {
        ("primary", 0),
        ("wbc", 0),
        ("ctc", 3),
    }
    with pytest.raises(DesignError, match="private-snvs cannot be negative"):
        design_from_mapping({"private_snvs": -1})


def test_absent_by_default(plain: CohortModel) -> None:
    assert [p.private for p in plain.patients] == [{}]
    assert all(s.private_snvs == 0 for s in plain.patients[0].spec.samples)


def test_each_ctc_gets_its_own_heterozygous_snvs(model: CohortModel) -> None:
    patient = model.patients[0]
    ctcs = [s for s in patient.spec.samples if s.type == "ctc"]
    assert sorted(patient.private) == [s.sample for s in ctcs]
    genome = model.genome
    for sample in ctcs:
        snvs = patient.private[sample.sample]
        assert len(snvs) == 3
        for v in snvs:
            assert v.origin == "somatic" and v.is_snv and v.clone == sample.sample
            assert sum(v.on_haplotype) == 1
            assert genome.gene_at(v.chrom, v.pos - 1) in ("EGFR", "ERBB2")
            # one copy of two: the clone is diploid there
            assert patient.profiles[sample.clone].at(genome, v.chrom, v.pos - 1) == (
                1,
                1,
            )
    # pinned for seed 1, so a change of the random streams shows
    assert [key(v) + (v.on_haplotype,) for v in patient.private["P1_CTC01"]] == [
        ("chr7", 1291675, "G", "A", (True, False)),
        ("chr7", 1379294, "A", "G", (True, False)),
        ("chr7", 1379379, "A", "G", (False, True)),
    ]


def test_positions_are_used_by_no_other_variant(model: CohortModel) -> None:
    patient = model.patients[0]
    clonal = {(v.chrom, v.pos) for v in patient.germline}
    for own in patient.somatic.values():
        clonal |= {(v.chrom, v.pos) for v in own}
    private = [(v.chrom, v.pos) for own in patient.private.values() for v in own]
    assert len(set(private)) == len(private) == 12
    assert not set(private) & clonal


def test_clonal_variants_and_amplification_do_not_change(
    model: CohortModel, plain: CohortModel
) -> None:
    with_private, without = model.patients[0], plain.patients[0]
    assert with_private.germline == without.germline
    assert with_private.somatic == without.somatic
    for sample, amplification in without.amplifications.items():
        ours = with_private.amplifications[sample]
        assert np.array_equal(ours.dropout, amplification.dropout)
        assert np.array_equal(ours.error_pos, amplification.error_pos)


def test_deterministic_per_seed(model: CohortModel) -> None:
    again = build_model(spec_with(private_snvs=3), seed=1)
    other = build_model(spec_with(private_snvs=3), seed=2)
    assert again.patients[0].private == model.patients[0].private
    assert other.patients[0].private != model.patients[0].private


def test_only_the_cell_s_haplotypes_carry_them(model: CohortModel) -> None:
    patient = model.patients[0]
    genome = model.genome
    samples = {s.sample: s for s in patient.spec.samples}
    v = patient.private["P1_CTC03"][0]
    where = genome.global_pos(v.chrom, v.pos - 1)
    carrier = v.on_haplotype.index(True)
    for name in ("P1_CTC03", "P1_CTC04", "P1_primary"):
        sample = samples[name]
        for source in patient.sources(sample):
            haplotypes = build_haplotypes(
                genome, patient.carried_by(sample, source.name)
            )
            bases = [chr(int(h.sequence[where])) for h in haplotypes]
            expected = [v.ref, v.ref]
            if name == "P1_CTC03":
                expected[carrier] = v.alt
            assert bases == expected, (name, source.name)


def test_truth_lists_them_for_their_cell_only(
    model: CohortModel, plain: CohortModel, tmp_path: Path
) -> None:
    write_cohort_truth(model, tmp_path / "private")
    write_cohort_truth(plain, tmp_path / "plain")
    with (tmp_path / "private" / "truth" / "variants.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    with (tmp_path / "plain" / "truth" / "variants.tsv").open() as handle:
        plain_rows = list(csv.DictReader(handle, delimiter="\t"))
    added = {as_key(r) for r in rows} - {as_key(r) for r in plain_rows}
    expected = {
        (sample, *key(v))
        for sample, own in model.patients[0].private.items()
        for v in own
    }
    assert added == expected and len(rows) == len(plain_rows) + 12
    for row in rows:
        if as_key(row) in expected:
            assert row["origin"] == "somatic" and row["genotype"] == "0/1"
    readme = (tmp_path / "private" / "truth" / "README.md").read_text()
    assert readme == README + PRIVATE_SNVS_NOTE
    assert (tmp_path / "plain" / "truth" / "README.md").read_text() == README


def test_bulk_samples_cannot_have_private_snvs() -> None:
    spec = spec_with()
    patient = spec.patients[0]
    samples = tuple(
        dataclasses.replace(s, private_snvs=2) if s.type == "primary" else s
        for s in patient.samples
    )
    bad = dataclasses.replace(
        spec, patients=(dataclasses.replace(patient, samples=samples),)
    )
    with pytest.raises(ValueError, match="only single cells have private SNVs"):
        build_model(bad, seed=1)
