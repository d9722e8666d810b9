"""Simulating a whole cohort: the shared model (genome, clones, variants, each
cell's amplification), the reads of every sample and library (in parallel,
one process per library), the sample sheets and the truth tables."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import multiprocessing
import os
import posixpath
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .atomic import write_tsv
from .clones import CopyNumberProfile, build_profiles
from .fastq import FastqWriter
from .genome import (
    Genome,
    build_genome,
    write_fasta,
    write_genes_bed,
    write_regions_bed,
)
from .hotspots import Hotspot, locate_hotspots
from .reads import (
    ReadBuilder,
    base_qualities,
    replace_with_junk,
    sequencing_errors,
    splice_chimeras,
)
from .rng import child_rng
from .sampling import Molecules, MoleculeSampler, Source, copies_per_molecule
from .spec import FAILURE_MODES, CohortSpec, ForcedDropoutSpec, LibrarySpec, PatientSpec, SampleSpec
from .truth import (
    AMPLIFICATION_ERROR_HEADER,
    CHROMOSOME_LEVELS_NOTE,
    FORCED_DROPOUT_NOTE,
    LOW_DEPTH_NOTE,
    PRIVATE_SNVS_NOTE,
    README,
    SHARED_GERMLINE_NOTE,
    SWAP_NOTE,
    amplification_error_rows,
    chromosome_level_rows,
    copy_number_rows,
    discordance_rows,
    gene_rows,
    low_depth_rows,
    sample_row,
    variant_rows,
    write_truth,
)
from .variants import (
    Population,
    Variant,
    build_haplotypes,
    clone_variants,
    germline_snps,
    on_target_pool,
    population_pool,
    private_snvs,
    shared_germline_snps,
    somatic_variants,
)
from .wga import Amplification, amplify, early_errors, force_dropout, kit, low_depth_targets
from .workflow_config import write_workflow_config

MAX_DUPLICATE_FRACTION = 0.9


@dataclass
class PatientModel:
    spec: PatientSpec
    profiles: dict[str, CopyNumberProfile]
    germline: list[Variant]
    somatic: dict[str, list[Variant]]  # variants arising in each clone itself
    amplifications: dict[str, Amplification]  # per sample
    private: dict[str, list[Variant]]  # each cell's own SNVs (cells with none absent)

    def carried(self, clone: str) -> list[Variant]:
        return clone_variants(self.spec.clones, self.somatic, self.germline, clone)

    def carried_by(self, sample: SampleSpec, clone: str) -> list[Variant]:
        """What `sample`'s cells of `clone` carry: the clone's variants, plus a
        cell's private SNVs (a cell is its one clone; bulk samples have none)."""
        return self.carried(clone) + self.private.get(sample.sample, [])

    def sources(self, sample: SampleSpec) -> list[Source]:
        """A cell is its clone; a bulk sample mixes tumour and normal cells."""
        purity = 1.0 if sample.is_cell or sample.purity is None else sample.purity
        sources = [Source(sample.clone, purity, self.profiles[sample.clone])]
        if purity < 1.0:
            normal = self.spec.normal_clone
            sources.append(Source(normal, 1.0 - purity, self.profiles[normal]))
        return sources


@dataclass
class CohortModel:
    spec: CohortSpec
    seed: int
    genome: Genome
    hotspots: tuple[Hotspot, ...]
    patients: list[PatientModel]
    capture_efficiency: dict[str, np.ndarray]  # per library unit, per target
    population: Population = dataclasses.field(default_factory=Population.empty)


