"""One patient's variants: the joint VCF (all samples) and the hotspot reads
turned into the mutation table, the hotspot table and per-cell ADO metrics.

Origin (`variant_origin`): each allele is `germline`, `somatic` or
`unresolved`, weighed from the WBC, normal and bulk tumour reads. Germline
sites are kept and labelled, and their heterozygous SNVs measure each cell's
allelic dropout; the WBCs' dropout feeds back into the origin (labelled once
with the kit's ADO prior, then again with the measured rates). Without a
normal sample ADO is not measured: the outputs say so and the states use
the kit's ADO prior.

Joint evidence: states are first called with a site prior (germline, hotspot
or plain somatic); a tumour sample is then called again with the prior
raised by the patient's other tumour samples that were mutant there.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pysam

from ctc_profiler.core.atomic import write_rows
from ctc_profiler.core.bed import bed_records
from ctc_profiler.core.tables import read_tsv
from ctc_profiler.core.wga_kits import kit_ado_prior
from ctc_profiler.core.words import CELL_TYPES, MUTANT, NO_COVERAGE, TUMOUR_TYPES
from ctc_profiler.inputs.hotspot_table import Hotspot
from ctc_profiler.variants.dropout import (
    AdoMeasure,
    AdoSettings,
    DropoutMap,
    LocalDropout,
    ado_for_calling,
    is_heterozygous,
    measure_dropout,
)
from ctc_profiler.variants.hotspot_reads import count_hotspot
from ctc_profiler.variants.joint_vcf import Site, read_sites
from ctc_profiler.variants.normal_panel import GermlineElsewhere
from ctc_profiler.variants.origin import OriginSample, OriginSettings, variant_origin
from ctc_profiler.variants.private import private_cell, unconfirmed_state
from ctc_profiler.variants.states import (
    AlleleCounts,
    StateCall,
    StateSettings,
    call_state,
    joint_prior,
)

MUTATION_COLUMNS = [
    "patient", "sample", "type", "gene", "protein_change", "chrom", "pos", "ref", "alt",
    "origin", "germline_probability", "other_patients", "population_af", "hotspot", "state",
    "alt_reads", "ref_reads", "depth", "quality",
]
HOTSPOT_COLUMNS = [
    "patient", "sample", "type", "gene", "transcript", "protein_change", "cdna_change",
    "chrom", "pos", "ref", "alt", "kind", "alt_reads", "ref_reads", "depth", "state", "quality",
]
METRIC_COLUMNS = ["sample", "germline_het_sites", "ado_rate", "allelic_imbalance", "note"]


@dataclass(frozen=True)
class Sample:
    name: str
    type: str
    wga: str
    purity: float | None = None

    @property
    def cell(self) -> bool:
        return self.type in CELL_TYPES


def normal_pool(samples: list[Sample], leave_out: str | None = None) -> list[str]:
    """Samples whose pooled reads define germline: bulk normals, else WBC cells."""
    bulk = [s.name for s in samples if s.type == "normal" and s.name != leave_out]
    if bulk:
        return bulk
    return [s.name for s in samples if s.type == "wbc" and s.name != leave_out]


def pooled(site: Site, names: list[str]) -> AlleleCounts:
    total = AlleleCounts()
    for name in names:
        total = total + site.counts.get(name, AlleleCounts())
    return total


# chrom -> (0-based starts, ends, integer copy numbers) of its segments, by start
Segments = dict[str, tuple[list[int], list[int], list[int]]]


def read_segments(path: Path | str) -> Segments:
    """A sample's copy-number segments (segments.tsv); rows without an
    integer copy number (a failed profile) are left out."""
    table = read_tsv(path)
    if "cn" not in table.columns:  # an empty table
        return {}
    # empty or "nan" where a profile failed
    table = table.assign(cn=pd.to_numeric(table["cn"], errors="coerce")).dropna(subset=["cn"])
    table = table.sort_values(["chrom", "start"])
    return {
        str(chrom): (rows["start"].astype(int).tolist(), rows["end"].astype(int).tolist(),
                     rows["cn"].astype(int).tolist())
        for chrom, rows in table.groupby("chrom", sort=False)
    }


def copy_number_at(segments: Segments, chrom: str, pos: int) -> int | None:
    """The copy number of the segment holding 1-based `pos`, if any."""
    starts, ends, cns = segments.get(chrom, ([], [], []))
    i = bisect_left(starts, pos) - 1  # the last segment starting before pos
    return cns[i] if i >= 0 and pos <= ends[i] else None


def label_origins(
    sites: list[Site], samples: list[Sample], dropout: LocalDropout,
    states: StateSettings, settings: OriginSettings, segments: dict[str, Segments] | None = None,
    elsewhere: GermlineElsewhere | None = None,
) -> None:
    segments = segments or {}
    elsewhere = elsewhere or GermlineElsewhere()
    for site in sites:
        evidence = [
            OriginSample(
                s.name, s.type, dropout.at(s.name, site.chrom, site.pos), s.purity,
                copy_number_at(segments[s.name], site.chrom, site.pos) if s.name in segments else None,
                s.wga,
            )
            for s in samples
        ]
        result = variant_origin(
            site.counts, evidence, ref=site.ref, alt=site.alt, hotspot=site.hotspot is not None,
            states=states, settings=settings, known_germline=elsewhere.known(site.allele, site.hotspot is not None),
        )
        site.origin, site.germline_probability = result.origin, result.germline_probability


def measure_cells(
    sites: list[Site], samples: list[Sample], settings: AdoSettings
) -> tuple[dict[str, AdoMeasure | None], dict[str, DropoutMap]]:
    """ADO of every cell over the germline het SNVs (None without normals),
    and where each cell showed one allele or both."""
    measures: dict[str, AdoMeasure | None] = {}
    maps: dict[str, DropoutMap] = {}
    snvs = [s for s in sites if s.origin == "germline" and len(s.ref) == len(s.alt) == 1]
    for sample in samples:
        pool = normal_pool(samples, leave_out=sample.name)
        if not sample.cell or not pool:
            measures[sample.name] = None
            continue
        het = [s for s in snvs if is_heterozygous(pooled(s, pool), settings)]
        measures[sample.name] = measure_dropout(
            [s.counts[sample.name] for s in het], settings, [(s.chrom, s.pos) for s in het]
        )
        maps[sample.name] = DropoutMap.build([(s.chrom, s.pos, s.counts[sample.name]) for s in het], settings)
    return measures, maps


def _call_all(
    items: list[tuple[str, int, str, str, dict[str, AlleleCounts], float]],
    samples: list[Sample],
    dropout: LocalDropout,
    settings: StateSettings,
) -> list[dict[str, StateCall]]:
    """States of every sample at every item (chrom, pos, ref, alt, counts,
    base prior), with a second, joint pass for tumour samples; each cell's
    dropout is read near the item."""
    results = []
    for chrom, pos, ref, alt, counts, base in items:
        germline = base >= settings.prior_germline

        def call(sample: Sample, prior: float, expected: bool) -> StateCall:
            return call_state(
                counts.get(sample.name, AlleleCounts()), ref=ref, alt=alt, cell=sample.cell,
                ado=dropout.at(sample.name, chrom, pos), prior=prior, settings=settings, purity=sample.purity,
                expected=expected, kit=sample.wga,
            )

        first = {s.name: call(s, base, germline) for s in samples}
        final = dict(first)
        for sample in samples:
            if sample.type not in TUMOUR_TYPES:
                continue
            others = [o for o in samples if o.type in TUMOUR_TYPES and o.name != sample.name]
            mutant = sum(first[o.name].state == MUTANT for o in others)
            informative = sum(first[o.name].state != NO_COVERAGE for o in others)
            prior = joint_prior(base, mutant, informative)
            if mutant:
                final[sample.name] = call(sample, prior, True)
        results.append(final)
    return results


def _gene_at(genes: list[tuple[str, int, int, str]], chrom: str, pos: int) -> str:
    return next((name for c, start, end, name in genes if c == chrom and start < pos <= end), "")


def read_genes(path: Path | str) -> list[tuple[str, int, int, str]]:
    """(chrom, start, end, name) of each named BED record."""
    return [(f[0], int(f[1]), int(f[2]), f[3]) for f in bed_records(path) if len(f) >= 4]


@dataclass
class PatientVariants:
    mutations: list[dict]
    hotspots: list[dict]
    metrics: list[dict]


def genotype_patient(
    patient: str,
    samples: list[Sample],
    vcf_path: Path | str,
    bams: dict[str, list[str]],
    hotspots: list[Hotspot],
    genes: list[tuple[str, int, int, str]],
    fasta: Path | str,
    *,
    settings: StateSettings,
    ado_settings: AdoSettings,
    origin: OriginSettings,
    ado_priors: dict[str, float],
    min_bq: int,
    min_mq: int,
    segments: dict[str, Segments] | None = None,
    elsewhere: GermlineElsewhere | None = None,
) -> PatientVariants:
    """`segments`: copy number of bulk tumour samples, placing the allele
    fractions their germline and somatic variants are expected at;
    `elsewhere`: the run's other patients and the population resource."""
    elsewhere = elsewhere or GermlineElsewhere()
    vcf_samples, sites = read_sites(vcf_path)
    missing = [s.name for s in samples if s.name not in vcf_samples]
    if missing:
        raise ValueError(f"{vcf_path}: sample(s) {', '.join(missing)} absent; read groups SM must be sample IDs")
    for site in sites:
        site.hotspot = next((h for h in hotspots if h.matches(site.chrom, site.pos, site.ref, site.alt)), None)
    # origins with the kit's ADO first: they choose the het sites that
    # measure each cell's dropout, which then labels the origins again
    kit_ado = {s.name: kit_ado_prior(s.wga, ado_priors) if s.cell else 0.0 for s in samples}
    label_origins(sites, samples, LocalDropout(kit_ado, {}, ado_settings.ado_window_bp), settings, origin, segments,
                  elsewhere)
    measures, maps = measure_cells(sites, samples, ado_settings)
    ado = {
        s.name: ado_for_calling(measures[s.name], kit_ado[s.name], ado_settings) if s.cell else 0.0
        for s in samples
    }
    dropout = LocalDropout(ado, maps, ado_settings.ado_window_bp)
    label_origins(sites, samples, dropout, settings, origin, segments, elsewhere)

    def base_prior(site: Site) -> float:
        somatic = settings.prior_hotspot if site.hotspot else settings.prior_somatic
        if site.origin == "germline":
            return settings.prior_germline
        if site.origin == "somatic":
            return somatic
        # unresolved: carried by every sample if germline, else a tumour's own
        g = site.germline_probability
        return g * settings.prior_germline + (1 - g) * somatic

    # only sites that can make a row: germline, or alt reads enough for a
    # mutant in some tumour sample
    tumour = [s.name for s in samples if s.type in TUMOUR_TYPES]
    candidates = [
        s for s in sites
        if s.origin == "germline" or any(s.counts[t].alt >= settings.min_alt_reads for t in tumour)
    ]
    site_calls = _call_all(
        [(s.chrom, s.pos, s.ref, s.alt, s.counts, base_prior(s)) for s in candidates], samples, dropout, settings
    )
    mutations = []
    for site, calls in zip(candidates, site_calls):
        tumour_mutant = any(calls[s.name].state == MUTANT for s in samples if s.type in TUMOUR_TYPES)
        if site.origin != "germline" and not tumour_mutant:
            continue
        private = None if site.origin == "germline" else private_cell(
            {s.name: calls[s.name].state for s in samples}, {s.name: site.counts[s.name].alt for s in samples},
            {s.name: s.type for s in samples}, site.hotspot is not None)
        other_patients, population_af = elsewhere.evidence(site.allele)
        for s in samples:
            c, call = site.counts[s.name], calls[s.name]
            mutations.append({
                "patient": patient, "sample": s.name, "type": s.type,
                "gene": site.hotspot.gene if site.hotspot else _gene_at(genes, site.chrom, site.pos),
                "protein_change": site.hotspot.protein_change if site.hotspot else "",
                "chrom": site.chrom, "pos": site.pos, "ref": site.ref, "alt": site.alt,
                "origin": site.origin, "germline_probability": round(site.germline_probability, 4),
                "other_patients": ",".join(other_patients),
                "population_af": "" if population_af is None else population_af,
                "hotspot": "true" if site.hotspot else "false",
                "state": unconfirmed_state(call.state, s.name, private),
                "alt_reads": c.alt, "ref_reads": c.ref, "depth": c.depth,
                "quality": call.quality,
            })

    hotspot_rows = genotype_hotspots(patient, samples, bams, hotspots, fasta, dropout, settings, min_bq, min_mq)
    metrics = cell_metrics(samples, measures, ado, ado_priors, sites, bool(normal_pool(samples)))
    return PatientVariants(mutations, hotspot_rows, metrics)


