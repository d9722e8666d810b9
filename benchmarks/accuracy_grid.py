"""The grids of the accuracy benchmark, and what "reads per cell" means on the
scaled genome.

A real single cell sequenced to R reads over GRCh38 puts R / 6,000 reads in
each usable 500 kb bin (the workflow's QC threshold of 80 reads per bin is
stated from the same count: 500,000 reads). The simulated genome is GRCh38's
six chromosomes divided by 40 and binned at 100 kb: 232 bins. A cell of the
benchmark gets the reads that give the same reads per bin, R x 232 / 6,000,
so a "1 M-equivalent" cell has 38,667 simulated reads; its bins have the
counting noise of a 1 M-read cell on a human genome.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from ctc_simulator.design import CohortDesign, design_from_mapping
from ctc_simulator.spec import GRCH38_CHROMOSOMES

# GRCh38 500 kb bins usable for copy number, as config/README.md counts them.
HUMAN_USABLE_BINS = 6_000
SCALE_DIVISOR = 40
BIN_SIZE = 100_000  # the scaled genome's bin size, as in config/config.yaml
PRIMARY_HUMAN_READS = 2_000_000  # bulk DNA: one depth for every grid point


def simulated_bins(scale_divisor: int = SCALE_DIVISOR, bin_size: int = BIN_SIZE) -> int:
    """Bins the workflow makes on the scaled genome: a chromosome's last bin
    counts when at least half a bin long (ctc_profiler.copy_number.bins.make_bins). All
    are usable: the simulated genome has no Ns and GC within 0.35-0.60."""
    lengths = [round(c.grch38_length / scale_divisor) for c in GRCH38_CHROMOSOMES]
    return sum(n // bin_size + (n % bin_size >= bin_size // 2) for n in lengths)


def simulated_reads(human_reads: int, scale_divisor: int = SCALE_DIVISOR, bin_size: int = BIN_SIZE) -> int:
    """Reads giving the scaled genome the reads per bin of `human_reads` on GRCh38."""
    return round(human_reads * simulated_bins(scale_divisor, bin_size) / HUMAN_USABLE_BINS)


def reads_per_bin(human_reads: int) -> float:
    return human_reads / HUMAN_USABLE_BINS


def reads_label(human_reads: int) -> str:
    if human_reads % 1_000_000 == 0:
        return f"{human_reads // 1_000_000}M"
    return f"{human_reads // 1000}k"


@dataclass(frozen=True)
class Grid:
    """Reads per cell x WGA kit x ERBB2 level. One cohort is simulated per
    (seed, reads, kit); its amplified CTCs take the ERBB2 levels in turn, so
    every level is scored against the same WBCs and negative cells."""

    name: str
    human_reads: tuple[int, ...]
    kits: tuple[str, ...]
    erbb2_cn: tuple[int, ...]
    seeds: tuple[int, ...]
    patients: int  # per cohort
    amplified_per_level: int  # amplified CTCs per patient and level
    egfr_l858r_ctcs: int
    plain_ctcs: int  # CTCs like the primary's trunk, HER2-negative
    failed_cells: int  # of the plain CTCs, per patient
    wbcs: int
    # on the scaled genome's 100 kb bins; 600 kb spans 6 bins, i.e. 3 Mb at
    # a human cell's 500 kb bins, and 200 kb spans the 2 bins of 1 Mb
    amplicon_kb: int = 600
    # the genome's scale and bin size: /40 at 100 kb bins by default; /8 at
    # 500 kb gives the same bins and reads per bin with a human bin's DNA
    scale_divisor: int = SCALE_DIVISOR
    bin_size: int = BIN_SIZE
    chromosome_sd: float = 0.0  # the simulator's chromosome-level scatter of every cell
    # the tumour's 17q gain, chr17_ref included: CN 6 is then a HER2 ratio of 2.0
    chr17q_gain: bool = True
    # CTCs with an EGFR amplicon (amplicon_kb long, centred on EGFR), per
    # patient and level, after the ERBB2-amplified and L858R ones
    egfr_amplified_per_level: int = 0
    egfr_cn: tuple[int, ...] = (10,)

    def reads(self, human_reads: int) -> int:
        """Simulated reads per cell standing for `human_reads` on GRCh38."""
        return simulated_reads(human_reads, self.scale_divisor, self.bin_size)

    @property
    def ctcs(self) -> int:
        return (
            self.amplified_per_level * len(self.erbb2_cn)
            + self.egfr_l858r_ctcs
            + self.egfr_amplified_per_level * len(self.egfr_cn)
            + self.plain_ctcs
        )


GRIDS: dict[str, Grid] = {
    # 6 cohorts of 2 patients x (primary, 2 WBCs, 6 CTCs: 2 at each ERBB2
    # level, 1 EGFR L858R, 1 failed): 108 samples, about 15 min on 2 idle
    # cores (1,740 CPU-seconds).
    "small": Grid(
        name="small",
        human_reads=(500_000, 1_000_000, 2_000_000),
        kits=("PicoPLEX", "MDA"),
        erbb2_cn=(6, 10),
        seeds=(1,),
        patients=2,
        amplified_per_level=2,
        egfr_l858r_ctcs=1,
        plain_ctcs=1,
        failed_cells=1,
        wbcs=2,
    ),
    # Every kit and more depths and levels; hours on 2 cores.
    "full": Grid(
        name="full",
        human_reads=(250_000, 500_000, 1_000_000, 2_000_000, 4_000_000),
        kits=("PicoPLEX", "MDA", "MALBAC", "DOP-PCR", "Ampli1"),
        erbb2_cn=(5, 6, 8, 10, 20),
        seeds=(1, 2),
        patients=3,
        amplified_per_level=2,
        egfr_l858r_ctcs=1,
        plain_ctcs=3,
        failed_cells=2,
        wbcs=3,
    ),
}


@dataclass(frozen=True)
class CohortPoint:
    """One simulated cohort: a seed, a depth and a kit."""

    grid: Grid
    seed: int
    human_reads: int
    kit: str

    @property
    def label(self) -> str:
        return f"{self.kit}-{reads_label(self.human_reads)}"

    def design(self) -> CohortDesign:
        """The cohort as the simulator's own options (the path users take)."""
        grid = self.grid
        return design_from_mapping(
            {
                "patients": grid.patients,
                "patient-prefix": f"{self.label}-P",
                "ctcs": grid.ctcs,
                "amplified-ctcs": grid.amplified_per_level * len(grid.erbb2_cn),
                "egfr-l858r-ctcs": grid.egfr_l858r_ctcs,
                "egfr-amplified-ctcs": grid.egfr_amplified_per_level * len(grid.egfr_cn),
                "egfr-amplicon-cn": list(grid.egfr_cn),
                "egfr-amplicon-kb": max(grid.amplicon_kb, 200),
                "wbcs": grid.wbcs,
                "failed-cells": grid.failed_cells,
                "failure-mode": "mixed",
                "kit": self.kit,
                "erbb2-cn": list(grid.erbb2_cn),
                "amplicon-kb": grid.amplicon_kb,
                "primary-her2": "negative",
                "reads-per-cell": grid.reads(self.human_reads),
                "primary-reads": grid.reads(PRIMARY_HUMAN_READS),
                "panel": False,  # variants are not called yet; copy number needs none
                "scale-divisor": grid.scale_divisor,
                "chromosome-sd": grid.chromosome_sd,
                "chr17q-gain": grid.chr17q_gain,
            }
        )


