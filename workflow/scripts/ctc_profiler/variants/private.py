"""Mutations one cell alone shows, outside the hotspot table.

Errors of the first amplification rounds reach 25-50% of a cell's reads at
a site, so a cell's `mutant` call that no other tumour sample of the patient
supports (no bulk tumour, no other CTC with alt reads) cannot be told from
such an error by its reads alone. Alt reads in a WBC or bulk normal are no
support: a tumour's mutation is not in them (a read or two there is an error,
more a germline allele). Outside the hotspot table, where a random
error is as likely at any of thousands of bases, such a call is reported as
`private_unconfirmed`, with its reads, never as `mutant`. At a hotspot (one
known base) a private mutation in one CTC stays callable: a resistance
mutation gained in one cell is what users look for.
"""

from __future__ import annotations

from collections.abc import Mapping

from ctc_profiler.core.words import CELL_TYPES, MUTANT, PRIVATE_UNCONFIRMED, TUMOUR_TYPES


def private_cell(states: Mapping[str, str], alt_reads: Mapping[str, int], types: Mapping[str, str],
                 hotspot: bool) -> str | None:
    """The one cell whose `mutant` call no other tumour sample supports (none
    other mutant or with any alt read), at a site outside the hotspot table."""
    if hotspot:
        return None
    mutant = [name for name, state in states.items() if state == MUTANT]
    if len(mutant) != 1 or types[mutant[0]] not in CELL_TYPES:
        return None
    others = [name for name in states if name != mutant[0] and types[name] in TUMOUR_TYPES]
    if any(alt_reads.get(name, 0) > 0 for name in others):
        return None
    return mutant[0]


def unconfirmed_state(state: str, sample: str, private: str | None) -> str:
    return PRIVATE_UNCONFIRMED if sample == private else state