def build_model(spec: CohortSpec, seed: int) -> CohortModel:
    genome = build_genome(spec.genome, child_rng(seed, "genome"))
    hotspots = locate_hotspots(genome, spec.genome.hotspots)
    by_key = {h.key: h for h in hotspots}
    patients = []
    shared = spec.shared_germline_fraction
    if not 0.0 <= shared <= 1.0:
        raise ValueError(f"shared germline fraction must be in [0, 1], got {shared}")
    population = Population.empty()
    if spec.patients and shared > 0.0:
        # Drawn once per cohort: every patient is genotyped at the same sites.
        first = spec.patients[0]
        population = population_pool(
            genome,
            first.snp_spacing_bp,
            first.target_snp_spacing_bp,
            shared,
            child_rng(seed, "population"),
        )
    on_target = on_target_pool(genome)
    for pspec in spec.patients:
        _check_patient(pspec)
        profiles = build_profiles(genome, pspec.clones)
        germline = germline_snps(
            genome,
            pspec,
            child_rng(seed, "germline", pspec.patient),
            shared,
            population.pos,
        )
        if population.pos.size:
            germline = sorted(
                germline
                + shared_germline_snps(
                    genome, population, child_rng(seed, "population", pspec.patient)
                ),
                key=lambda v: genome.global_pos(v.chrom, v.pos - 1),
            )
        taken = {genome.global_pos(v.chrom, v.pos - 1) for v in germline}
        somatic = {
            clone.name: somatic_variants(
                genome,
                clone,
                profiles[clone.name],
                by_key,
                taken,
                child_rng(seed, "somatic", pspec.patient, clone.name),
            )
            for clone in pspec.clones
        }
        # After every clone's variants, so those (and their random streams)
        # are the same with or without private SNVs.
        private = {
            s.sample: private_snvs(
                genome,
                s.sample,
                s.private_snvs,
                profiles[s.clone],
                taken,
                child_rng(seed, "private", pspec.patient, s.sample),
            )
            for s in pspec.samples
            if s.private_snvs > 0
        }
        # Panel bases no variant of the patient uses (private SNVs included:
        # they join `taken`), for on-target early errors.
        error_pool = on_target[~np.isin(on_target, np.fromiter(taken, dtype=np.int64))]
        amplifications = {}
        for s in pspec.samples:
            amplification = amplify(
                genome,
                kit(s.wga, s.ado_rate, s.chromosome_sd) if s.is_cell else kit("none"),
                child_rng(seed, "wga", pspec.patient, s.sample),
            )
            if s.is_cell:
                # Each effect from a stream of its own, after `amplify`: a
                # cell's other draws stay as without it.
                amplification = early_errors(
                    amplification,
                    genome,
                    error_pool,
                    s.early_errors_on_target,
                    child_rng(seed, "early-errors", pspec.patient, s.sample),
                )
                amplification = low_depth_targets(
                    amplification,
                    len(genome.targets),
                    s.low_depth_share,
                    child_rng(seed, "low-depth", pspec.patient, s.sample),
                )
                carried = clone_variants(pspec.clones, somatic, germline, s.clone)
                for forced in s.forced_dropout:
                    amplification = _force_dropout(
                        genome,
                        amplification,
                        by_key,
                        forced,
                        carried,
                        s.sample,
                        child_rng(seed, "forced-dropout", pspec.patient, s.sample, forced.hotspot),
                    )
            amplifications[s.sample] = amplification
        patients.append(
            PatientModel(pspec, profiles, germline, somatic, amplifications, private)
        )
    efficiency = {
        lib.unit: child_rng(seed, "capture", lib.unit).lognormal(
            0.0, lib.capture_efficiency_sd, len(genome.targets)
        )
        for lib in spec.libraries
        if lib.capture
    }
    return CohortModel(spec, seed, genome, hotspots, patients, efficiency, population)


def _force_dropout(
    genome: Genome,
    amplification: Amplification,
    hotspots: dict[str, Hotspot],
    forced: ForcedDropoutSpec,
    carried: list[Variant],
    sample: str,
    rng: np.random.Generator,
) -> Amplification:
    """The haplotype carrying the hotspot's mutant allele lost over a tract."""
    if forced.hotspot not in hotspots:
        raise ValueError(f"sample {sample}: forced dropout at unknown hotspot {forced.hotspot!r}")
    spot = hotspots[forced.hotspot]
    variant = next(
        (v for v in carried if (v.chrom, v.pos, v.ref, v.alt) == (spot.chrom, spot.pos, spot.ref, spot.alt)),
        None,
    )
    if variant is None or all(variant.on_haplotype):
        raise ValueError(
            f"sample {sample}: forced dropout at {forced.hotspot} needs a cell heterozygous for it"
        )
    length = int(rng.integers(forced.min_bp, forced.max_bp + 1))
    position = genome.global_pos(spot.chrom, spot.pos - 1)
    return force_dropout(amplification, genome, position, variant.on_haplotype.index(True), length)


