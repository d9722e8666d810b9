"""What a simulated cohort is made of: genome, patients, clones, samples and
libraries, as plain frozen dataclasses. Every tunable (reads per cell, WGA
kit, purity, genome scale, ...) lives here, not in the simulation code; the
presets and user-defined cohorts of `design.py` only fill these in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from .hotspots import EGFR_EXONS, HotspotSpec

SAMPLE_TYPES = ("primary", "metastasis", "ctc", "wbc", "normal")
CELL_TYPES = ("ctc", "wbc")


@dataclass(frozen=True)
class ChromosomeSpec:
    """A chromosome by its GRCh38 name, length, centromere midpoint and mean GC."""

    name: str
    grch38_length: int
    grch38_centromere: int
    gc_mean: float = 0.41
    cut_bp: int | None = None  # GRCh38 position the chromosome ends at (None: its full length)

    @property
    def kept_length(self) -> int:
        return self.grch38_length if self.cut_bp is None else min(self.grch38_length, self.cut_bp)


@dataclass(frozen=True)
class GeneSpec:
    """A gene at its GRCh38 position (0-based, half-open).

    `anchor` names a gene whose scaled placement this one follows at its real
    distance, so a neighbourhood such as the 17q12 amplicon keeps real scale.
    `exon_sequences` maps exon number to (first cDNA position, sequence) for
    exons written with real sequence; the other exons are random.
    """

    name: str
    chrom: str
    start: int
    end: int
    strand: str
    n_exons: int = 0
    transcript: str = ""
    anchor: str | None = None
    exon_sequences: Mapping[int, tuple[int, str]] = field(default_factory=dict)
    # Real GRCh38 exons (0-based, half-open) in transcript order and the
    # 0-based position of c.1; used only by genomes with real_exons.
    exon_coordinates: tuple[tuple[int, int], ...] = ()
    cds_start: int | None = None


@dataclass(frozen=True)
class ReferenceRegionSpec:
    """A copy-number reference region placed relative to the centromere
    (negative offsets go into the p arm), like a CEP probe."""

    name: str
    chrom: str
    centromere_offset: int
    length: int


@dataclass(frozen=True)
class GenomeSpec:
    chromosomes: tuple[ChromosomeSpec, ...]
    genes: tuple[GeneSpec, ...]
    reference_regions: tuple[ReferenceRegionSpec, ...]
    panel_genes: tuple[str, ...]
    hotspots: tuple[HotspotSpec, ...]
    scale_divisor: int = 40  # chromosome lengths are GRCh38 / this
    grid_bp: int = 1000  # resolution of copy number, coverage and dropout
    isochore_median_bp: int = 120_000
    isochore_length_sigma: float = 0.8  # log-normal spread of isochore lengths
    gc_sd: float = 0.065  # around each chromosome's own mean (GRCh38's)
    gc_min: float = 0.35
    gc_max: float = 0.60
    gc_autocorrelation: float = 0.7  # between neighbouring isochores
    exon_min_bp: int = 100
    exon_max_bp: int = 250
    arm_margin_bp: int = 50_000  # genes are kept this far from the centromere
    # Exons at the genes' exon_coordinates and the reference base of every SNV
    # hotspot planted at its real position (needs scale_divisor 1); else exons
    # are laid out at random over each gene.
    real_exons: bool = False


@dataclass(frozen=True)
class CnEventSpec:
    """Set one haplotype's copy number over a region.

    The region is a whole arm (`arm` = "p" or "q"), a focal region around a
    gene (`gene`, starting `upstream_bp` before its start, `length_bp` long),
    or the whole chromosome when neither is given.
    """

    chrom: str
    haplotype: str  # "a" or "b"
    copies: int
    arm: str | None = None
    gene: str | None = None
    upstream_bp: int = 0
    length_bp: int = 0


@dataclass(frozen=True)
class SomaticHotspotSpec:
    hotspot: str  # "GENE:protein_change", e.g. "EGFR:L858R"
    haplotype: str = "b"


@dataclass(frozen=True)
class CloneSpec:
    """A cell population; it inherits its parent's events and variants."""

    name: str
    parent: str | None = None
    cn_events: tuple[CnEventSpec, ...] = ()
    hotspots: tuple[SomaticHotspotSpec, ...] = ()
    random_snvs: int = 0  # genome-wide passenger SNVs
    random_snvs_on_target: int = 0  # extra passenger SNVs inside panel exons


