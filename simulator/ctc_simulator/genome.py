"""The synthetic reference: chromosomes scaled down from GRCh38 with
isochore-like GC variation, genes at their real relative positions and real
sizes, exon layouts, reference regions, the panel targets, and the genome grid
on which copy number, WGA coverage and dropout are defined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .atomic import atomic_binary
from .spec import GeneSpec, GenomeSpec

BASES = np.frombuffer(b"ACGT", dtype=np.uint8)
_COMPLEMENT_TABLE = np.arange(256, dtype=np.uint8)
for _a, _b in zip(b"ACGTN", b"TGCAN"):
    _COMPLEMENT_TABLE[_a] = _b
MIN_INTRON_BP = 200
FASTA_LINE = 60


def complement(codes: np.ndarray) -> np.ndarray:
    """Complement of ASCII base codes (any shape)."""
    result: np.ndarray = _COMPLEMENT_TABLE[codes]
    return result


@dataclass(frozen=True)
class Chromosome:
    name: str
    length: int
    offset: int  # start in the concatenated sequence
    centromere: int  # arm boundary, a multiple of the grid

    def arm_bounds(self, arm: str) -> tuple[int, int]:
        if arm == "p":
            return 0, self.centromere
        if arm == "q":
            return self.centromere, self.length
        raise ValueError(f"arm must be 'p' or 'q', got {arm!r}")


@dataclass(frozen=True)
class Region:
    chrom: str
    start: int  # 0-based
    end: int  # exclusive
    name: str


@dataclass(frozen=True)
class Exon:
    number: int
    start: int
    end: int
    cdna_start: int | None  # first cDNA position, for exons with real sequence


@dataclass(frozen=True)
class Gene:
    name: str
    chrom: str
    start: int
    end: int
    strand: str
    transcript: str
    exons: tuple[Exon, ...]


@dataclass
class Genome:
    spec: GenomeSpec
    chromosomes: tuple[Chromosome, ...]
    sequence: np.ndarray  # ASCII codes of all chromosomes, concatenated
    genes: tuple[Gene, ...]
    reference_regions: tuple[Region, ...]
    targets: tuple[Region, ...]  # merged panel exons
    planted: tuple[Region, ...]  # exons carrying real sequence
    bin_start: np.ndarray  # global start of each grid bin
    bin_end: np.ndarray
    bin_chrom: np.ndarray  # chromosome index of each bin
    bin_gc: np.ndarray

    # ---------------------------------------------------------------- lookups
    def chromosome(self, name: str) -> Chromosome:
        for chrom in self.chromosomes:
            if chrom.name == name:
                return chrom
        raise KeyError(f"no chromosome {name!r} in the synthetic genome")

    def chrom_index(self, name: str) -> int:
        return [c.name for c in self.chromosomes].index(name)

    def gene(self, name: str) -> Gene:
        for gene in self.genes:
            if gene.name == name:
                return gene
        raise KeyError(f"no gene {name!r} in the synthetic genome")

    def reference_region(self, name: str) -> Region:
        for region in self.reference_regions:
            if region.name == name:
                return region
        raise KeyError(f"no reference region {name!r}")

    @property
    def length(self) -> int:
        return int(self.sequence.size)

    def global_pos(self, chrom: str, pos: int) -> int:
        return self.chromosome(chrom).offset + pos

    def fetch(self, chrom: str, start: int, end: int) -> str:
        c = self.chromosome(chrom)
        if not 0 <= start <= end <= c.length:
            raise ValueError(f"{chrom}:{start}-{end} is outside the chromosome")
        return self.sequence[c.offset + start : c.offset + end].tobytes().decode()

    def locate(self, global_positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Chromosome index and 0-based local position of global positions."""
        offsets = np.array([c.offset for c in self.chromosomes], dtype=np.int64)
        index = np.searchsorted(offsets, global_positions, side="right") - 1
        return index, global_positions - offsets[index]

    def bins_of(self, global_positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.bin_start, global_positions, side="right") - 1

    def chrom_bins(self, chrom: str) -> slice:
        index = self.chrom_index(chrom)
        hits = np.flatnonzero(self.bin_chrom == index)
        return slice(int(hits[0]), int(hits[-1]) + 1)

    def region_bins(self, chrom: str, start: int, end: int) -> slice:
        """Bins overlapping a local interval."""
        offset = self.chromosome(chrom).offset
        first = int(self.bins_of(np.array([offset + start]))[0])
        last = int(self.bins_of(np.array([offset + end - 1]))[0])
        return slice(first, last + 1)

    def gene_at(self, chrom: str, pos: int) -> str:
        """Name of the gene containing a 0-based position, or ''."""
        for gene in self.genes:
            if gene.chrom == chrom and gene.start <= pos < gene.end:
                return gene.name
        return ""