def _check_patient(patient: PatientSpec) -> None:
    clones = {c.name for c in patient.clones}
    if patient.normal_clone not in clones:
        raise ValueError(
            f"patient {patient.patient}: normal clone {patient.normal_clone!r} is not defined"
        )
    seen: set[str] = set()
    for sample in patient.samples:
        if sample.sample in seen:
            raise ValueError(f"sample {sample.sample} appears twice")
        seen.add(sample.sample)
        if sample.clone not in clones:
            raise ValueError(f"sample {sample.sample}: unknown clone {sample.clone!r}")
        if sample.is_cell and sample.wga == "none":
            raise ValueError(f"single cell {sample.sample} needs a WGA kit")
        kit(sample.wga)
        if sample.purity is not None and not 0.0 < sample.purity <= 1.0:
            raise ValueError(f"sample {sample.sample}: purity must be in (0, 1]")
        if sample.failure is not None:
            _check_failure(sample)
        if sample.private_snvs < 0:
            raise ValueError(f"sample {sample.sample}: private SNVs cannot be negative")
        if sample.private_snvs and not sample.is_cell:
            raise ValueError(
                f"sample {sample.sample}: only single cells have private SNVs"
            )
        if sample.early_errors_on_target < 0:
            raise ValueError(f"sample {sample.sample}: on-target early errors cannot be negative")
        if not 0.0 <= sample.low_depth_share <= 1.0:
            raise ValueError(f"sample {sample.sample}: low-depth share must be in [0, 1]")
        if not sample.is_cell and (
            sample.early_errors_on_target or sample.low_depth_share or sample.forced_dropout
        ):
            raise ValueError(
                f"sample {sample.sample}: only single cells have amplification errors, "
                "low-depth targets or forced dropout"
            )


def _check_failure(sample: SampleSpec) -> None:
    failure = sample.failure
    assert failure is not None
    if not sample.is_cell:
        raise ValueError(
            f"sample {sample.sample}: only single cells fail amplification"
        )
    if failure.mode not in FAILURE_MODES:
        raise ValueError(
            f"sample {sample.sample}: failure mode must be one of {', '.join(FAILURE_MODES)}"
        )
    if failure.reads is not None and failure.reads < 0:
        raise ValueError(f"sample {sample.sample}: read count cannot be negative")
    if not 0.0 <= failure.junk_fraction <= 1.0:
        raise ValueError(f"sample {sample.sample}: junk fraction must be in [0, 1]")


# -------------------------------------------------------------------- reads
def fastq_names(sample: str, library: LibrarySpec) -> list[str]:
    reads = ["R1", "R2"] if library.paired else ["R1"]
    return [f"{sample}.{library.library}.{r}.fastq.gz" for r in reads]


@dataclass(frozen=True)
class LibraryJob:
    patient: int  # index into the model's patients
    sample: str
    library: int  # index into the spec's libraries
    reads_dir: str
    tag_origin: bool


def _origin_tags(
    genome: Genome, mol: Molecules, sources: list[Source], chimeric: np.ndarray
) -> list[str]:
    """Debug comments giving each read's true origin."""
    index, local = genome.locate(mol.start)
    names = [c.name for c in genome.chromosomes]
    return [
        f" origin={names[c]}:{p + 1}-{p + n}:{'-' if r else '+'}:{'ab'[h]}:"
        f"{sources[s].name}{':chimera' if x else ''}"
        for c, p, n, r, h, s, x in zip(
            index.tolist(),
            local.tolist(),
            mol.length.tolist(),
            mol.reverse.tolist(),
            mol.hap.tolist(),
            mol.source.tolist(),
            chimeric.tolist(),
        )
    ]