FAILURE_MODES = ("low_yield", "adapter_dimers")


@dataclass(frozen=True)
class FailureSpec:
    """A cell whose whole-genome amplification failed.

    low_yield: almost no DNA, so every library of the cell has `reads` reads
    (pairs). adapter_dimers: the library is sequenced to its usual depth but
    `junk_fraction` of its reads are adapter dimers or unmappable artefacts.
    """

    mode: str  # one of FAILURE_MODES
    reads: int | None = None
    junk_fraction: float = 0.0


@dataclass(frozen=True)
class ForcedDropoutSpec:
    """A locus dropout forced on a cell: the haplotype carrying a hotspot's
    mutant allele is not amplified over a tract of min_bp-max_bp around it."""

    hotspot: str  # "GENE:protein_change"
    min_bp: int = 3_000
    max_bp: int = 10_000


@dataclass(frozen=True)
class SampleSpec:
    sample: str
    type: str  # one of SAMPLE_TYPES
    clone: str  # the tumour clone (bulk) or the cell's clone
    wga: str = "none"  # WGA kit of a single cell, "none" for bulk DNA
    purity: float | None = None  # tumour cell fraction of a bulk sample
    ado_rate: float | None = None  # replaces the kit's allelic-dropout rate
    chromosome_sd: float = 0.0  # SD (log2) of the cell's coverage level per chromosome
    failure: FailureSpec | None = None
    private_snvs: int = 0  # a cell's own heterozygous SNVs, in diploid panel exons
    early_errors_on_target: int = 0  # extra early amplification errors in panel targets
    low_depth_share: float = 0.0  # share of panel targets captured at 5-15% of their yield
    forced_dropout: tuple[ForcedDropoutSpec, ...] = ()

    @property
    def is_cell(self) -> bool:
        return self.type in CELL_TYPES


@dataclass(frozen=True)
class PatientSpec:
    patient: str
    clones: tuple[CloneSpec, ...]
    samples: tuple[SampleSpec, ...]
    normal_clone: str = "normal"  # the clone mixed into bulk samples
    snp_spacing_bp: int = 1500  # mean distance between germline SNPs
    target_snp_spacing_bp: int = 400  # denser inside panel exons
    hom_alt_fraction: float = 0.3


@dataclass(frozen=True)
class LibrarySpec:
    """One sequencing library made of every sample (one unit each)."""

    unit: str
    library: str  # lowpass_wgs | panel | wes | wgs
    paired: bool
    read_length: int
    reads: Mapping[str, int]  # reads (pairs) per sample type
    insert_mean: float
    insert_sd: float
    insert_min: int = 40
    capture: bool = False
    on_target_fraction: float = 0.0
    capture_min_overlap_bp: int = 40  # a captured fragment overlaps a bait this much
    capture_efficiency_sd: float = 0.25  # per-target log-normal bait efficiency
    duplicate_fraction: float = 0.0  # library PCR duplicates, added to the kit's

    def reads_for(self, sample_type: str) -> int:
        if sample_type not in self.reads:
            raise KeyError(
                f"library {self.library}: no read count for sample type {sample_type!r}"
            )
        return self.reads[sample_type]

    def reads_of(self, sample: SampleSpec) -> int:
        """Reads (pairs) of one sample: its type's count, unless the cell's
        amplification failed with a low yield."""
        if sample.failure is not None and sample.failure.reads is not None:
            return sample.failure.reads
        return self.reads_for(sample.type)


@dataclass(frozen=True)
class QualityModel:
    """Illumina-like base qualities: high early, declining slowly along the
    read, read 2 a little worse, and a few reads ending in a low-quality tail."""

    start_q: float = 37.0
    end_q: float = 32.0  # mean at the last cycle of read 1 (quadratic decline)
    read2_offset: float = -1.5
    read_sd: float = 1.5  # read-to-read spread
    base_sd: float = 2.5  # base-to-base spread
    tail_rate: float = 0.05  # fraction of reads with a low-quality tail
    tail_q_max: int = 12
    min_q: int = 2  # Q2 bases are called N
    max_q: int = 41