# -------------------------------------------------------------------- layout
def _place_genes(
    spec: GenomeSpec, lengths: dict[str, int], centromeres: dict[str, int]
) -> dict[str, tuple[int, int]]:
    """Scaled start/end of every gene: at its scaled GRCh38 position, kept on
    its own arm, or at its real distance from its anchor gene."""
    by_name = {g.name: g for g in spec.genes}
    placed: dict[str, tuple[int, int]] = {}
    chrom_specs = {c.name: c for c in spec.chromosomes}

    def place(gene: GeneSpec) -> tuple[int, int]:
        if gene.name in placed:
            return placed[gene.name]
        size = gene.end - gene.start
        if gene.anchor is not None:
            anchor = by_name[gene.anchor]
            anchor_start, _ = place(anchor)
            start = anchor_start + (gene.start - anchor.start)
        else:
            start = round(gene.start / spec.scale_divisor)
            cen = centromeres[gene.chrom]
            on_p = gene.end <= chrom_specs[gene.chrom].grch38_centromere
            if on_p:
                start = min(start, cen - spec.arm_margin_bp - size)
            else:
                start = max(start, cen + spec.arm_margin_bp)
        end = start + size
        if start < 0 or end > lengths[gene.chrom]:
            raise ValueError(
                f"{gene.name} does not fit on the scaled {gene.chrom} "
                f"({start}-{end}, length {lengths[gene.chrom]}); use a smaller scale_divisor"
            )
        placed[gene.name] = (start, end)
        return start, end

    for gene in spec.genes:
        place(gene)
    return placed


def _layout_exons(
    gene: GeneSpec, start: int, end: int, spec: GenomeSpec, rng: np.random.Generator
) -> tuple[Exon, ...]:
    """Exons spread over the gene, first and last at its ends (transcript
    order follows the strand)."""
    n = gene.n_exons
    if n == 0:
        return ()
    lengths = rng.integers(spec.exon_min_bp, spec.exon_max_bp + 1, size=n)
    for number, (_, sequence) in gene.exon_sequences.items():
        lengths[number - 1] = len(sequence)
    span = end - start
    spare = span - int(lengths.sum()) - MIN_INTRON_BP * (n - 1)
    if spare < 0:
        raise ValueError(f"{gene.name}: {n} exons do not fit in {span} bp")
    introns = np.full(n - 1, MIN_INTRON_BP, dtype=np.int64)
    if n > 1:
        introns += np.floor(rng.dirichlet(np.ones(n - 1)) * spare).astype(np.int64)
        introns[-1] += span - int(lengths.sum()) - int(introns.sum())
    exons = []
    cursor = 0  # distance from the transcript's 5' end
    for i in range(n):
        number = i + 1
        lo, hi = cursor, cursor + int(lengths[i])
        if gene.strand == "+":
            exon_start, exon_end = start + lo, start + hi
        else:
            exon_start, exon_end = end - hi, end - lo
        known = gene.exon_sequences.get(number)
        exons.append(Exon(number, exon_start, exon_end, known[0] if known else None))
        cursor = hi + (int(introns[i]) if i < n - 1 else 0)
    return tuple(sorted(exons, key=lambda e: e.start))


