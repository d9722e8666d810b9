"""How sure it is that a CTC lacks a mutation its primary tumour carries.

A `wildtype` call says a cell shows no alt read where a heterozygous copy
would have shown some, weighed with the cell's genome-wide dropout. But
dropout strikes one locus whatever the cell's average says, and a mutation
seen in the primary (a truncal driver, most often) is far more likely to be
in the CTC than not. So `loss` is claimed only when the probability that the
cell does not carry the mutation reaches `discordance.min_loss_posterior`,
with the mutant allele allowed to drop out at the kit's rate (or the cell's
measured rate, where higher) and the primary's cancer-cell fraction (from
its allele fraction, purity and copy number at the gene) as the prior of
carrying it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scipy.stats import binom

from ctc_profiler.core.settings import FromConfig
from ctc_profiler.core.wga_kits import kit_ado_prior

# the prior of carrying is kept inside these bounds: a single bulk sample
# cannot rule a mutation in or out of every cell
MIN_CARRIER_PRIOR, MAX_CARRIER_PRIOR = 0.01, 0.99


@dataclass(frozen=True)
class LossSettings(FromConfig):
    min_loss_posterior: float = 0.99
    sequencing_error: float = 0.002
    default_purity: float = 0.5
    ado_prior: dict[str, float] = field(default_factory=lambda: {"default": 0.2, "MDA": 0.3})


@dataclass(frozen=True)
class LossEvidence:
    probability: float  # that the CTC does not carry the mutation
    carrier_prior: float
    locus_dropout: float

    def describe(self) -> str:
        return (f"P(not carried) {self.probability:.3f} with locus dropout {self.locus_dropout:.2f} "
                f"and the primary's cancer-cell fraction {self.carrier_prior:.2f} as prior")


def carrier_prior(primary_alt: int, primary_depth: int, purity: float | None, default_purity: float,
                  copy_number: float | None = None) -> float:
    """The share of tumour cells carrying a mutation on one of their copies,
    from the primary's allele fraction, purity p and tumour copy number C at
    the site (2 where unknown): VAF x (p C + 2 (1 - p)) / p. A mutation on
    several copies of a gained gene gives more than the truth, which only
    makes a loss harder to claim."""
    if primary_depth <= 0:
        return MAX_CARRIER_PRIOR
    fraction = primary_alt / primary_depth
    tumour = purity if purity is not None and purity > 0 else default_purity
    copies = copy_number if copy_number is not None and copy_number > 0 else 2.0
    cancer_cells = fraction * (tumour * copies + 2 * (1 - tumour)) / tumour
    return min(MAX_CARRIER_PRIOR, max(MIN_CARRIER_PRIOR, cancer_cells))


def loss_evidence(alt_reads: int, depth: int, prior: float, kit: str, measured_ado: float | None,
                  settings: LossSettings) -> LossEvidence:
    """Posterior of not carrying: reads of a carrier are a heterozygous draw
    unless the mutant allele dropped out, then errors alone, as for a
    non-carrier."""
    kit_rate = kit_ado_prior(kit, settings.ado_prior)
    dropout = max(kit_rate, measured_ado) if measured_ado is not None else kit_rate
    errors_only = float(binom.pmf(alt_reads, depth, settings.sequencing_error))
    carrier = dropout * errors_only + (1 - dropout) * float(binom.pmf(alt_reads, depth, 0.5))
    absent = (1 - prior) * errors_only
    total = absent + prior * carrier
    probability = absent / total if total > 0 else 0.0
    return LossEvidence(probability, prior, dropout)