@dataclass(frozen=True)
class CohortSpec:
    name: str
    genome: GenomeSpec
    patients: tuple[PatientSpec, ...]
    libraries: tuple[LibrarySpec, ...]
    quality: QualityModel = QualityModel()
    chunk_size: int = 20_000  # molecules generated per batch (bounds memory)
    gzip_level: int = 4
    # share of each patient's germline SNPs drawn from a cohort-wide pool of
    # common SNPs (genotyped by Hardy-Weinberg from their population AF)
    shared_germline_fraction: float = 0.0
    # pairs of samples whose tubes were swapped: each one's reads are filed
    # under the other's name in the sheets (a mislabelled tube, a mixed-up well)
    swaps: tuple[tuple[str, str], ...] = ()

    def filed_as(self, sample: str) -> str:
        """The sheet's name for the reads of `sample`'s cells."""
        for a, b in self.swaps:
            if sample in (a, b):
                return b if sample == a else a
        return sample


# --------------------------------------------------------------------- GRCh38
GRCH38_CHROMOSOMES: tuple[ChromosomeSpec, ...] = (
    ChromosomeSpec("chr1", 248_956_422, 123_400_000, 0.417),
    ChromosomeSpec("chr7", 159_345_973, 60_100_000, 0.407),
    ChromosomeSpec("chr8", 145_138_636, 45_200_000, 0.402),
    ChromosomeSpec("chr11", 135_086_622, 53_400_000, 0.416),
    ChromosomeSpec("chr17", 83_257_441, 25_100_000, 0.455),
    ChromosomeSpec("chrX", 156_040_895, 60_600_000, 0.395),
)

GRCH38_GENES: tuple[GeneSpec, ...] = (
    GeneSpec(
        "EGFR",
        "chr7",
        55_019_016,
        55_211_628,
        "+",
        28,
        "NM_005228.5",
        exon_sequences=EGFR_EXONS,
    ),
    GeneSpec("FGFR1", "chr8", 38_411_137, 38_468_834, "-"),
    GeneSpec("MYC", "chr8", 127_735_433, 127_742_951, "+"),
    GeneSpec("CCND1", "chr11", 69_641_155, 69_654_474, "+"),
    GeneSpec("ERBB2", "chr17", 39_687_913, 39_730_426, "+", 27, "NM_004448.4"),
    GeneSpec("GRB7", "chr17", 39_737_926, 39_747_291, "+", anchor="ERBB2"),
    GeneSpec("TOP2A", "chr17", 40_388_524, 40_417_896, "-", anchor="ERBB2"),
)

REFERENCE_REGIONS: tuple[ReferenceRegionSpec, ...] = (
    # Pericentromeric, like the CEP7/CEP17 probes used for FISH ratios.
    ReferenceRegionSpec("chr7_ref", "chr7", 150_000, 150_000),
    ReferenceRegionSpec("chr17_ref", "chr17", 30_000, 200_000),
)


# ------------------------------------------------- GRCh38 at real positions
# chr7 and chr17 at their real coordinates, each cut just past what a GRCh38
# run reads there: chr7 through its 66-72 Mb CEP7-like reference window (EGFR
# at 55.0-55.2 Mb), chr17 through ERBB2's 1.5 Mb flanking tiles (ERBB2 at
# 39.7 Mb, TOP2A to 40.42 Mb). Cuts are multiples of 500 kb, so the last
# human-sized bin is whole.
GRCH38_CUT_CHROMOSOMES: tuple[ChromosomeSpec, ...] = (
    ChromosomeSpec("chr7", 159_345_973, 60_100_000, 0.407, cut_bp=72_500_000),
    ChromosomeSpec("chr17", 83_257_441, 25_100_000, 0.455, cut_bp=41_500_000),
)