def genotype_hotspots(
    patient: str,
    samples: list[Sample],
    bams: dict[str, list[str]],
    hotspots: list[Hotspot],
    fasta: Path | str,
    dropout: LocalDropout,
    settings: StateSettings,
    min_bq: int,
    min_mq: int,
) -> list[dict]:
    handles = {s.name: [pysam.AlignmentFile(path) for path in bams.get(s.name, [])] for s in samples}
    try:
        with pysam.FastaFile(str(fasta)) as reference:
            def fetch(chrom: str, start: int, end: int) -> str:
                return reference.fetch(chrom, max(0, start), end)

            counts = [
                {s.name: count_hotspot(handles[s.name], h, min_bq=min_bq, min_mq=min_mq, fetch=fetch) for s in samples}
                for h in hotspots
            ]
    finally:
        for files in handles.values():
            for handle in files:
                handle.close()
    items = [
        (h.chrom, h.pos, *((h.ref, h.alt) if h.kind == "snv" else ("", "")), c, settings.prior_hotspot)
        for h, c in zip(hotspots, counts)
    ]
    rows = []
    for h, c, calls in zip(hotspots, counts, _call_all(items, samples, dropout, settings)):
        for s in samples:
            rows.append({
                "patient": patient, "sample": s.name, "type": s.type, "gene": h.gene,
                "transcript": h.transcript, "protein_change": h.protein_change,
                "cdna_change": h.cdna_change, "chrom": h.chrom, "pos": h.pos, "ref": h.ref,
                "alt": h.alt, "kind": h.kind, "alt_reads": c[s.name].alt,
                "ref_reads": c[s.name].ref, "depth": c[s.name].depth,
                "state": calls[s.name].state, "quality": calls[s.name].quality,
            })
    return rows


