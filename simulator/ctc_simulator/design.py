"""A cohort as a lab describes it ("a HER2-negative primary, 8 CTCs of which 3
ERBB2-amplified, MALBAC, 1 M reads per cell"), and its translation into the
`CohortSpec` the simulator runs.

The same keys come from the command line or from a cohort YAML file; both
go through `design_from_mapping`, so a setting gives the same cohort whichever
way it was written. The demo preset is the default design.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .genome import check_genes_fit
from .hotspots import EGFR_HOTSPOTS, ERBB2_HOTSPOTS
from .spec import (
    GRCH38_CHROMOSOMES,
    GRCH38_CUT_CHROMOSOMES,
    GRCH38_GENES,
    GRCH38_REAL_GENES,
    GRCH38_REAL_REGIONS,
    REFERENCE_REGIONS,
    CloneSpec,
    CnEventSpec,
    CohortSpec,
    FailureSpec,
    ForcedDropoutSpec,
    GenomeSpec,
    LibrarySpec,
    PatientSpec,
    SampleSpec,
    SomaticHotspotSpec,
    shrink,
)
from .wga import WGA_KITS

CELL_KITS = tuple(name for name in WGA_KITS if name != "none")
FAILURE_CHOICES = ("low-yield", "adapter-dimers", "mixed")
HER2_CHOICES = ("negative", "positive")
GENOME_CHOICES = ("scaled", "grch38")
# Bulk DNA is plentiful: the primary's panel gets this many times a cell's reads.
PRIMARY_PANEL_FACTOR = 3
# The amplicon starts this far before ERBB2 and runs on over GRB7 (and TOP2A
# when long enough), as the 17q12 amplicon does.
AMPLICON_UPSTREAM_BP = 80_000
MIN_AMPLICON_KB = 50  # shorter would not cover ERBB2 (42.5 kb) itself
MIN_EGFR_AMPLICON_KB = 200  # shorter would not cover EGFR (188 kb) itself


@dataclass(frozen=True)
class CohortDesign:
    """Every patient gets the same design; patients differ by their random
    streams. CTCs are assigned in order: the ERBB2-amplified ones first,
    then the EGFR L858R ones, then the EGFR-amplified ones, then cells like
    the primary's trunk; failed cells are the last CTCs."""

    patients: int = 1
    patient_prefix: str = "P"
    ctcs: int = 4
    amplified_ctcs: int = 2
    egfr_l858r_ctcs: int = 1
    egfr_amplified_ctcs: int = 0
    egfr_amplicon_cn: tuple[int, ...] = (10,)  # several: EGFR-amplified CTCs take them in turn
    egfr_amplicon_kb: int = 1000
    wbcs: int = 2
    failed_cells: int = 0
    failure_mode: str = "low-yield"
    failed_reads: int = 200
    junk_fraction: float = 0.95
    kit: str = "PicoPLEX"
    ado: float | None = None
    chromosome_sd: float = 0.0
    erbb2_cn: tuple[int, ...] = (10,)  # several: amplified CTCs take them in turn
    amplicon_kb: int = 600
    primary_her2: str = "negative"
    chr17q_gain: bool = True
    primary_purity: float = 0.7
    reads_per_cell: int = 60_000
    primary_reads: int = 150_000
    panel: bool = True
    panel_reads: int = 4_000
    scale_divisor: int = 40
    private_snvs: int = 0
    genome: str = "scaled"
    early_errors_on_target: int = 0
    shared_germline_fraction: float = 0.0
    primary_egfr_l858r: bool = False
    forced_dropout_ctcs: int = 0
    wbc_low_depth_share: float = 0.0
    swapped_ctcs: int = 0
    subclone_events: bool = False

    @property
    def kits(self) -> tuple[str, ...]:
        """The kits of `kit` (comma-separated): patient i gets kits[i % len(kits)]."""
        return tuple(k.strip() for k in self.kit.split(",") if k.strip())

    def l858r_ctcs(self) -> list[int]:
        """0-based indices of the CTCs whose clone carries EGFR L858R and whose
        amplification did not fail."""
        first_failed = self.ctcs - self.failed_cells
        if self.primary_egfr_l858r:
            return list(range(first_failed))
        start = self.amplified_ctcs
        return list(range(start, min(start + self.egfr_l858r_ctcs, first_failed)))