def _real_exons(gene: GeneSpec, start: int, end: int) -> tuple[Exon, ...]:
    """The gene's exons at their GRCh38 coordinates, each with the c. number
    of its 5' base (counted through the UTR, so positions from c.1 on map
    right)."""
    if gene.strand != "+" or gene.cds_start is None:
        raise ValueError(f"{gene.name}: real exons need a plus-strand gene with its c.1")
    exons = []
    coding_before = 0  # coding bases upstream of the exon
    for number, (exon_start, exon_end) in enumerate(gene.exon_coordinates, start=1):
        if not start <= exon_start < exon_end <= end:
            raise ValueError(f"{gene.name} exon {number} lies outside the gene")
        cdna = coding_before + 1 - max(0, gene.cds_start - exon_start)
        coding_before += max(0, exon_end - max(exon_start, gene.cds_start))
        known = gene.exon_sequences.get(number)
        if known is not None and (
            known[0] != cdna or len(known[1]) != exon_end - exon_start
        ):
            raise ValueError(
                f"{gene.name} exon {number}: its sequence (c.{known[0]}, {len(known[1])} bp) "
                f"does not fit its coordinates (c.{cdna}, {exon_end - exon_start} bp)"
            )
        exons.append(Exon(number, exon_start, exon_end, cdna))
    return tuple(exons)


def _cdna_position(gene: Gene, cdna: int) -> int:
    """0-based genome position of a c. position in a plus-strand gene's exons."""
    for exon in gene.exons:
        if exon.cdna_start is not None and 0 <= cdna - exon.cdna_start < exon.end - exon.start:
            return exon.start + cdna - exon.cdna_start
    raise ValueError(f"{gene.name} c.{cdna} is not inside an exon of known position")


def _isochore_sequence(
    length: int, gc_mean: float, spec: GenomeSpec, rng: np.random.Generator
) -> np.ndarray:
    """Random bases whose GC fraction follows isochore-like blocks of tens to
    hundreds of kb, autocorrelated from block to block."""
    n_blocks = max(4, int(3 * length / spec.isochore_median_bp) + 4)
    drawn = rng.lognormal(
        np.log(spec.isochore_median_bp), spec.isochore_length_sigma, n_blocks
    )
    sizes = np.maximum(drawn.astype(np.int64), 5_000)
    while sizes.sum() < length:
        sizes = np.concatenate([sizes, sizes])
    ends = np.cumsum(sizes)
    n_used = int(np.searchsorted(ends, length)) + 1
    sizes = sizes[:n_used]
    sizes[-1] -= int(ends[n_used - 1]) - length
    rho = spec.gc_autocorrelation
    innovations = rng.normal(0.0, spec.gc_sd * np.sqrt(1 - rho**2), n_used)
    gc = np.empty(n_used)
    gc[0] = rng.normal(0.0, spec.gc_sd)
    for i in range(1, n_used):
        gc[i] = rho * gc[i - 1] + innovations[i]
    # centred, so each chromosome keeps its real mean GC whatever the draws
    gc -= np.average(gc, weights=sizes)
    gc = np.clip(gc_mean + gc, spec.gc_min, spec.gc_max).astype(np.float32)
    per_base = np.repeat(gc, sizes)
    u = rng.random(length, dtype=np.float32)
    # G below gc/2, C below gc, A below (1 + gc)/2, else T.
    code = (u >= per_base / 2).astype(np.uint8)
    code += u >= per_base
    code += u >= (1 + per_base) / 2
    return np.frombuffer(b"GCAT", dtype=np.uint8)[code]


def _plant_hotspot_bases(
    spec: GenomeSpec,
    genes: list[Gene],
    chromosomes: list[Chromosome],
    order: dict[str, int],
    sequence: np.ndarray,
    planted: list[Region],
) -> list[Region]:
    """Write the reference base of every SNV hotspot outside the exons with
    real sequence at its real position, so a hotspot table of the real
    genome agrees with this one."""
    by_name = {g.name: g for g in genes}
    written = []
    for hotspot in spec.hotspots:
        gene = by_name.get(hotspot.gene)
        if hotspot.kind != "snv" or gene is None:
            continue
        pos = _cdna_position(gene, hotspot.cdna_pos)
        if any(r.chrom == gene.chrom and r.start <= pos < r.end for r in planted):
            continue
        if gene.strand != "+":
            raise NotImplementedError("hotspot bases are planted on plus-strand genes only")
        sequence[chromosomes[order[gene.chrom]].offset + pos] = ord(hotspot.ref)
        written.append(Region(gene.chrom, pos, pos + 1, f"{gene.name}_{hotspot.protein_change}"))
    return written