def generate_library(model: CohortModel, job: LibraryJob) -> list[Path]:
    """Write the FASTQ file(s) of one sample's library, chunk by chunk."""
    genome = model.genome
    patient = model.patients[job.patient]
    sample = next(s for s in patient.spec.samples if s.sample == job.sample)
    library = model.spec.libraries[job.library]
    rng = child_rng(model.seed, "reads", sample.sample, library.unit)
    sources = patient.sources(sample)
    amplification = patient.amplifications[sample.sample]
    haplotypes = [
        build_haplotypes(genome, patient.carried_by(sample, src.name))
        for src in sources
    ]
    sampler = MoleculeSampler(
        genome,
        sources,
        amplification,
        library,
        model.capture_efficiency.get(library.unit),
    )
    builder = ReadBuilder(
        haplotypes, amplification, library.read_length, library.paired
    )
    duplicates = min(
        MAX_DUPLICATE_FRACTION,
        amplification.kit.duplicate_fraction + library.duplicate_fraction,
    )
    quality = model.spec.quality
    total = library.reads_of(sample)
    junk_fraction = sample.failure.junk_fraction if sample.failure else 0.0
    paths = [Path(job.reads_dir) / name for name in fastq_names(model.spec.filed_as(sample.sample), library)]
    writers = [FastqWriter(p, model.spec.gzip_level) for p in paths]
    prefix = f"{sample.sample}:{library.library}:"
    emitted = 0
    with contextlib.ExitStack() as stack:
        for writer in writers:
            stack.enter_context(writer)
        while emitted < total:
            need = min(model.spec.chunk_size, total - emitted)
            n_unique = max(1, math.ceil(need * (1.0 - duplicates)))
            mol = sampler.sample(n_unique, rng)
            read1, read2 = builder.reads(mol, rng)
            chimeric = rng.random(n_unique) < amplification.kit.chimera_rate
            rows = np.flatnonzero(chimeric)
            if rows.size:
                partner1, partner2 = builder.reads(
                    sampler.genome_wide(rows.size, rng), rng
                )
                splice_chimeras(read1, read2, partner1, partner2, rows, rng)
            # Duplicates share a molecule's sequence but not its sequencing errors.
            order = np.repeat(
                np.arange(n_unique), copies_per_molecule(n_unique, duplicates, rng)
            )[:need]
            order = order[rng.permutation(order.size)]
            numbers = range(emitted + 1, emitted + order.size + 1)
            comments = (
                _origin_tags(genome, mol.take(order), sources, chimeric[order])
                if job.tag_origin
                else [""] * order.size
            )
            headers = [f"{prefix}{n}{c}".encode() for n, c in zip(numbers, comments)]
            chunks = [reads[order] for reads in (read1, read2) if reads is not None]
            # Drawn only for failed cells, so the others keep their random streams.
            if junk_fraction > 0.0:
                junk = np.flatnonzero(rng.random(order.size) < junk_fraction)
                replace_with_junk(chunks, junk, rng)
            for read_number, (writer, chunk) in enumerate(
                zip(writers, chunks), start=1
            ):
                phred = base_qualities(
                    order.size, library.read_length, read_number, quality, rng
                )
                sequencing_errors(chunk, phred, quality, rng)
                writer.write(headers, chunk, phred)
            emitted += order.size
    return paths


_MODEL: CohortModel | None = None  # handed to forked workers


def _run_job(job: LibraryJob) -> list[Path]:
    assert _MODEL is not None
    return generate_library(_MODEL, job)


def run_jobs(
    model: CohortModel,
    jobs: list[LibraryJob],
    processes: int,
    meanwhile: Callable[[], list[Path]],
) -> list[Path]:
    """Generate all libraries; `meanwhile` (sheets, truth) runs in this
    process while the workers write reads."""
    global _MODEL
    if processes <= 1 or len(jobs) <= 1:
        return [p for job in jobs for p in generate_library(model, job)] + meanwhile()
    _MODEL = model
    try:
        # fork: workers share the genome and model copy-on-write.
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pending = pool.map_async(_run_job, jobs, chunksize=1)
            other = meanwhile()
            results = pending.get()
    finally:
        _MODEL = None
    return [p for paths in results for p in paths] + other


# ------------------------------------------------------------------- sheets
def write_sheets(spec: CohortSpec, outdir: str) -> list[Path]:
    root = Path(outdir)
    samples = []
    units = []
    for patient in spec.patients:
        for sample in patient.samples:
            samples.append(
                (
                    patient.patient,
                    sample.sample,
                    sample.type,
                    sample.wga,
                    None if sample.is_cell else sample.purity,
                )
            )
            for library in spec.libraries:
                files = [
                    posixpath.join(outdir, "reads", n)
                    for n in fastq_names(sample.sample, library)
                ]
                units.append(
                    (
                        sample.sample,
                        library.unit,
                        library.library,
                        files[0],
                        files[1] if len(files) > 1 else None,
                    )
                )
    return [
        write_tsv(
            root / "samples.tsv",
            ["patient", "sample", "type", "wga", "purity"],
            samples,
        ),
        write_tsv(
            root / "units.tsv", ["sample", "unit", "library", "fq1", "fq2"], units
        ),
    ]


