"""The copy-number call on real single cells: DOP-PCR cells of a
triple-negative breast cancer with a published method's copy numbers
(benchmarks/real_cells.py; the shared real-data fixtures, skipped without
them)."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import real_cells  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (real_cells.REAL_DATA / real_cells.CELLS / "calls.tsv.gz").exists(),
    reason="real single-cell copy-number calls not in ../shared/data/real",
)


@pytest.fixture(scope="module")
def called():
    # the first 30 cells by name hold both clones CHISEL found and cells it left unassigned
    return real_cells.run(real_cells.REAL_DATA, seed=1, limit=30)


@pytest.fixture(scope="module")
def cells(called):
    return called[0]


def test_real_cells_of_a_her2_negative_cancer_are_not_called_her2_positive(cells) -> None:
    passing = cells[cells["qc_pass"]]
    assert len(passing) >= 0.9 * len(cells)
    assert (passing["her2_status"] != "positive").all()
    assert (passing["her2_status"] == "negative").mean() >= 0.9
    assert not passing["egfr_amplified"].any()


def test_diploid_real_cells_are_called_diploid(cells) -> None:
    # CHISEL (with allele frequencies, which read depth alone lacks) calls its
    # Clone1 diploid; whole-chromosome levels of these cells scatter by about
    # 0.25 log2, which the ploidy fit must not read as states of a higher scale
    diploid = cells[(cells["clone"] == "Clone1") & cells["qc_pass"]]
    assert len(diploid) >= 10
    for _, depth in diploid.groupby("depth"):
        assert depth["ploidy"].median() == pytest.approx(2.0, abs=0.2)
        assert depth["cn_within_1"].median() >= 0.95


def test_the_clone_call_finds_chisels_two_clones(called) -> None:
    # the workflow's integer calls of two cells of one clone differ on whole
    # chromosomes here; the clone call compares their levels
    cells, bins = called
    check, members = real_cells.clone_check(cells, bins)
    for row in check.itertuples():
        assert row.chisel_clones == 2
        assert row.clones_called == 2
        assert row.ari_on_placed_cells == pytest.approx(1.0)