def _merge_regions(regions: list[Region], order: dict[str, int]) -> tuple[Region, ...]:
    merged: list[Region] = []
    for region in sorted(regions, key=lambda r: (order[r.chrom], r.start, r.end)):
        last = merged[-1] if merged else None
        if last is not None and last.chrom == region.chrom and region.start <= last.end:
            merged[-1] = Region(
                last.chrom,
                last.start,
                max(last.end, region.end),
                f"{last.name},{region.name}",
            )
        else:
            merged.append(region)
    return tuple(merged)


def _grid(
    chromosomes: tuple[Chromosome, ...], grid_bp: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    starts, ends, index = [], [], []
    for i, chrom in enumerate(chromosomes):
        local = np.arange(0, chrom.length, grid_bp, dtype=np.int64)
        starts.append(chrom.offset + local)
        ends.append(chrom.offset + np.minimum(local + grid_bp, chrom.length))
        index.append(np.full(local.size, i, dtype=np.int16))
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(index)


def scaled_layout(spec: GenomeSpec) -> tuple[dict[str, int], dict[str, int]]:
    """Scaled length and grid-aligned centromere of every chromosome."""
    grid = spec.grid_bp
    lengths = {
        c.name: round(c.kept_length / spec.scale_divisor) for c in spec.chromosomes
    }
    centromeres = {
        c.name: round(c.grch38_centromere / spec.scale_divisor / grid) * grid
        for c in spec.chromosomes
    }
    return lengths, centromeres


def check_genes_fit(spec: GenomeSpec) -> None:
    """Raise ValueError if the genes do not fit the scaled chromosomes; cheap,
    so a bad genome scale is refused before anything is generated."""
    lengths, centromeres = scaled_layout(spec)
    _place_genes(spec, lengths, centromeres)


def build_genome(spec: GenomeSpec, rng: np.random.Generator) -> Genome:
    grid = spec.grid_bp
    lengths, centromeres = scaled_layout(spec)
    chromosomes: list[Chromosome] = []
    offset = 0
    for c in spec.chromosomes:
        chromosomes.append(
            Chromosome(c.name, lengths[c.name], offset, centromeres[c.name])
        )
        offset += lengths[c.name]
    order = {c.name: i for i, c in enumerate(chromosomes)}
    for gene in spec.genes:
        if gene.chrom not in order:
            raise ValueError(
                f"gene {gene.name} is on {gene.chrom}, which the genome lacks"
            )

    sequence = np.concatenate(
        [
            _isochore_sequence(c.length, c_spec.gc_mean, spec, rng)
            for c, c_spec in zip(chromosomes, spec.chromosomes)
        ]
    )

    placement = _place_genes(spec, lengths, centromeres)
    genes: list[Gene] = []
    planted: list[Region] = []
    for gspec in spec.genes:
        start, end = placement[gspec.name]
        if spec.real_exons and gspec.exon_coordinates:
            exons = _real_exons(gspec, start, end)
        else:
            exons = _layout_exons(gspec, start, end, spec, rng)
        offset = chromosomes[order[gspec.chrom]].offset
        for exon in exons:
            known = gspec.exon_sequences.get(exon.number)
            if known is None:
                continue
            codes = np.frombuffer(known[1].encode(), dtype=np.uint8)
            if gspec.strand == "-":
                codes = complement(codes[::-1])
            sequence[offset + exon.start : offset + exon.end] = codes
            planted.append(
                Region(
                    gspec.chrom, exon.start, exon.end, f"{gspec.name}_exon{exon.number}"
                )
            )
        genes.append(
            Gene(
                gspec.name,
                gspec.chrom,
                start,
                end,
                gspec.strand,
                gspec.transcript,
                exons,
            )
        )
    genes.sort(key=lambda g: (order[g.chrom], g.start))
    if spec.real_exons:
        planted += _plant_hotspot_bases(spec, genes, chromosomes, order, sequence, planted)

    regions = []
    for rspec in spec.reference_regions:
        chrom = chromosomes[order[rspec.chrom]]
        start = chrom.centromere + rspec.centromere_offset
        regions.append(Region(rspec.chrom, start, start + rspec.length, rspec.name))
    regions.sort(key=lambda r: (order[r.chrom], r.start))

    exon_regions = [
        Region(g.chrom, e.start, e.end, f"{g.name}_exon{e.number}")
        for g in genes
        if g.name in spec.panel_genes
        for e in g.exons
    ]
    bin_start, bin_end, bin_chrom = _grid(tuple(chromosomes), grid)
    is_gc = (sequence == ord("G")) | (sequence == ord("C"))
    gc_count = np.add.reduceat(is_gc, bin_start, dtype=np.int64)
    genome = Genome(
        spec=spec,
        chromosomes=tuple(chromosomes),
        sequence=sequence,
        genes=tuple(genes),
        reference_regions=tuple(regions),
        targets=_merge_regions(exon_regions, order),
        planted=tuple(planted),
        bin_start=bin_start,
        bin_end=bin_end,
        bin_chrom=bin_chrom,
        bin_gc=gc_count / (bin_end - bin_start),
    )
    _check_layout(genome)
    return genome


def _check_layout(genome: Genome) -> None:
    for region in genome.reference_regions:
        chrom = genome.chromosome(region.chrom)
        if not 0 <= region.start < region.end <= chrom.length:
            raise ValueError(f"reference region {region.name} falls off {region.chrom}")
        for gene in genome.genes:
            if (
                gene.chrom == region.chrom
                and gene.start < region.end
                and region.start < gene.end
            ):
                raise ValueError(f"reference region {region.name} overlaps {gene.name}")


# -------------------------------------------------------------------- output
def write_fasta(genome: Genome, path: Path) -> list[Path]:
    """60-column FASTA plus its .fai (what `samtools faidx` would write)."""
    fai_rows = []
    offset = 0
    with atomic_binary(path) as handle:
        for chrom in genome.chromosomes:
            header = f">{chrom.name}\n".encode()
            handle.write(header)
            offset += len(header)
            fai_rows.append(
                (chrom.name, chrom.length, offset, FASTA_LINE, FASTA_LINE + 1)
            )
            seq = genome.sequence[chrom.offset : chrom.offset + chrom.length]
            full = chrom.length // FASTA_LINE
            block = np.empty((full, FASTA_LINE + 1), dtype=np.uint8)
            block[:, :FASTA_LINE] = seq[: full * FASTA_LINE].reshape(full, FASTA_LINE)
            block[:, FASTA_LINE] = ord("\n")
            handle.write(block.tobytes())
            rest = seq[full * FASTA_LINE :]
            if rest.size:
                handle.write(rest.tobytes() + b"\n")
            offset += block.size + (rest.size + 1 if rest.size else 0)
    fai = path.with_name(path.name + ".fai")
    with atomic_binary(fai) as handle:
        handle.write(
            "".join("\t".join(map(str, row)) + "\n" for row in fai_rows).encode()
        )
    return [path, fai]


def write_genes_bed(genome: Genome, path: Path) -> Path:
    rows = [(g.chrom, g.start, g.end, g.name, 0, g.strand) for g in genome.genes]
    return _write_bed(path, rows)


def write_regions_bed(regions: tuple[Region, ...], path: Path) -> Path:
    return _write_bed(path, [(r.chrom, r.start, r.end, r.name) for r in regions])


def _write_bed(path: Path, rows: Sequence[tuple[object, ...]]) -> Path:
    text = "".join("\t".join(map(str, row)) + "\n" for row in rows)
    with atomic_binary(path) as handle:
        handle.write(text.encode())
    return path