def write_reference(model: CohortModel, outdir: Path) -> list[Path]:
    genome = model.genome
    ref = outdir / "reference"
    hotspot_rows = [
        (
            h.spec.gene,
            h.spec.transcript,
            h.spec.protein_change,
            h.spec.cdna_change,
            h.chrom,
            h.pos,
            h.ref,
            h.alt,
            h.spec.kind,
        )
        for h in model.hotspots
    ]
    return [
        *write_fasta(genome, ref / "genome.fa"),
        write_genes_bed(genome, ref / "genes.bed"),
        write_regions_bed(genome.reference_regions, ref / "reference_regions.bed"),
        write_regions_bed(genome.targets, ref / "panel_targets.bed"),
        write_tsv(
            ref / "hotspots.tsv",
            [
                "gene",
                "transcript",
                "protein_change",
                "cdna_change",
                "chrom",
                "pos",
                "ref",
                "alt",
                "kind",
            ],
            hotspot_rows,
        ),
    ]


POPULATION_VCF = "resources/population_af.vcf.gz"


def write_population_vcf(model: CohortModel, path: Path) -> list[Path]:
    """The pool of shared germline SNPs as a gnomAD-like sites VCF (INFO/AF),
    bgzipped and tabix-indexed."""
    import pysam  # only cohorts with a pool need it

    genome, population = model.genome, model.population
    chrom_index, local = genome.locate(population.pos)
    lines = [
        "##fileformat=VCFv4.2",
        "##source=ctc-profiler simulate_cohort.py (population of the shared germline SNPs)",
        *(f"##contig=<ID={c.name},length={c.length}>" for c in genome.chromosomes),
        '##INFO=<ID=AF,Number=A,Type=Float,Description="Population allele frequency">',
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO",
    ]
    # Global positions run chromosome by chromosome in FASTA order: sorted.
    for c, p, ref, alt, af in zip(
        chrom_index.tolist(),
        local.tolist(),
        genome.sequence[population.pos].tolist(),
        population.alt.tolist(),
        population.af.tolist(),
    ):
        lines.append(f"{genome.chromosomes[c].name}\t{p + 1}\t.\t{chr(ref)}\t{chr(alt)}\t.\t.\tAF={af:.4g}")
    # Written under temporary names, then renamed (VCF first, so its index is
    # the newer file): an interrupted run leaves no finished-looking VCF.
    path.parent.mkdir(parents=True, exist_ok=True)
    stem = f".{path.name.removesuffix('.vcf.gz')}.tmp{os.getpid()}"
    plain, packed = path.with_name(f"{stem}.vcf"), path.with_name(f"{stem}.vcf.gz")
    index = Path(f"{path}.tbi")
    try:
        plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
        pysam.tabix_compress(str(plain), str(packed), force=True)
        pysam.tabix_index(str(packed), preset="vcf", force=True)
        os.replace(packed, path)
        os.replace(f"{packed}.tbi", index)
    finally:
        for leftover in (plain, packed, Path(f"{packed}.tbi")):
            leftover.unlink(missing_ok=True)
    return [path, index]