HELP: dict[str, str] = {
    "patients": "patients, each with a primary tumour, WBCs and CTCs",
    "patient_prefix": "patient IDs are this followed by 1, 2, ...; they also key the "
    "random streams, so other IDs give other cells",
    "ctcs": "CTCs per patient",
    "amplified_ctcs": "of the CTCs, how many carry the ERBB2 amplicon",
    "egfr_l858r_ctcs": "of the CTCs, how many carry EGFR L858R (distinct from the amplified ones)",
    "egfr_amplified_ctcs": "of the CTCs, how many carry an EGFR amplicon (after the ERBB2-amplified "
    "and L858R ones)",
    "egfr_amplicon_cn": "total copy number of the EGFR amplicon in EGFR-amplified cells; several, "
    "e.g. 4,8,20, are given to those CTCs in turn (truth/genes.tsv: amplified at 1.6 x the ploidy)",
    "egfr_amplicon_kb": f"length of the EGFR amplicon in kb, centred on EGFR (at least {MIN_EGFR_AMPLICON_KB})",
    "wbcs": "WBC control cells per patient, amplified with the same kit",
    "failed_cells": "of the CTCs, how many failed amplification (the last ones; "
    "truth/samples.tsv marks them failed)",
    "failure_mode": "how failed cells look: low-yield (--failed-reads reads), adapter-dimers "
    "(usual depth, --junk-fraction of it adapter dimers or unmappable), or mixed "
    "(alternating over the cohort's failed cells)",
    "failed_reads": "reads (pairs) of every library of a low-yield failed cell",
    "junk_fraction": "share of adapter dimers / unmappable reads in an adapter-dimers failed cell",
    "kit": "whole-genome amplification kit of every cell (CTCs and WBCs), or several, "
    "comma-separated, e.g. DOP-PCR,MALBAC,MDA: patient i (from 0) gets kit i modulo their "
    f"number; one of {', '.join(CELL_KITS)}",
    "ado": "allelic-dropout rate replacing the kit's (fraction of the genome in dropout windows)",
    "chromosome_sd": "SD (log2) of a random coverage level per chromosome in every cell; real "
    "diploid DOP-PCR cells show about 0.27, the kit presets none",
    "erbb2_cn": "total copy number of the ERBB2 amplicon in amplified cells (the chr17 "
    "reference has 3 copies with --chr17q-gain, so 6 or more is HER2-positive; 2 "
    "without, so 4 or more); several, e.g. 6,10, are given to the amplified CTCs in turn",
    "amplicon_kb": f"length of the ERBB2 amplicon in kb (at least {MIN_AMPLICON_KB})",
    "primary_her2": "HER2 status of the primary tumour: positive gives it the ERBB2 amplicon",
    "chr17q_gain": "the tumour gains a copy of 17q, its CEP17-like chr17 reference "
    "included (a HER2 ratio of 2 at 6 copies); without, chr17 keeps 2 copies",
    "primary_purity": "tumour cell fraction of the primary tumour sample",
    "reads_per_cell": "low-pass WGS reads per cell (single-end)",
    "primary_reads": "low-pass WGS reads of the primary tumour",
    "panel": "also sequence a targeted panel (EGFR, ERBB2 exons) of every sample",
    "panel_reads": f"panel read pairs per cell (the primary gets {PRIMARY_PANEL_FACTOR}x)",
    "scale_divisor": "genome size: GRCh38 chromosome lengths divided by this (1 to "
    "about 55, beyond which the 17q12 genes no longer fit chr17)",
    "genome": "scaled: six chromosomes named and proportioned like GRCh38's, scaled "
    "down by --scale-divisor; grch38: chr7 and chr17 at real GRCh38 positions (cut "
    "at 72.5 and 41.5 Mb, 114 Mb in all), real EGFR/ERBB2 exons and hotspot "
    "reference bases, so the workflow's shipped GRCh38 tables fit it "
    "(--scale-divisor is ignored)",
    "private_snvs": "heterozygous SNVs of each CTC's own (in no other sample), in panel "
    "exons where its clone has one copy of each haplotype; truth/variants.tsv lists "
    "them for that CTC only",
    "early_errors_on_target": "early amplification errors added to every cell (CTCs and WBCs) "
    "at random panel bases: one haplotype, 0.1-0.5 of the cell's reads at the site, about "
    "half C>T/G>A; listed in truth/amplification_errors.tsv (the kits' own early share of "
    "their genome-wide errors applies besides)",
    "shared_germline_fraction": "share (0-1) of each patient's germline SNPs drawn from a "
    "cohort-wide pool of common SNPs (panel exons included) genotyped by Hardy-Weinberg "
    "from a population AF ~ Beta(0.5, 0.5) in 0.01-0.99; written as "
    "resources/population_af.vcf.gz and named in config.yaml (resources: germline)",
    "primary_egfr_l858r": "the primary tumour's trunk clone carries EGFR L858R "
    "(heterozygous), so every CTC does (needs --egfr-l858r-ctcs 0)",
    "subclone_events": "the ERBB2-amplified CTCs' clone also gains chr11 and 8q: broad events of its own, "
    "as a subclone of the primary",
    "swapped_ctcs": "per pair of patients (P1 and P2, P3 and P4, ...), the last CTCs that did not fail "
    "whose tubes are swapped: each one's reads filed under the other's name; truth/identity.tsv",
    "forced_dropout_ctcs": "of the CTCs carrying EGFR L858R (not failed), how many lose the "
    "mutant haplotype over a 3-10 kb tract around it (genome-wide dropout stays the "
    "kit's); truth/variants.tsv marks the site dropped_out, the cell stays a carrier",
    "wbc_low_depth_share": "share (0-1) of the panel targets that each WBC captures at "
    "0.05-0.15 of their yield, so germline sites there get a few reads in that WBC; "
    "listed in truth/low_depth_targets.tsv",
}