# Exons of NM_005228.5 (LRG_304 t1; its CDS equals NM_005228.5's) and of
# NM_004448.4 (GENCODE v38 ENST00000269571, MANE Select), GRCh38, 0-based.
EGFR_EXON_COORDINATES: tuple[tuple[int, int], ...] = (
    (55019031, 55019365), (55142285, 55142437), (55143304, 55143488),
    (55146605, 55146740), (55151293, 55151362), (55152545, 55152664),
    (55154010, 55154152), (55155829, 55155946), (55156532, 55156659),
    (55156758, 55156832), (55157662, 55157753), (55160138, 55160338),
    (55161498, 55161631), (55163732, 55163823), (55165279, 55165437),
    (55171174, 55171213), (55172982, 55173124), (55173920, 55174043),
    (55174721, 55174820), (55181292, 55181478), (55191718, 55191874),
    (55192765, 55192841), (55198716, 55198863), (55200315, 55200413),
    (55201187, 55201355), (55201734, 55201782), (55202516, 55202625),
    (55205255, 55207338),
)
EGFR_CDS_START = 55_019_277
ERBB2_EXON_COORDINATES: tuple[tuple[int, int], ...] = (
    (39700063, 39700311), (39706989, 39707141), (39708320, 39708534),
    (39709317, 39709452), (39709812, 39709881), (39710085, 39710201),
    (39710339, 39710481), (39711927, 39712047), (39712321, 39712448),
    (39715285, 39715359), (39715445, 39715536), (39715739, 39715939),
    (39716300, 39716433), (39716514, 39716605), (39717319, 39717480),
    (39719786, 39719834), (39723318, 39723457), (39723537, 39723660),
    (39723911, 39724010), (39724725, 39724911), (39725048, 39725204),
    (39725326, 39725402), (39725706, 39725853), (39726561, 39726659),
    (39726814, 39727003), (39727294, 39727547), (39727688, 39728658),
)
ERBB2_CDS_START = 39_700_238

GRCH38_REAL_GENES: tuple[GeneSpec, ...] = (
    GeneSpec(
        "EGFR",
        "chr7",
        55_019_016,
        55_211_628,
        "+",
        len(EGFR_EXON_COORDINATES),
        "NM_005228.5",
        exon_sequences=EGFR_EXONS,
        exon_coordinates=EGFR_EXON_COORDINATES,
        cds_start=EGFR_CDS_START,
    ),
    GeneSpec(
        "ERBB2",
        "chr17",
        39_687_913,
        39_730_426,
        "+",
        len(ERBB2_EXON_COORDINATES),
        "NM_004448.4",
        exon_coordinates=ERBB2_EXON_COORDINATES,
        cds_start=ERBB2_CDS_START,
    ),
    GeneSpec("GRB7", "chr17", 39_737_926, 39_747_291, "+"),
    GeneSpec("TOP2A", "chr17", 40_388_524, 40_417_896, "-"),
)

# The CEP-like windows at their GRCh38 positions, chr17 27-33 Mb and chr7
# 66-72 Mb, written as offsets from the centromere midpoints above.
GRCH38_REAL_REGIONS: tuple[ReferenceRegionSpec, ...] = (
    ReferenceRegionSpec("chr7_ref", "chr7", 66_000_000 - 60_100_000, 6_000_000),
    ReferenceRegionSpec("chr17_ref", "chr17", 27_000_000 - 25_100_000, 6_000_000),
)


def shrink(
    spec: CohortSpec, chromosomes: tuple[str, ...], read_fraction: float = 1.0
) -> CohortSpec:
    """The same cohort on a subset of chromosomes and with fewer reads, for
    quick checks; genes, regions and events elsewhere are dropped."""
    keep = set(chromosomes)
    genome = dataclasses.replace(
        spec.genome,
        chromosomes=tuple(c for c in spec.genome.chromosomes if c.name in keep),
        genes=tuple(g for g in spec.genome.genes if g.chrom in keep),
        reference_regions=tuple(
            r for r in spec.genome.reference_regions if r.chrom in keep
        ),
    )
    genes = {g.name for g in genome.genes}
    patients = []
    for patient in spec.patients:
        clones = tuple(
            dataclasses.replace(
                clone,
                cn_events=tuple(e for e in clone.cn_events if e.chrom in keep),
                hotspots=tuple(
                    h for h in clone.hotspots if h.hotspot.split(":")[0] in genes
                ),
            )
            for clone in patient.clones
        )
        patients.append(dataclasses.replace(patient, clones=clones))
    libraries = tuple(
        dataclasses.replace(
            lib,
            reads={t: max(1, round(n * read_fraction)) for t, n in lib.reads.items()},
        )
        for lib in spec.libraries
    )
    return dataclasses.replace(
        spec, genome=genome, patients=tuple(patients), libraries=libraries
    )
