"""The words the sheets and tables share, spelled once: sample types, library
kinds, HER2 statuses, hotspot genotype states and `not_assessable`.
The schemas (workflow/schemas) list the same sheet words for validation;
tests/test_words.py holds them equal."""

from __future__ import annotations

# sample types (samples.schema.yaml `type`)
CELL_TYPES = frozenset({"ctc", "wbc"})
BULK_TYPES = frozenset({"primary", "metastasis", "normal"})
TUMOUR_TYPES = frozenset({"ctc", "primary", "metastasis"})
NORMAL_TYPES = frozenset({"wbc", "normal"})
PRIMARY = "primary"

# library kinds (units.schema.yaml `library`), sorted
LIBRARIES = ("lowpass_wgs", "panel", "wes", "wgs")

# a status or call that could not be read from the data
NOT_ASSESSABLE = "not_assessable"

# a sample's copy-number QC (status column `cn_qc`): its profile passed; it
# failed on MAPD or Gini alone with enough reads, so only its gene calls that
# beat its own noise or detection limit stand (single cells); it failed
CN_QC_PASS = "pass"
CN_QC_NOISY = "noisy"
CN_QC_FAIL = "fail"
# the cells whose ERBB2 / EGFR calls count
CN_QC_CALLED = frozenset({CN_QC_PASS, CN_QC_NOISY})

# a sample's identity (status column `identity`, variants/identity.py): its
# germline is its patient's; a mismatch reads "mismatch: looks like P2"
IDENTITY_MATCH = "match"
IDENTITY_MISMATCH = "mismatch"


def is_mismatch(identity: object) -> bool:
    """Whether an identity verdict says the sample is not from its patient."""
    return str(identity).startswith(IDENTITY_MISMATCH)


# HER2 statuses besides not_assessable
POSITIVE = "positive"
NEGATIVE = "negative"
EQUIVOCAL = "equivocal"
# a single cell called negative (HER2, or EGFR not amplified) whose own
# detection limit is above `copy_number.max_detectable_cn`, or a noisy cell's
# gain within what its noise makes (copy_number/assessability.py)
INDETERMINATE = "indeterminate"

# genotype states of a variant in a sample (variants/states.py tells them apart)
MUTANT = "mutant"
WILDTYPE = "wildtype"
NO_COVERAGE = "no_coverage"
DROPOUT_POSSIBLE = "dropout_possible"
# a cell's alt reads at a site outside the hotspot table that no other sample
# shows: an early amplification error reaches 25-50% of a cell's reads, so
# this is never `mutant` (variants/private.py)
PRIVATE_UNCONFIRMED = "private_unconfirmed"
STATES = (MUTANT, WILDTYPE, NO_COVERAGE, DROPOUT_POSSIBLE, PRIVATE_UNCONFIRMED)
# states that neither show nor exclude a mutation
UNRESOLVED_STATES = frozenset({DROPOUT_POSSIBLE, NO_COVERAGE})