FIELDS: dict[str, dataclasses.Field[Any]] = {
    f.name: f for f in dataclasses.fields(CohortDesign)
}
INT_FIELDS = {
    "patients",
    "ctcs",
    "amplified_ctcs",
    "egfr_l858r_ctcs",
    "egfr_amplified_ctcs",
    "egfr_amplicon_kb",
    "wbcs",
    "failed_cells",
    "failed_reads",
    "amplicon_kb",
    "reads_per_cell",
    "primary_reads",
    "panel_reads",
    "scale_divisor",
    "private_snvs",
    "early_errors_on_target",
    "forced_dropout_ctcs",
    "swapped_ctcs",
}
FLOAT_FIELDS = {
    "junk_fraction",
    "ado",
    "chromosome_sd",
    "primary_purity",
    "shared_germline_fraction",
    "wbc_low_depth_share",
}
FLAG_FIELDS = {"panel", "chr17q_gain", "primary_egfr_l858r", "subclone_events"}
CHOICES: dict[str, tuple[str, ...]] = {
    "failure_mode": FAILURE_CHOICES,
    "primary_her2": HER2_CHOICES,
    "genome": GENOME_CHOICES,
}


class DesignError(ValueError):
    pass


# ----------------------------------------------------------------- parsing
def parse_count(text: object) -> int:
    """A whole number written as 1000000, 1_000_000, 1e6, 1.5M or 250k."""
    if isinstance(text, bool):
        raise DesignError(f"expected a whole number, got {text!r}")
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        value = text
    else:
        raw = str(text).strip().replace("_", "").replace(",", "")
        factor = 1.0
        suffix = raw[-1:].lower()
        if suffix in ("k", "m"):
            factor = 1e3 if suffix == "k" else 1e6
            raw = raw[:-1]
        try:
            value = float(raw) * factor
        except ValueError:
            raise DesignError(f"expected a whole number, got {text!r}") from None
    if not math.isfinite(value) or not value.is_integer():
        raise DesignError(f"expected a whole number, got {text!r}")
    return int(value)