# The condition at a human cell's bin count: ERBB2 >= 6 copies over a
# 1 Mb amplicon = 2 bins of 500 kb, i.e. 200 kb here (2 bins): the small
# grid's PicoPLEX half with that amplicon.
GRIDS["focal"] = dataclasses.replace(GRIDS["small"], name="focal", kits=("PicoPLEX",), amplicon_kb=200)

# The issue's own grid: every kit preset at 0.25-2 M reads, cohorts shaped as
# in `small` (360 samples).
GRIDS["kits"] = dataclasses.replace(
    GRIDS["small"],
    name="kits",
    human_reads=(250_000, 500_000, 1_000_000, 2_000_000),
    kits=("PicoPLEX", "MDA", "MALBAC", "DOP-PCR", "Ampli1"),
)


# The kits at a human cell's bin width: the genome divided by 8 and binned at
# 500 kb has the same 232 bins and reads per bin as the grids above, but each
# bin holds the DNA of a human bin, so WGA noise correlated over tens of kb
# averages as it would in a real cell; the 1 Mb amplicon is the issue's
# condition (2 bins). 0.25 M is left out: it fails the depth QC by design
# whatever the bin width (same reads per bin). 270 samples.
GRIDS["bins500"] = dataclasses.replace(
    GRIDS["kits"],
    name="bins500",
    human_reads=(500_000, 1_000_000, 2_000_000),
    amplicon_kb=1000,
    scale_divisor=8,
    bin_size=500_000,
)

# `bins500` with the chromosome-level scatter of real diploid DOP-PCR cells
# (0.27 log2, docs/real_cells.md) given to every cell of every kit: the
# simulated cells otherwise scatter by 0.03-0.1, and the ploidy fit is tested
# against what real cells show. Seed 1's cells are the same as bins500's,
# each chromosome at a level of its own.
GRIDS["scatter"] = dataclasses.replace(GRIDS["bins500"], name="scatter", chromosome_sd=0.27)

# `bins500` without the tumour's 17q gain: chr17_ref keeps 2 copies, as a
# CEP17 probe often does, so CN 6 is a HER2 ratio of 3.0, not the cut-off of
# 2.0 itself. The same design and seeds as bins500 otherwise.
GRIDS["flat17"] = dataclasses.replace(GRIDS["bins500"], name="flat17", chr17q_gain=False)


# The copy-number targets and the detection limits' check (issue: each
# negative earns its name), at bins500's bins and depths, one patient per
# cohort: every kit's cells, with ERBB2 amplicons at the levels the targets
# name and EGFR amplicons at 5 and 10 copies (its call needs 1.6 x the
# ploidy, ~3.3), so that both limits meet amplified cells. `limits_flat17`:
# chr17 at 2 copies (CN 6 is ratio 3.0). `limits_17q`: with the 17q gain (ratio
# 2.0 at 6, 2.67 at 8, 4.0 at 12; its plain CTCs are a polysomy of 3 copies
# at ratio 1). 15 and 16 samples per cohort.
GRIDS["limits_flat17"] = dataclasses.replace(
    GRIDS["flat17"], name="limits_flat17", patients=1, egfr_amplified_per_level=2, egfr_cn=(5, 10)
)
GRIDS["limits_17q"] = dataclasses.replace(
    GRIDS["bins500"], name="limits_17q", patients=1, erbb2_cn=(6, 8, 12), egfr_amplified_per_level=2,
    egfr_cn=(5, 10),
)

def cohort_points(
    grid: Grid, seeds: tuple[int, ...] | None = None
) -> Iterator[CohortPoint]:
    for seed in seeds or grid.seeds:
        for human_reads in grid.human_reads:
            for kit in grid.kits:
                yield CohortPoint(grid, seed, human_reads, kit)