def write_cohort_truth(model: CohortModel, outdir: Path) -> list[Path]:
    genome = model.genome
    copy_number: list[tuple[object, ...]] = []
    genes: list[tuple[object, ...]] = []
    variants: list[tuple[object, ...]] = []
    discordance: list[tuple[object, ...]] = []
    samples: list[tuple[object, ...]] = []
    levels: list[tuple[object, ...]] = []
    errors: list[tuple[object, ...]] = []
    low_depth: list[tuple[object, ...]] = []
    for patient in model.patients:
        carried = {
            clone.name: patient.carried(clone.name) for clone in patient.spec.clones
        }
        for sample in patient.spec.samples:
            profile = patient.profiles[sample.clone]
            samples.append(
                sample_row(
                    patient.spec.patient,
                    sample,
                    model.spec.libraries,
                    patient.amplifications[sample.sample],
                )
            )
            copy_number += copy_number_rows(genome, sample.sample, profile)
            genes += gene_rows(genome, sample.sample, profile)
            levels += chromosome_level_rows(
                genome, sample.sample, patient.amplifications[sample.sample]
            )
            errors += amplification_error_rows(
                genome,
                patient.spec.patient,
                sample,
                profile,
                patient.amplifications[sample.sample],
            )
            low_depth += low_depth_rows(
                genome, sample.sample, patient.amplifications[sample.sample]
            )
            variants += variant_rows(
                genome,
                sample,
                patient.carried_by(sample, sample.clone),
                profile,
                patient.amplifications[sample.sample],
            )
        discordance += discordance_rows(
            genome, patient.spec, model.hotspots, patient.profiles, carried
        )
    readme = README + (
        PRIVATE_SNVS_NOTE if any(p.private for p in model.patients) else ""
    )
    readme += SHARED_GERMLINE_NOTE if model.population.pos.size else ""
    forced = any(s.forced_dropout for p in model.patients for s in p.spec.samples)
    readme += FORCED_DROPOUT_NOTE if forced else ""
    readme += LOW_DEPTH_NOTE if low_depth else ""
    readme += SWAP_NOTE if model.spec.swaps else ""
    written = write_truth(
        outdir / "truth",
        model.spec.libraries,
        samples,
        copy_number,
        genes,
        variants,
        discordance,
        readme + (CHROMOSOME_LEVELS_NOTE if levels else ""),
    )
    if levels:
        written.append(
            write_tsv(
                outdir / "truth" / "chromosome_levels.tsv",
                ["sample", "chrom", "log2_level"],
                levels,
            )
        )
    written.append(
        write_tsv(outdir / "truth" / "amplification_errors.tsv", AMPLIFICATION_ERROR_HEADER, errors)
    )
    if model.spec.swaps:
        patient_of = {s.sample: p.spec.patient for p in model.patients for s in p.spec.samples}
        written.append(write_tsv(
            outdir / "truth" / "identity.tsv", ["sample", "patient", "reads_from", "true_patient"],
            [(s, patient_of[s], model.spec.filed_as(s), patient_of[model.spec.filed_as(s)])
             for s in patient_of]))
    if low_depth:
        written.append(
            write_tsv(
                outdir / "truth" / "low_depth_targets.tsv",
                ["sample", "chrom", "start", "end", "yield_multiplier"],
                low_depth,
            )
        )
    return written


@dataclass(frozen=True)
class Summary:
    files: list[Path]
    seconds: float

    @property
    def bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files)


def simulate_cohort(
    spec: CohortSpec,
    outdir: str,
    seed: int,
    processes: int = 1,
    tag_origin: bool = False,
) -> Summary:
    """Write the reference, reads, sheets and truth of `spec` under `outdir`.

    `outdir` is used verbatim in the sheets' FASTQ paths, so a relative
    directory stays relative (the workflow runs from the same place)."""
    started = time.perf_counter()
    root = Path(outdir)
    model = build_model(spec, seed)
    jobs = [
        LibraryJob(p, sample.sample, li, str(root / "reads"), tag_origin)
        for p, patient in enumerate(model.patients)
        for sample in patient.spec.samples
        for li in range(len(spec.libraries))
    ]
    # Biggest first, so the last job to start is a short one.
    jobs.sort(key=lambda j: -_job_size(model, j))
    files = write_reference(model, root)
    germline = None
    if model.population.pos.size:
        files += write_population_vcf(model, root / POPULATION_VCF)
        germline = POPULATION_VCF
    files += run_jobs(
        model,
        jobs,
        processes,
        lambda: write_sheets(spec, outdir)
        + [write_workflow_config(outdir, grch38=spec.genome.real_exons, germline=germline)]
        + write_cohort_truth(model, root),
    )
    return Summary(files, time.perf_counter() - started)


def _job_size(model: CohortModel, job: LibraryJob) -> int:
    library = model.spec.libraries[job.library]
    sample = next(
        s for p in model.patients for s in p.spec.samples if s.sample == job.sample
    )
    return library.reads_of(sample) * (2 if library.paired else 1)