def parse_fraction(text: object) -> float:
    if isinstance(text, bool):
        raise DesignError(f"expected a number, got {text!r}")
    try:
        return float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DesignError(f"expected a number, got {text!r}") from None


def parse_flag(text: object) -> bool:
    if isinstance(text, bool):
        return text
    lowered = str(text).strip().lower()
    if lowered in ("true", "yes", "1", "on"):
        return True
    if lowered in ("false", "no", "0", "off"):
        return False
    raise DesignError(f"expected true or false, got {text!r}")


def parse_levels(value: object) -> tuple[int, ...]:
    """Copy numbers: one, a list, or comma-separated text."""
    if isinstance(value, (list, tuple)):
        items: list[object] = list(value)
    elif isinstance(value, str):
        items = [v for v in value.split(",") if v.strip()]
    else:
        items = [value]
    if not items:
        raise DesignError("expected at least one copy number")
    return tuple(parse_count(item) for item in items)


def parse_kits(value: object) -> str:
    """One kit, a list, or comma-separated text, kept as comma-separated text."""
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    kits = [str(item).strip() for item in items if str(item).strip()]
    if not kits:
        raise DesignError("expected at least one kit")
    return ",".join(kits)


def parse_value(key: str, value: object) -> object:
    """One design value from its command-line or YAML form."""
    if key == "ado" and value is None:
        return None
    if key in ("erbb2_cn", "egfr_amplicon_cn"):
        return parse_levels(value)
    if key == "kit":
        return parse_kits(value)
    if key in INT_FIELDS:
        return parse_count(value)
    if key in FLOAT_FIELDS:
        return parse_fraction(value)
    if key in FLAG_FIELDS:
        return parse_flag(value)
    return str(value)


def canonical_key(key: str) -> str:
    return key.strip().replace("-", "_")


def design_from_mapping(
    values: Mapping[str, object], base: CohortDesign | None = None
) -> CohortDesign:
    """`base` (the demo by default) with the given keys replaced; keys may be
    written with - or _. Unknown keys and bad values are errors."""
    changes: dict[str, object] = {}
    for raw_key, value in values.items():
        key = canonical_key(str(raw_key))
        if key not in FIELDS:
            raise DesignError(
                f"unknown cohort key {raw_key!r}; known keys: "
                + ", ".join(k.replace("_", "-") for k in FIELDS)
            )
        try:
            changes[key] = parse_value(key, value)
        except DesignError as error:
            raise DesignError(f"{key.replace('_', '-')}: {error}") from None
    design = dataclasses.replace(base or CohortDesign(), **changes)
    validate(design)
    return design


def read_design_file(
    path: Path | str, base: CohortDesign | None = None
) -> CohortDesign:
    """A cohort YAML file: a mapping of design keys (missing keys keep `base`)."""
    with open(path, encoding="utf-8") as handle:
        try:
            loaded = yaml.safe_load(handle)
        except yaml.YAMLError as error:
            raise DesignError(f"{path}: not valid YAML: {error}") from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise DesignError(f"{path}: a cohort file holds a mapping of keys to values")
    try:
        return design_from_mapping(loaded, base)
    except DesignError as error:
        raise DesignError(f"{path}: {error}") from None


