"""The copy-number call on a real ERBB2 amplicon: a published whole-genome
tumour profile of chr17, read as single cells of that tumour
(benchmarks/real_amplicon.py; the shared real-data fixtures, skipped without
them)."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import real_amplicon  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (real_amplicon.REAL_DATA / real_amplicon.PROFILE).exists(),
    reason="real ERBB2-amplified profile not in ../shared/data/real",
)


@pytest.fixture(scope="module")
def draws():
    return real_amplicon.run(real_amplicon.REAL_DATA, draws=5, seed=1, kits=("none", "PicoPLEX"),
                             depths=(500_000, 1_000_000))


def test_a_real_erbb2_amplicon_is_read_from_its_tiles_at_its_own_ratio(draws) -> None:
    cells, truth = draws
    cell = cells[cells["depth"] == "expected"].iloc[0]  # the expected reads, without noise
    assert cell["her2_status"] == "positive" and cell["her2_group"] == 1
    assert cell["erbb2_source"] == "window"
    assert cell["her2_ratio"] == pytest.approx(truth["erbb2_over_chr17_ref"], rel=0.1)
    # the 500 kb bins dilute the 350 kb amplicon: their segment reads a third of it
    assert cell["erbb2_segment_cn"] <= cell["erbb2_cn"] / 2
    # GRB7 lies in the amplicon, TOP2A 0.5 Mb beyond its end
    assert cell["grb7_cn"] >= 2 * cell["chr17_ref_cn"]
    assert cell["top2a_cn"] < 2 * cell["chr17_ref_cn"]


def test_cells_of_a_real_her2_positive_tumour_are_called_positive_from_half_a_million_reads(draws) -> None:
    cells, _ = draws
    drawn = cells[cells["depth"] != "expected"]
    assert len(drawn) == 20 and drawn["qc_pass"].all()
    assert (drawn["her2_status"] == "positive").all()
    assert (drawn["erbb2_source"] == "window").mean() >= 0.9


def test_a_bulk_sample_of_the_tumour_is_positive_at_a_fifth_purity_and_reads_true_with_its_purity() -> None:
    bulk, truth = real_amplicon.run_bulk(real_amplicon.REAL_DATA, draws=3, seed=1, purities=(0.2,),
                                         depths=(5_000_000,))
    truth = truth["erbb2_over_chr17_ref"]
    assert (bulk["her2_status"] == "positive").all()
    given = bulk[bulk["purity_given"]]
    assert given["her2_ratio"].median() == pytest.approx(truth, rel=0.25)
    # read at purity 1, the normal cells' DNA dilutes the ratio towards 1
    assert bulk.loc[~bulk["purity_given"], "her2_ratio"].median() < 0.5 * truth