def cell_metrics(
    samples: list[Sample],
    measures: dict[str, AdoMeasure | None],
    ado: dict[str, float],
    ado_priors: dict[str, float],
    sites: list[Site],
    has_normal: bool,
) -> list[dict]:
    rows = []
    for s in samples:
        measure = measures.get(s.name)
        notes = []
        covered = any(site.counts[s.name].depth for site in sites)
        if not covered:
            notes.append("no reads at any called site: states are no_coverage")
        if not s.cell:
            notes.append("bulk DNA: no allelic dropout")
        elif not has_normal:
            prior = kit_ado_prior(s.wga, ado_priors)
            notes.append(
                f"no WBC/normal in patient: ADO not measured, origin from the bulk tumour's reads alone "
                f"(unresolved without one); {s.wga} kit ADO prior {prior:g} used"
            )
        elif measure is None or measure.sites == 0:
            notes.append(
                f"no germline heterozygous site with enough reads: {s.wga} kit ADO prior "
                f"{kit_ado_prior(s.wga, ado_priors):g} used"
            )
        else:
            notes.append(
                f"ADO over {measure.observations} independent windows of het sites; "
                f"{ado[s.name]:.3f} used for calling (shrunk to the kit prior), "
                "read near each site from the nearest het site"
            )
        rate = measure.rate if measure else None
        imbalance = measure.imbalance if measure else None
        rows.append({
            "sample": s.name,
            "germline_het_sites": measure.sites if measure else 0,
            "ado_rate": "" if rate is None else round(rate, 4),
            "allelic_imbalance": "" if imbalance is None else imbalance,
            "note": "; ".join(notes),
        })
    return rows


def sample_from_row(row: dict) -> Sample:
    purity = row.get("purity")
    if purity is None or (isinstance(purity, float) and math.isnan(purity)) or purity == "":
        purity = None
    return Sample(str(row["sample"]), str(row["type"]), str(row.get("wga") or "none"),
                  None if purity is None else float(purity))


def write_table(rows: list[dict], columns: list[str], path: Path | str) -> None:
    """Tab-separated with a header, written to a .part file then renamed."""
    write_rows([columns, *([row[c] for c in columns] for row in rows)], path)