def validate(design: CohortDesign) -> None:
    problems = []

    def need(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    for key, allowed in CHOICES.items():
        value = getattr(design, key)
        need(
            value in allowed,
            f"{key.replace('_', '-')} must be one of {', '.join(allowed)}, not {value!r}",
        )
    unknown = [k for k in design.kits if k not in CELL_KITS]
    need(
        bool(design.kits) and not unknown,
        f"kit must be one of {', '.join(CELL_KITS)} (or several, comma-separated), "
        f"not {', '.join(unknown) or repr(design.kit)}",
    )
    need(design.patients >= 1, "patients must be at least 1")
    need(
        re.fullmatch(r"[A-Za-z0-9_.-]+", design.patient_prefix) is not None,
        "patient-prefix may hold only letters, digits, _ . and -",
    )
    for key in (
        "ctcs",
        "amplified_ctcs",
        "egfr_l858r_ctcs",
        "egfr_amplified_ctcs",
        "wbcs",
        "failed_cells",
        "failed_reads",
        "private_snvs",
        "early_errors_on_target",
        "forced_dropout_ctcs",
        "swapped_ctcs",
    ):
        need(getattr(design, key) >= 0, f"{key.replace('_', '-')} cannot be negative")
    for key in ("shared_germline_fraction", "wbc_low_depth_share"):
        need(0.0 <= getattr(design, key) <= 1.0, f"{key.replace('_', '-')} must be in [0, 1]")
    need(
        not (design.primary_egfr_l858r and design.egfr_l858r_ctcs),
        "primary-egfr-l858r: every CTC descends from the primary and carries L858R, so "
        f"egfr-l858r-ctcs must be 0, not {design.egfr_l858r_ctcs}",
    )
    need(design.swapped_ctcs == 0 or design.patients >= 2, "swapped-ctcs needs at least 2 patients")
    need(
        design.swapped_ctcs <= design.ctcs - design.failed_cells,
        f"swapped-ctcs ({design.swapped_ctcs}) exceed the CTCs that did not fail "
        f"({design.ctcs - design.failed_cells})",
    )
    carriers = len(design.l858r_ctcs())
    need(
        design.forced_dropout_ctcs <= carriers,
        f"forced-dropout-ctcs ({design.forced_dropout_ctcs}) exceed the CTCs carrying EGFR "
        f"L858R that did not fail ({carriers}; see egfr-l858r-ctcs, primary-egfr-l858r)",
    )
    need(
        design.amplified_ctcs + design.egfr_l858r_ctcs + design.egfr_amplified_ctcs <= design.ctcs,
        f"amplified-ctcs + egfr-l858r-ctcs + egfr-amplified-ctcs ({design.amplified_ctcs} + "
        f"{design.egfr_l858r_ctcs} + {design.egfr_amplified_ctcs}) exceed ctcs ({design.ctcs})",
    )
    need(
        len(design.egfr_amplicon_cn) >= 1 and min(design.egfr_amplicon_cn) >= 1
        and len(set(design.egfr_amplicon_cn)) == len(design.egfr_amplicon_cn),
        "egfr-amplicon-cn: distinct copy numbers of at least 1",
    )
    need(
        design.egfr_amplicon_kb >= MIN_EGFR_AMPLICON_KB,
        f"egfr-amplicon-kb must be at least {MIN_EGFR_AMPLICON_KB}",
    )
    need(
        design.failed_cells <= design.ctcs,
        f"failed-cells ({design.failed_cells}) exceed ctcs ({design.ctcs})",
    )
    need(0.0 <= design.junk_fraction <= 1.0, "junk-fraction must be in [0, 1]")
    need(design.ado is None or 0.0 <= design.ado < 1.0, "ado must be in [0, 1)")
    need(0.0 <= design.chromosome_sd <= 1.0, "chromosome_sd must be in [0, 1]")
    need(
        len(design.erbb2_cn) >= 1 and min(design.erbb2_cn) >= 1,
        "erbb2-cn must be at least 1 (one copy stays on the other haplotype)",
    )
    need(
        len(set(design.erbb2_cn)) == len(design.erbb2_cn), "erbb2-cn levels must differ"
    )
    need(
        design.amplicon_kb >= MIN_AMPLICON_KB,
        f"amplicon-kb must be at least {MIN_AMPLICON_KB}",
    )
    need(0.0 < design.primary_purity <= 1.0, "primary-purity must be in (0, 1]")
    for key in ("reads_per_cell", "primary_reads", "panel_reads"):
        need(getattr(design, key) >= 1, f"{key.replace('_', '-')} must be at least 1")
    need(design.scale_divisor >= 1, "scale-divisor must be at least 1")
    need(
        design.forced_dropout_ctcs == 0 or "EGFR:L858R" in {h.key for h in _genome(design).hotspots},
        "forced-dropout-ctcs: the genome has no EGFR L858R hotspot",
    )
    if problems:
        raise DesignError("; ".join(problems))
    try:
        check_genes_fit(_genome(design))
    except ValueError as error:
        raise DesignError(f"scale-divisor {design.scale_divisor}: {error}") from None


# ------------------------------------------------------------- to a spec
def amplified_clones(design: CohortDesign) -> list[str]:
    """Clone of each ERBB2 level: her2_amplified, or her2_amplified_cn<N> for several."""
    if len(design.erbb2_cn) == 1:
        return ["her2_amplified"]
    return [f"her2_amplified_cn{cn}" for cn in design.erbb2_cn]


def egfr_amplified_clones(design: CohortDesign) -> list[str]:
    """Clone of each EGFR amplicon level: egfr_amplified, or egfr_amplified_cn<N> for several."""
    if len(design.egfr_amplicon_cn) == 1:
        return ["egfr_amplified"]
    return [f"egfr_amplified_cn{cn}" for cn in design.egfr_amplicon_cn]


def _egfr_clones(design: CohortDesign, genome: GenomeSpec) -> tuple[CloneSpec, ...]:
    """The EGFR-amplified clones, one per level: an amplicon centred on EGFR."""
    if not design.egfr_amplified_ctcs:
        return ()
    gene = next(g for g in genome.genes if g.name == "EGFR")
    length = design.egfr_amplicon_kb * 1000
    gene_bp = gene.end - gene.start
    return tuple(
        CloneSpec(
            name,
            parent="primary",
            # haplotype b keeps its single copy, so a carries the rest
            cn_events=(CnEventSpec(gene.chrom, "a", cn - 1, gene="EGFR", upstream_bp=max(0, (length - gene_bp) // 2),
                                   length_bp=length),),
            random_snvs=10,
        )
        for name, cn in zip(egfr_amplified_clones(design), design.egfr_amplicon_cn)
    )


def _subclone_events(design: CohortDesign) -> tuple[CnEventSpec, ...]:
    """Broad events of the ERBB2-amplified clone's own (`subclone_events`):
    chromosomes the trunk leaves alone, and no gene or reference region of the
    HER2 and EGFR calls."""
    if not design.subclone_events:
        return ()
    return (CnEventSpec("chr11", "a", 2), CnEventSpec("chr8", "a", 2, arm="q"))


def _clones(design: CohortDesign) -> tuple[CloneSpec, ...]:
    """normal -> primary (the trunk) -> her2_amplified (one per level) / egfr_l858r /
    egfr_amplified (one per level, when asked for)."""
    amplicon_bp = design.amplicon_kb * 1000
    # Short amplicons are centred on ERBB2; long ones start where the demo's does.
    upstream = min(AMPLICON_UPSTREAM_BP, round(amplicon_bp * 2 / 15))
    amplified = tuple(
        CloneSpec(
            name,
            parent="primary",
            cn_events=(
                # Haplotype b keeps its single copy, so a carries the rest.
                CnEventSpec(
                    "chr17",
                    "a",
                    cn - 1,
                    gene="ERBB2",
                    upstream_bp=upstream,
                    length_bp=amplicon_bp,
                ),
                *_subclone_events(design),
            ),
            random_snvs=10,
        )
        for name, cn in zip(amplified_clones(design), design.erbb2_cn)
    )
    return (
        CloneSpec("normal"),
        CloneSpec(
            "primary",
            parent="normal",
            cn_events=(
                CnEventSpec("chr1", "a", 2, arm="q"),
                CnEventSpec("chr8", "b", 0, arm="p"),
                # A modest arm gain: ERBB2 rises with its CEP17-like reference.
                *((CnEventSpec("chr17", "a", 2, arm="q"),) if design.chr17q_gain else ()),
            ),
            hotspots=(
                (SomaticHotspotSpec("EGFR:L858R", "b"),) if design.primary_egfr_l858r else ()
            ),
            random_snvs=40,
            random_snvs_on_target=3,
        ),
        *amplified,
        CloneSpec(
            "egfr_l858r",
            parent="primary",
            hotspots=(SomaticHotspotSpec("EGFR:L858R", "b"),),
            random_snvs=10,
        ),
        *_egfr_clones(design, _genome(design)),
    )


def _failure(design: CohortDesign, index: int) -> FailureSpec:
    """The index-th failed cell of the cohort (0-based)."""
    mode = design.failure_mode
    if mode == "mixed":
        mode = FAILURE_CHOICES[index % 2]
    if mode == "low-yield":
        return FailureSpec("low_yield", reads=design.failed_reads)
    return FailureSpec("adapter_dimers", junk_fraction=design.junk_fraction)


def _samples(design: CohortDesign, number: int) -> tuple[SampleSpec, ...]:
    """The samples of the number-th patient (0-based)."""
    patient = f"{design.patient_prefix}{number + 1}"
    kits = design.kits
    kit = kits[number % len(kits)]
    forced = set(design.l858r_ctcs()[: design.forced_dropout_ctcs])
    ado = design.ado
    amplified = amplified_clones(design)
    egfr_amplified = egfr_amplified_clones(design)
    primary_clone = amplified[0] if design.primary_her2 == "positive" else "primary"
    width = max(2, len(str(max(design.ctcs, design.wbcs))))
    samples = [
        SampleSpec(
            f"{patient}_primary",
            "primary",
            primary_clone,
            "none",
            design.primary_purity,
        )
    ]
    for i in range(design.wbcs):
        samples.append(
            SampleSpec(
                f"{patient}_WBC{i + 1:0{width}d}", "wbc", "normal", kit, ado_rate=ado,
                chromosome_sd=design.chromosome_sd,
                early_errors_on_target=design.early_errors_on_target,
                low_depth_share=design.wbc_low_depth_share,
            )
        )
    first_failed = design.ctcs - design.failed_cells
    for i in range(design.ctcs):
        if i < design.amplified_ctcs:
            clone = amplified[i % len(amplified)]
        elif i < design.amplified_ctcs + design.egfr_l858r_ctcs:
            clone = "egfr_l858r"
        elif i < design.amplified_ctcs + design.egfr_l858r_ctcs + design.egfr_amplified_ctcs:
            clone = egfr_amplified[(i - design.amplified_ctcs - design.egfr_l858r_ctcs) % len(egfr_amplified)]
        else:
            clone = "primary"
        failure = None
        if i >= first_failed:
            failure = _failure(design, number * design.failed_cells + i - first_failed)
        samples.append(
            SampleSpec(
                f"{patient}_CTC{i + 1:0{width}d}",
                "ctc",
                clone,
                kit,
                ado_rate=ado,
                chromosome_sd=design.chromosome_sd,
                failure=failure,
                private_snvs=design.private_snvs,
                early_errors_on_target=design.early_errors_on_target,
                forced_dropout=(ForcedDropoutSpec("EGFR:L858R"),) if i in forced else (),
            )
        )
    return tuple(samples)


def _libraries(design: CohortDesign) -> tuple[LibrarySpec, ...]:
    cells = design.reads_per_cell
    libraries = [
        LibrarySpec(
            unit="lowpass_wgs",  # unit named as its library: one MultiQC row per library
            library="lowpass_wgs",
            paired=False,
            read_length=100,
            reads={"primary": design.primary_reads, "ctc": cells, "wbc": cells},
            insert_mean=230.0,
            insert_sd=70.0,
        )
    ]
    if design.panel:
        panel = design.panel_reads
        libraries.append(
            LibrarySpec(
                unit="panel",
                library="panel",
                paired=True,
                read_length=100,
                reads={
                    "primary": PRIMARY_PANEL_FACTOR * panel,
                    "ctc": panel,
                    "wbc": panel,
                },
                insert_mean=300.0,
                insert_sd=80.0,
                capture=True,
                on_target_fraction=0.75,
                duplicate_fraction=0.08,
            )
        )
    return tuple(libraries)


def _genome(design: CohortDesign) -> GenomeSpec:
    if design.genome == "grch38":
        return GenomeSpec(
            chromosomes=GRCH38_CUT_CHROMOSOMES,
            genes=GRCH38_REAL_GENES,
            reference_regions=GRCH38_REAL_REGIONS,
            panel_genes=("EGFR", "ERBB2"),
            hotspots=EGFR_HOTSPOTS + ERBB2_HOTSPOTS,
            scale_divisor=1,
            real_exons=True,
        )
    return GenomeSpec(
        chromosomes=GRCH38_CHROMOSOMES,
        genes=GRCH38_GENES,
        reference_regions=REFERENCE_REGIONS,
        panel_genes=("EGFR", "ERBB2"),
        hotspots=EGFR_HOTSPOTS,
        scale_divisor=design.scale_divisor,
    )


def _swaps(design: CohortDesign, patients: tuple[PatientSpec, ...]) -> tuple[tuple[str, str], ...]:
    """Patients paired in order (the last one alone when odd); in each pair
    the last `swapped_ctcs` CTCs that did not fail trade places, one for one."""
    pairs = []
    for first, second in zip(patients[0::2], patients[1::2]):
        ctcs = [[s.sample for s in p.samples if s.type == "ctc" and s.failure is None] for p in (first, second)]
        for k in range(1, design.swapped_ctcs + 1):
            pairs.append((ctcs[0][-k], ctcs[1][-k]))
    return tuple(pairs)


def build_spec(design: CohortDesign, name: str = "custom") -> CohortSpec:
    validate(design)
    genome = _genome(design)
    clones = _clones(design)
    patients = tuple(
        PatientSpec(f"{design.patient_prefix}{p + 1}", clones, _samples(design, p))
        for p in range(design.patients)
    )
    spec = CohortSpec(
        name=name,
        genome=genome,
        patients=patients,
        libraries=_libraries(design),
        shared_germline_fraction=design.shared_germline_fraction,
        swaps=_swaps(design, patients),
    )
    if design.genome == "grch38":
        # The trunk's chr1 and chr8 events have no chromosome here.
        spec = shrink(spec, tuple(c.name for c in genome.chromosomes))
    return spec


# ---------------------------------------------------------------- presets
PRESETS: dict[str, CohortDesign] = {
    # One patient: a HER2-negative primary, two WBCs and four CTCs (two
    # ERBB2-amplified to 10 copies, one with EGFR L858R), PicoPLEX.
    "demo": CohortDesign(),
    # One patient on chr7 and chr17 at real GRCh38 positions, for running the
    # workflow with its shipped GRCh38 tables: a HER2-negative primary, one WBC
    # and three CTCs (one with a 1 Mb ERBB2 amplicon at 10 copies, one with
    # EGFR L858R, one with a 1 Mb EGFR amplicon at 10 copies). Small, since
    # indexing its 114 Mb genome alone takes bwa ~2 min.
    "grch38": CohortDesign(
        genome="grch38",
        wbcs=1,
        ctcs=3,
        amplified_ctcs=1,
        egfr_l858r_ctcs=1,
        egfr_amplified_ctcs=1,
        amplicon_kb=1000,
        primary_reads=100_000,
    ),
}


def preset_design(name: str) -> CohortDesign:
    if name not in PRESETS:
        raise KeyError(
            f"unknown preset {name!r}; choose from {', '.join(sorted(PRESETS))}"
        )
    return PRESETS[name]


def preset(name: str) -> CohortSpec:
    return build_spec(preset_design(name), name)


def demo_spec() -> CohortSpec:
    return preset("demo")
