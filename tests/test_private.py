"""One cell's mutation outside the hotspot table that no other sample shows
is reported as private_unconfirmed, never mutant; at a hotspot it stays."""

from __future__ import annotations

from ctc_profiler.variants.private import private_cell, unconfirmed_state

TYPES = {"prim": "primary", "w1": "wbc", "c1": "ctc", "c2": "ctc"}


def states(**changed: str) -> dict[str, str]:
    return {"prim": "wildtype", "w1": "wildtype", "c1": "wildtype", "c2": "wildtype", **changed}


def test_an_early_amplification_error_in_one_cell_is_unconfirmed() -> None:
    # a C>T at 44% of 190 reads in one cell, no alt read anywhere else
    alt = {"prim": 0, "w1": 0, "c1": 84, "c2": 0}
    private = private_cell(states(c1="mutant"), alt, TYPES, hotspot=False)
    assert private == "c1"
    assert unconfirmed_state("mutant", "c1", private) == "private_unconfirmed"
    assert unconfirmed_state("wildtype", "c2", private) == "wildtype"


def test_a_private_hotspot_mutation_in_one_ctc_stays_mutant() -> None:
    alt = {"prim": 0, "w1": 0, "c1": 6, "c2": 0}
    assert private_cell(states(c1="mutant"), alt, TYPES, hotspot=True) is None


def test_support_from_another_sample_confirms_it() -> None:
    # alt reads in the primary (below its own call) or a second mutant cell
    assert private_cell(states(c1="mutant"), {"prim": 3, "c1": 20}, TYPES, hotspot=False) is None
    assert private_cell(states(c1="mutant", c2="mutant"), {"c1": 20, "c2": 15}, TYPES, hotspot=False) is None


def test_a_bulk_tumours_own_mutation_is_not_a_cells_private_one() -> None:
    assert private_cell(states(prim="mutant"), {"prim": 30}, TYPES, hotspot=False) is None


def test_alt_reads_in_the_normals_are_no_support() -> None:
    # the early error at 13 of 23 reads of one DOP-PCR cell, with one stray
    # read in each of two WBCs: still unconfirmed
    types = {**TYPES, "w2": "wbc"}
    alt = {"prim": 0, "w1": 1, "w2": 1, "c1": 13, "c2": 0}
    assert private_cell({**states(c1="mutant"), "w2": "dropout_possible"}, alt, types, hotspot=False) == "c1"
