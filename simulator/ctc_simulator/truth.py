"""What the workflow should find: each sample's make-up (clone, failed
amplification), per-sample copy-number segments, gene-level HER2/EGFR status,
small variants with their genotype and dropout, and the CTC-versus-primary
discordance calls; plus a README describing the columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .atomic import write_text, write_tsv
from .clones import CopyNumberProfile
from .genome import Genome
from .hotspots import Hotspot
from .spec import LibrarySpec, PatientSpec, SampleSpec
from .truth_rules import EGFR_FOLD, egfr_is_amplified, her2_group, is_sex_chromosome
from .variants import Variant, genotypes
from .wga import Amplification

STATUS_RANK = {"negative": 0, "absent": 0, "equivocal": 1, "positive": 2, "present": 2}


@dataclass(frozen=True)
class GeneStatus:
    """Per-sample gene-level truth of the cells a sample's call reflects."""

    chr17_ref_cn: float | None
    her2_ratio: float | None
    her2_group: int | None
    her2_status: str | None
    egfr_cn: int | None
    egfr_amplified: bool | None


def gene_cn(genome: Genome, profile: CopyNumberProfile, gene_name: str) -> int:
    gene = genome.gene(gene_name)
    return sum(profile.at(genome, gene.chrom, (gene.start + gene.end) // 2))


def ploidy(genome: Genome, profile: CopyNumberProfile) -> float:
    """Mean total copy number over the autosomes."""
    autosomes = [c for c in genome.chromosomes if not is_sex_chromosome(c.name)]
    lengths = np.array([c.length for c in autosomes], dtype=float)
    means = [profile.mean_total(genome, c.name, 0, c.length) for c in autosomes]
    return float(np.average(means, weights=lengths))


def gene_status(genome: Genome, profile: CopyNumberProfile) -> GeneStatus:
    names = {g.name for g in genome.genes}
    regions = {r.name: r for r in genome.reference_regions}
    ref17 = ratio = group = status = None
    if "ERBB2" in names and "chr17_ref" in regions:
        region = regions["chr17_ref"]
        ref17 = profile.mean_total(genome, region.chrom, region.start, region.end)
        cn = gene_cn(genome, profile, "ERBB2")
        ratio = round(cn / ref17, 3) if ref17 > 0 else float("inf")
        group, status = her2_group(ratio, cn)
    egfr = amplified = None
    if "EGFR" in names:
        egfr = gene_cn(genome, profile, "EGFR")
        amplified = egfr_is_amplified(egfr, ploidy(genome, profile), EGFR_FOLD)
    return GeneStatus(ref17, ratio, group, status, egfr, amplified)


def sample_row(
    patient: str,
    sample: SampleSpec,
    libraries: Sequence[LibrarySpec],
    amplification: Amplification,
) -> tuple[object, ...]:
    failure = sample.failure
    return (
        patient,
        sample.sample,
        sample.type,
        sample.wga,
        None if sample.is_cell else sample.purity,
        sample.clone,
        round(amplification.dropout_fraction(), 4) if sample.is_cell else None,
        failure is not None,
        failure.mode if failure else None,
        *(library.reads_of(sample) for library in libraries),
    )


def sample_header(libraries: Sequence[LibrarySpec]) -> list[str]:
    return [
        "patient",
        "sample",
        "type",
        "wga",
        "purity",
        "clone",
        "ado_fraction",
        "failed",
        "failure",
        *(f"reads_{library.unit}" for library in libraries),
    ]


def copy_number_rows(
    genome: Genome, sample: str, profile: CopyNumberProfile
) -> list[tuple[object, ...]]:
    return [
        (sample, s.chrom, s.start, s.end, s.cn_a, s.cn_b, s.cn)
        for s in profile.segments(genome)
    ]


def gene_rows(
    genome: Genome, sample: str, profile: CopyNumberProfile
) -> list[tuple[object, ...]]:
    status = gene_status(genome, profile)
    return [
        (
            sample,
            gene.name,
            gene_cn(genome, profile, gene.name),
            status.chr17_ref_cn,
            status.her2_ratio,
            status.her2_group,
            status.her2_status,
            status.egfr_cn,
            status.egfr_amplified,
        )
        for gene in genome.genes
    ]


def site_state(
    genome: Genome,
    variants: Sequence[Variant],
    profile: CopyNumberProfile,
    amplification: Amplification | None,
) -> tuple[list[str], np.ndarray]:
    """Genotype and dropout flag of each variant in one sample."""
    if not variants:
        return [], np.zeros(0, dtype=bool)
    positions = np.array(
        [genome.global_pos(v.chrom, v.pos - 1) for v in variants], dtype=np.int64
    )
    bins = genome.bins_of(positions)
    carriers = np.array([v.on_haplotype for v in variants], dtype=bool)
    copies = profile.copies[:, bins].T
    if amplification is None:
        dropped = np.zeros_like(carriers)
    else:
        dropped = amplification.dropout[:, bins].T
    return genotypes(carriers, copies, dropped)


def variant_rows(
    genome: Genome,
    sample: SampleSpec,
    variants: Sequence[Variant],
    profile: CopyNumberProfile,
    amplification: Amplification | None,
) -> list[tuple[object, ...]]:
    order = {c.name: i for i, c in enumerate(genome.chromosomes)}
    ordered = sorted(variants, key=lambda v: (order[v.chrom], v.pos, v.ref, v.alt))
    labels, lost = site_state(
        genome, ordered, profile, amplification if sample.is_cell else None
    )
    return [
        (
            sample.sample,
            v.chrom,
            v.pos,
            v.ref,
            v.alt,
            v.origin,
            v.gene,
            v.protein_change,
            label,
            bool(flag),
        )
        for v, label, flag in zip(ordered, labels, lost)
    ]


def hotspot_presence(
    genome: Genome,
    hotspots: Sequence[Hotspot],
    variants: Sequence[Variant],
    profile: CopyNumberProfile,
) -> dict[str, str]:
    """present/absent of each hotspot in a clone's cells."""
    carried = {(v.chrom, v.pos, v.ref, v.alt): v for v in variants}
    presence = {}
    for spot in hotspots:
        variant = carried.get((spot.chrom, spot.pos, spot.ref, spot.alt))
        label = "absent"
        if variant is not None:
            labels, _ = site_state(genome, [variant], profile, None)
            label = "present" if "1" in labels[0] else "absent"
        presence[spot.key] = label
    return presence


def discordance_call(primary: str, ctc: str) -> str:
    difference = STATUS_RANK[ctc] - STATUS_RANK[primary]
    return "gain" if difference > 0 else "loss" if difference < 0 else "concordant"


def discordance_rows(
    genome: Genome,
    patient: PatientSpec,
    hotspots: Sequence[Hotspot],
    profiles: dict[str, CopyNumberProfile],
    carried: dict[str, list[Variant]],
) -> list[tuple[object, ...]]:
    primaries = [s for s in patient.samples if s.type == "primary"]
    if not primaries:
        return []
    primary = primaries[0]

    def features(clone: str) -> dict[str, str]:
        values = {}
        status = gene_status(genome, profiles[clone]).her2_status
        if status is not None:
            values["HER2"] = status
        values.update(
            hotspot_presence(genome, hotspots, carried[clone], profiles[clone])
        )
        return values

    reference = features(primary.clone)
    rows: list[tuple[object, ...]] = []
    for ctc in (s for s in patient.samples if s.type == "ctc"):
        values = features(ctc.clone)
        for feature, primary_value in reference.items():
            rows.append(
                (
                    patient.patient,
                    ctc.sample,
                    feature,
                    primary_value,
                    values[feature],
                    discordance_call(primary_value, values[feature]),
                )
            )
    return rows


def amplification_error_rows(
    genome: Genome,
    patient: str,
    sample: SampleSpec,
    profile: CopyNumberProfile,
    amplification: Amplification,
) -> list[tuple[object, ...]]:
    """Every amplification error site of one cell, with the share of the
    cell's reads expected to show it: the haplotype's fraction carrying the
    error times that haplotype's share of the amplified copies there."""
    pos = amplification.error_pos
    if not sample.is_cell or pos.size == 0:
        return []
    bins = genome.bins_of(pos)
    hap = amplification.error_hap.astype(np.int64)
    amplified = profile.copies[:, bins] * ~amplification.dropout[:, bins]
    total = amplified.sum(axis=0)
    own = amplified[hap, np.arange(pos.size)]
    expected = np.where(total > 0, amplification.error_fraction * own / np.maximum(total, 1), 0.0)
    on_target = np.zeros(pos.size, dtype=bool)
    for target in genome.targets:
        offset = genome.chromosome(target.chrom).offset
        on_target |= (pos >= offset + target.start) & (pos < offset + target.end)
    index, local = genome.locate(pos)
    early = amplification.early()
    return [
        (
            patient,
            sample.sample,
            genome.chromosomes[c].name,
            p + 1,
            chr(ref),
            chr(alt),
            "ab"[h],
            round(float(e), 4),
            bool(x),
            bool(t),
        )
        for c, p, ref, alt, h, e, x, t in zip(
            index.tolist(),
            local.tolist(),
            genome.sequence[pos].tolist(),
            amplification.error_alt.tolist(),
            hap.tolist(),
            expected.tolist(),
            early.tolist(),
            on_target.tolist(),
        )
    ]


AMPLIFICATION_ERROR_HEADER = [
    "patient",
    "sample",
    "chrom",
    "pos",
    "ref",
    "alt",
    "haplotype",
    "expected_read_fraction",
    "early",
    "on_target",
]


def low_depth_rows(genome: Genome, sample: str, amplification: Amplification) -> list[tuple[object, ...]]:
    """The panel targets a cell captures at a cut yield."""
    if amplification.target_yield is None:
        return []
    return [
        (sample, t.chrom, t.start, t.end, round(float(m), 4))
        for t, m in zip(genome.targets, amplification.target_yield.tolist())
        if m < 1.0
    ]


README = """# Truth of the simulated cohort

Written by `simulator/simulate_cohort.py`; every table is tab-separated
with a header line. Coordinates are on the synthetic genome in
`reference/genome.fa`. For a bulk sample the copy-number and gene tables
describe its tumour clone; `samples.tsv` gives the tumour cell fraction
(purity), the rest being normal diploid cells.

## samples.tsv
One row per sample, in the order of the sample sheet.

| column | meaning |
| --- | --- |
| patient, sample, type, wga, purity | as in the sample sheet |
| clone | the clone the sample's tumour cells (or the cell) belong to |
| ado_fraction | single cells: fraction of the genome where one haplotype was not amplified |
| failed | true when the cell's amplification failed: its copy number and variants cannot be called, and the workflow's QC should reject it |
| failure | low_yield (almost no DNA: a few hundred reads per library) or adapter_dimers (usual read count, mostly adapter dimers and unmappable artefacts); empty when not failed |
| reads_<unit> | reads (pairs for paired libraries) written for each library unit |

The copy-number, gene and variant rows of a failed cell describe its clone:
what a successful amplification would have shown.

## copy_number.tsv
Copy-number segments of every sample, covering the whole genome.

| column | meaning |
| --- | --- |
| sample | sample ID |
| chrom, start, end | segment, 0-based half-open |
| cn_a, cn_b | copies of haplotype a and b |
| cn | total copy number (cn_a + cn_b) |

## genes.tsv
One row per sample and gene of `reference/genes.bed`; the HER2 and EGFR columns
are per sample and repeated on each of its rows.

| column | meaning |
| --- | --- |
| sample, gene | IDs |
| cn | total copy number at the gene's midpoint |
| chr17_ref_cn | mean copy number over `chr17_ref` (the CEP17-like reference) |
| her2_ratio | ERBB2 cn / chr17_ref_cn |
| her2_group | ASCO/CAP 2018 ISH group: 1 ratio>=2 & cn>=4; 2 ratio>=2 & cn<4; 3 ratio<2 & cn>=6; 4 ratio<2 & 4<=cn<6; 5 otherwise |
| her2_status | positive (group 1), equivocal (3, 4) or negative (2, 5) |
| egfr_cn | total copy number of EGFR |
| egfr_amplified | true when EGFR cn >= 1.6 x the ploidy (mean autosomal copy number) |

## variants.tsv
Every germline SNP of the patient and every somatic variant of the sample's
clone lineage, in VCF conventions (1-based, indels anchored on the preceding
base).

| column | meaning |
| --- | --- |
| sample, chrom, pos, ref, alt | site |
| origin | germline or somatic |
| gene | gene containing the site, if any |
| protein_change | e.g. L858R for hotspot mutations, empty otherwise |
| genotype | alleles present in the cells: 0/1 both, 1/1 alt only, 0/0 ref only (the alt haplotype was lost), ./. none (homozygous deletion) |
| dropped_out | single cells only: true when allelic dropout left an allele the cell has unamplified at this site (the reads will miss it) |

## discordance.tsv
Each CTC compared with the primary tumour, per feature.

| column | meaning |
| --- | --- |
| patient, ctc | IDs |
| feature | HER2 (values positive/equivocal/negative) or GENE:protein_change of each hotspot in `reference/hotspots.tsv` (values present/absent) |
| primary_value, ctc_value | the feature in the primary's tumour clone and in the CTC |
| call | gain (CTC positive/present, primary not), loss (the reverse) or concordant |

## amplification_errors.tsv
Every amplification error site of every single cell (CTCs and WBCs): a base
the cell's whole-genome amplification changed on one haplotype, carried by a
share of that haplotype's molecules. Each kit makes errors genome-wide, a
share of them early (in the first rounds: inherited by 20-100% of the
haplotype's molecules); `--early-errors-on-target N` adds N early ones at
panel bases of every cell. No other sample has them: none is a variant of
`variants.tsv`.

| column | meaning |
| --- | --- |
| patient, sample | IDs |
| chrom, pos, ref, alt | site (1-based) and the erroneous base |
| haplotype | a or b, the haplotype the error arose on |
| expected_read_fraction | share of the cell's reads at the site expected to carry it: the haplotype's carrying fraction times that haplotype's share of the amplified copies there (0 where it dropped out) |
| early | true for an early error (0.1-0.5 of the reads with one copy of each haplotype) |
| on_target | inside a panel target of `reference/panel_targets.bed` |
"""


# Appended only to the README of cohorts with private SNVs, so the truth of
# every other cohort stays byte-identical.
PRIVATE_SNVS_NOTE = """
## Private SNVs
Each CTC also carries somatic SNVs of its own (`--private-snvs`): in
`variants.tsv` they are somatic rows of that CTC alone, listed for no other
sample of the patient: one copy of two, in panel exons where the CTC's clone
has one copy of each haplotype.
"""


# Appended only to the README of cohorts with chromosome-level scatter, so the
# truth of every other cohort stays byte-identical.
CHROMOSOME_LEVELS_NOTE = """
## chromosome_levels.tsv
The cells' coverage carries a random level per chromosome (`--chromosome-sd`),
an amplification artefact, not copy number: copy_number.tsv and genes.tsv are
unchanged by it. One row per cell and chromosome: sample, chrom, log2_level
(up to the common scale each cell's coverage is renormalised by).
"""


def chromosome_level_rows(
    genome: Genome, sample: str, amplification: Amplification
) -> list[tuple[object, ...]]:
    levels = amplification.chromosome_log2
    if levels is None:
        return []
    return [
        (sample, chrom.name, round(float(level), 4))
        for chrom, level in zip(genome.chromosomes, levels)
    ]


def write_truth(
    truth_dir: Path,
    libraries: Sequence[LibrarySpec],
    samples: list[tuple[object, ...]],
    copy_number: list[tuple[object, ...]],
    genes: list[tuple[object, ...]],
    variants: list[tuple[object, ...]],
    discordance: list[tuple[object, ...]],
    readme: str = README,
) -> list[Path]:
    return [
        write_tsv(truth_dir / "samples.tsv", sample_header(libraries), samples),
        write_tsv(
            truth_dir / "copy_number.tsv",
            ["sample", "chrom", "start", "end", "cn_a", "cn_b", "cn"],
            copy_number,
        ),
        write_tsv(
            truth_dir / "genes.tsv",
            [
                "sample",
                "gene",
                "cn",
                "chr17_ref_cn",
                "her2_ratio",
                "her2_group",
                "her2_status",
                "egfr_cn",
                "egfr_amplified",
            ],
            genes,
        ),
        write_tsv(
            truth_dir / "variants.tsv",
            [
                "sample",
                "chrom",
                "pos",
                "ref",
                "alt",
                "origin",
                "gene",
                "protein_change",
                "genotype",
                "dropped_out",
            ],
            variants,
        ),
        write_tsv(
            truth_dir / "discordance.tsv",
            ["patient", "ctc", "feature", "primary_value", "ctc_value", "call"],
            discordance,
        ),
        write_text(truth_dir / "README.md", readme),
    ]


# Appended only to the README of cohorts with shared germline SNPs.
SHARED_GERMLINE_NOTE = """
## Shared germline SNPs
`--shared-germline-fraction` draws that share of each patient's germline SNPs
from a cohort-wide pool of common SNPs (genome-wide and denser in panel exons),
each with a population allele frequency AF ~ Beta(0.5, 0.5) clipped to
0.01-0.99. Each patient's haplotypes carry a pool allele with probability AF
each (Hardy-Weinberg); `variants.tsv` lists the sites a patient carries as
germline rows, like its own SNPs. `resources/population_af.vcf.gz` lists every
pool site with its AF (INFO/AF), as a gnomAD extract would.
"""


# Appended only to the README of cohorts with a forced locus dropout.
FORCED_DROPOUT_NOTE = """
## Forced dropout
`--forced-dropout-ctcs N`: in N of the CTCs carrying EGFR L858R the haplotype
with the mutant allele was not amplified over a 3-10 kb tract around it (the
other haplotype was); their genome-wide dropout is the kit's. Their L858R row
in `variants.tsv` has dropped_out true, and `discordance.tsv` still calls the
mutation present: the cell carries it, its reads do not show it.
"""


# Appended only to the README of cohorts with low-depth WBC targets.
LOW_DEPTH_NOTE = """
## low_depth_targets.tsv
`--wbc-low-depth-share`: panel targets each WBC captures at a cut yield, so
its germline sites there get only a few reads. Columns: sample, chrom, start,
end (0-based half-open, as `reference/panel_targets.bed`), yield_multiplier
(0.05-0.15, times the target's usual capture).
"""

SWAP_NOTE = """
## identity.tsv
`--swapped-ctcs`: CTCs whose tubes were swapped between two patients. Columns:
sample (the sheet's name), patient (the sheet's patient), reads_from (the
sample whose cell the reads under that name come from) and true_patient.
Every other truth table is keyed by the cell itself (reads_from), not by the
name its reads are filed under.
"""
